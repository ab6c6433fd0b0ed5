"""Import kind 'faskes': health facilities (Puskesmas, Pustu, Posyandu, hospitals, ...) → faskes.

Two layouts are read (column names are matched ignoring case, spaces and punctuation):

1. The Kemenkes facility registry list (faskes_5kab_2019.csv): kode_faskes, jenis_faskes
   (PUSKESMAS / RUMAH SAKIT / ...), nama_faskes, lat, lon. Its other columns (kode_kec_bps,
   kode_kec_kemendagri, kode_kec_spatial, alamat, medis_grp, ...) are ignored: the kecamatan is
   computed here.
2. The project template: kode_faskes, nama, jenis, rawat_inap, kode_kec, kode_desa, kode_induk,
   dusun_rw, lat, lon (aktif optional).

Where the facility stands (faskes.kode_kec, recorded in aturan_lokasi):
    kode                 kode_kec (or kode_desa) given in the file and present in wilayah
    crosswalk_bps        a Puskesmas code P + 4-digit kab + 3-digit BPS kecamatan + 3 digits: the
                         BPS kecamatan (chars 2..8) through xwalk_bps_dagri gives a loaded
                         kecamatan AND the point lies in its polygon (or no polygons/point to check)
    titik_dalam_poligon  otherwise the kecamatan polygon (batas_wilayah) the point lies in
    poligon_terdekat     the point is outside every polygon but within 2 km of one (coastline,
                         simplified borders); listed in the notes with the distance
kode_desa: given, or the desa polygon the point lies in (within 2 km), when that desa belongs to
kode_kec. rawat_inap: from the file, else unknown (null). Rejected: unknown jenis, lat/lon outside
Indonesia, duplicate kode_faskes, unknown kode_kec/kode_desa/kode_induk, a point outside the loaded
area. Facilities whose Kemenkes code names a kab/kota that is not loaded (a provincial list) are
skipped and counted in the notes, not rejected.
"""
from __future__ import annotations

import re

import numpy as np
import polars as pl
import shapely

from ilp import geo
from ilp.db import fetch_pl
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Parsed, Problem, Source
from ilp.ingest.boundaries import load_polygons
from ilp.ingest.wilayah import _col, dotted, level_of, read_rows

INDONESIA_BBOX = (94.0, -11.5, 141.5, 6.5)  # lon min, lat min, lon max, lat max

JENIS = {
    "puskesmas": "puskesmas", "pkm": "puskesmas", "upt puskesmas": "puskesmas", "uptpuskesmas": "puskesmas",
    "pustu": "pustu", "puskesmaspembantu": "pustu",
    "poskesdes": "poskesdes", "poskestren": "poskesdes",
    "polindes": "polindes",
    "pkd": "pkd",
    "ponkesdes": "ponkesdes",
    "pusling": "pusling", "puskesmaskeliling": "pusling",
    "posyandu": "posyandu",
    "rumahsakit": "rumah_sakit", "rs": "rumah_sakit", "rsu": "rumah_sakit", "rsud": "rumah_sakit",
    "rumahsakitumum": "rumah_sakit", "rumahsakitkhusus": "rumah_sakit", "rumah_sakit": "rumah_sakit",
    "klinik": "klinik", "klinikpratama": "klinik", "klinikutama": "klinik",
}
_TRUE = {"ya", "y", "true", "1", "rawatinap", "ri", "iya", "benar"}
_FALSE = {"tidak", "t", "false", "0", "nonrawatinap", "nonri", "bukan", "n", "no"}
_PKM_CODE = re.compile(r"^P\d{10}$")

FASKES_COLS = ("kode_faskes", "nama", "jenis", "rawat_inap", "kode_kec", "kode_desa", "kode_induk", "dusun_rw",
               "lat", "lon", "aktif", "aturan_lokasi", "sumber", "import_id")


def _schema() -> dict:
    return {"kode_faskes": pl.String, "nama": pl.String, "jenis": pl.String, "rawat_inap": pl.Boolean,
            "kode_kec": pl.String, "kode_desa": pl.String, "kode_induk": pl.String, "dusun_rw": pl.String,
            "lat": pl.Float64, "lon": pl.Float64, "aktif": pl.Boolean, "aturan_lokasi": pl.String,
            "sumber": pl.String, "import_id": pl.String}


def _n(s) -> str:
    return re.sub(r"[^a-z0-9]", "", str(s).lower())


def _float(v: str | None) -> float | None | str:
    """float, None for empty, or the string 'bad'."""
    if v is None or not str(v).strip():
        return None
    s = str(v).strip().replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        f = float(s)
    except ValueError:
        return "bad"
    return f if np.isfinite(f) else "bad"


def bps_kecamatan_of(kode_faskes: str) -> str | None:
    """'P3523090101' → '3523090' (the BPS kecamatan code embedded in a Puskesmas code)."""
    k = (kode_faskes or "").strip().upper()
    return k[1:8] if _PKM_CODE.match(k) else None


def _kab_in_code(kode_faskes: str) -> str | None:
    """'P3523090101' / 'R3329067' → '3523' / '3329': the kab/kota a Kemenkes facility code names."""
    m = re.match(r"^[PR](\d{4})\d", (kode_faskes or "").strip().upper())
    return m.group(1) if m else None


def parse(src: Source, con) -> Parsed:
    opts = dict(src.options or {})
    out = Parsed()
    sumber = str(opts.get("sumber") or src.name)
    df = read_rows(src, opts, ["kode_faskes", "nama", "nama_faskes", "jenis", "jenis_faskes", "lat", "lon",
                               "kode_kec", "rawat_inap"], KIND.columns, out)
    if df is None:
        return out
    c = {
        "kode": _col(df, "kode_faskes", "kode", "kode_puskesmas"),
        "nama": _col(df, "nama", "nama_faskes", "nama_puskesmas"),
        "jenis": _col(df, "jenis", "jenis_faskes"),
        "rawat_inap": _col(df, "rawat_inap"),
        "kode_kec": _col(df, "kode_kec", "kode_kecamatan"),
        "kode_desa": _col(df, "kode_desa", "kode_kelurahan", "kode_desa_kelurahan"),
        "kode_induk": _col(df, "kode_induk", "induk"),
        "dusun_rw": _col(df, "dusun_rw", "dusun", "rw"),
        "lat": _col(df, "lat", "latitude", "lintang"),
        "lon": _col(df, "lon", "lng", "long", "longitude", "bujur"),
        "aktif": _col(df, "aktif"),
    }
    missing = [k for k in ("kode", "nama", "jenis") if c[k] is None]
    if missing:
        names = {"kode": "kode_faskes", "nama": "nama (atau nama_faskes)", "jenis": "jenis (atau jenis_faskes)"}
        out.problems.append(Problem(None, None, Msg("impor.faskes.kolom_wajib", {"kolom": ", ".join(names[m] for m in missing)})))
        return out

    wil = fetch_pl(con, "select kode, level, kode_kec from wilayah where level in ('kecamatan', 'desa')")
    kec_codes = set(wil.filter(pl.col("level") == "kecamatan")["kode"].to_list())
    desa_kec = dict(wil.filter(pl.col("level") == "desa").select("kode", "kode_kec").iter_rows())
    if not kec_codes:
        out.problems.append(Problem(None, None, Msg("impor.faskes.wilayah_kosong")))
        return out
    xw = fetch_pl(con, "select kode_bps, kode_dagri from xwalk_bps_dagri where level = 'kecamatan'")
    bps_to = {}
    for b, d in xw.iter_rows():
        if d in kec_codes:
            bps_to.setdefault(b, []).append(d)
    known_faskes = set(fetch_pl(con, "select kode_faskes from faskes")["kode_faskes"].to_list())

    # ---- pass 1: per-row values
    recs = []
    seen: dict[str, int] = {}
    file_codes = {(v or "").strip() for v in df[c["kode"]].to_list()}
    lo_min, la_min, lo_max, la_max = INDONESIA_BBOX
    for r in df.iter_rows(named=True):
        rown = r["_row"]

        def bad(col, key, nilai=None, **params):
            out.problems.append(Problem(rown, c[col] if col in c else col, Msg(f"impor.faskes.{key}", params), nilai))

        kode = (r[c["kode"]] or "").strip()
        if not kode:
            bad("kode", "kode_kosong")
            continue
        if kode in seen:
            bad("kode", "kode_ganda", kode, kode=kode, baris=seen[kode])
            continue
        seen[kode] = rown
        nama = (r[c["nama"]] or "").strip()
        if not nama:
            bad("nama", "nama_kosong")
            continue
        jraw = (r[c["jenis"]] or "").strip()
        jenis = JENIS.get(_n(jraw)) or JENIS.get(jraw.lower())
        if jenis is None:
            bad("jenis", "jenis_tidak_dikenal", jraw or None, v=jraw)
            continue
        ri = None
        if c["rawat_inap"] and r[c["rawat_inap"]]:
            v = _n(r[c["rawat_inap"]])
            if v in _TRUE:
                ri = True
            elif v in _FALSE:
                ri = False
            else:
                bad("rawat_inap", "rawat_inap", r[c["rawat_inap"]])
                continue
            if jenis != "puskesmas":
                ri = None  # the column is about Puskesmas only
        aktif = True
        if c["aktif"] and r[c["aktif"]]:
            v = _n(r[c["aktif"]])
            if v in _TRUE or v == "aktif":
                aktif = True
            elif v in _FALSE or v in ("tutup", "nonaktif", "tidakaktif"):
                aktif = False
            else:
                bad("aktif", "aktif", r[c["aktif"]])
                continue
        lat = _float(r[c["lat"]]) if c["lat"] else None
        lon = _float(r[c["lon"]]) if c["lon"] else None
        if lat == "bad" or lon == "bad":
            col = "lat" if lat == "bad" else "lon"
            bad(col, "koordinat_bukan_angka", r[c[col]])
            continue
        if (lat is None) != (lon is None):
            bad("lat" if lat is None else "lon", "lat_lon_berpasangan")
            continue
        if lat is not None:
            if not (la_min <= lat <= la_max and lo_min <= lon <= lo_max):
                swapped = la_min <= lon <= la_max and lo_min <= lat <= lo_max
                bad("lat", "di_luar_indonesia", f"{lat}, {lon}", lat=lat, lon=lon,
                    tertukar=Msg("impor.faskes.tertukar") if swapped else "")
                continue
        kk = None
        if c["kode_kec"] and r[c["kode_kec"]]:
            kk = dotted(r[c["kode_kec"]])
            if kk is None or level_of(kk) != "kecamatan" or kk not in kec_codes:
                bad("kode_kec", "kode_kec", r[c["kode_kec"]], v=r[c["kode_kec"]])
                continue
        kd = None
        if c["kode_desa"] and r[c["kode_desa"]]:
            kd = dotted(r[c["kode_desa"]])
            if kd is None or kd not in desa_kec:
                bad("kode_desa", "kode_desa", r[c["kode_desa"]], v=r[c["kode_desa"]])
                continue
            if kk is not None and desa_kec[kd] != kk:
                bad("kode_desa", "desa_lain_kecamatan", r[c["kode_desa"]], desa=kd, kec=kk)
                continue
            kk = kk or desa_kec[kd]
        induk = (r[c["kode_induk"]] or "").strip() if c["kode_induk"] else ""
        if induk and induk not in file_codes and induk not in known_faskes:
            bad("kode_induk", "induk_tidak_ada", induk, v=induk)
            continue
        recs.append({"_row": rown, "kode_faskes": kode, "nama": nama, "jenis": jenis, "rawat_inap": ri,
                     "kode_kec": kk, "kode_desa": kd, "kode_induk": induk or None,
                     "dusun_rw": ((r[c["dusun_rw"]] or "").strip() or None) if c["dusun_rw"] else None,
                     "lat": lat, "lon": lon, "aktif": aktif,
                     "aturan_lokasi": "kode" if kk else None, "sumber": sumber, "import_id": None})

    # ---- pass 2: locate (kecamatan, then desa)
    kec_poly = load_polygons(con, "kecamatan")
    desa_poly = load_polygons(con, "desa")
    kec_geom = dict(zip(kec_poly["kode"], kec_poly.geometry.values))
    lon_a = [r["lon"] for r in recs]
    lat_a = [r["lat"] for r in recs]
    pip = geo.place_points(lon_a, lat_a, kec_poly) if len(kec_poly) else None
    nearest_notes, unverified, outside = [], 0, []
    # kab/kota embedded in Kemenkes codes (P3523..., R3329...): BPS codes of the loaded kab/kota,
    # and their Kemendagri codes without dots (the two agree for most kab/kota)
    kabs_loaded = {k[:5] for k in kec_codes}
    loaded_kab4 = {k.replace(".", "") for k in kabs_loaded} | {
        b for b, d in fetch_pl(con, "select kode_bps, kode_dagri from xwalk_bps_dagri where level = 'kabkota'").iter_rows()
        if d in kabs_loaded}
    keep = []
    for i, r in enumerate(recs):
        has_pt = r["lat"] is not None
        if r["kode_kec"] is None:
            bps = bps_kecamatan_of(r["kode_faskes"])
            cands = bps_to.get(bps, []) if bps else []
            placed = pip.row(i, named=True) if pip is not None and has_pt else None
            if has_pt and pip is not None:
                pt = shapely.Point(r["lon"], r["lat"])
                inside = [k for k in cands if k in kec_geom and kec_geom[k].covers(pt)]
                if len(inside) == 1:
                    r["kode_kec"], r["aturan_lokasi"] = inside[0], "crosswalk_bps"
                elif placed["kode"] is not None:
                    r["kode_kec"], r["aturan_lokasi"] = placed["kode"], placed["aturan"]
                    if placed["aturan"] == "poligon_terdekat":
                        nearest_notes.append(Msg("impor.faskes.poligon_terdekat", {
                            "kode": r["kode_faskes"], "nama": r["nama"], "jarak": f"{placed['jarak_m']:.0f}",
                            "kec": placed["kode"]}))
            elif len(cands) == 1:
                r["kode_kec"], r["aturan_lokasi"] = cands[0], "crosswalk_bps"
                unverified += 1
        if r["kode_kec"] is None:
            kab4 = _kab_in_code(r["kode_faskes"])
            if kab4 is not None and kab4 not in loaded_kab4:
                outside.append(r["kode_faskes"])
                continue
            if has_pt and pip is not None:
                why = Msg("impor.faskes.di_luar_poligon", {"lat": r["lat"], "lon": r["lon"],
                                                           "km": f"{geo.NEAREST_MAX_M / 1000:g}"})
            elif has_pt:
                why = Msg("impor.faskes.tanpa_batas")
            else:
                why = Msg("impor.faskes.tanpa_lokasi")
            out.problems.append(Problem(r["_row"], c["lat"] or c["kode"], why,
                                        f"{r['lat']}, {r['lon']}" if has_pt else None))
            continue
        keep.append(r)

    desa_note = 0
    if len(desa_poly) and keep:
        need = [r for r in keep if r["kode_desa"] is None and r["lat"] is not None]
        if need:
            pd_ = geo.place_points([r["lon"] for r in need], [r["lat"] for r in need], desa_poly)
            for r, (kd, _rule, _d) in zip(need, pd_.iter_rows()):
                if kd is None:
                    continue
                if desa_kec.get(kd) == r["kode_kec"]:
                    r["kode_desa"] = kd
                else:
                    desa_note += 1

    frame = pl.DataFrame([{k: r[k] for k in FASKES_COLS} for r in keep], schema=_schema(), orient="row") \
        if keep else pl.DataFrame(schema=_schema())
    out.tables["faskes"] = frame
    out.rows_valid = frame.height
    if frame.height:
        cnt = frame.group_by("aturan_lokasi").len().sort("aturan_lokasi")
        out.notes.append(Msg("impor.faskes.aturan", {"daftar": ", ".join(f"{a} {n}" for a, n in cnt.iter_rows())}))
        jc = frame.group_by("jenis").len().sort("jenis")
        out.notes.append(Msg("impor.faskes.jenis", {"daftar": ", ".join(f"{a} {n}" for a, n in jc.iter_rows())}))
    out.notes += nearest_notes
    if unverified:
        out.notes.append(Msg("impor.faskes.tanpa_verifikasi", {"n": unverified}))
    if outside:
        shown = ", ".join(outside[:10]) + (" …" if len(outside) > 10 else "")
        out.notes.append(Msg("impor.faskes.kab_lain", {"n": len(outside), "daftar": shown}))
    if desa_note:
        out.notes.append(Msg("impor.faskes.desa_lain", {"n": desa_note}))
    return out


KIND = ImportKind(
    name="faskes",
    title_id="Daftar fasilitas kesehatan (Puskesmas, Pustu, Posyandu, RS, …)",
    title_en="Health facility list (Puskesmas, Pustu, Posyandu, hospitals, …)",
    tables=("faskes",),
    columns=(
        ("kode_faskes", "Kode faskes (kode Kemenkes untuk Puskesmas, mis. P3523090101; kode lokal untuk lainnya)",
         "P3523090101"),
        ("nama", "Nama faskes (daftar Kemenkes 2019: kolom nama_faskes)", "PLUMPANG"),
        ("jenis", "puskesmas | pustu | poskesdes | polindes | pkd | ponkesdes | pusling | posyandu | rumah_sakit | "
                  "klinik (daftar Kemenkes 2019: kolom jenis_faskes, PUSKESMAS / RUMAH SAKIT)", "puskesmas"),
        ("rawat_inap", "Puskesmas: ya / tidak; kosong = tidak diketahui", "ya"),
        ("kode_kec", "Opsional: kode kecamatan Kemendagri; kosong = dihitung dari kode Puskesmas (padanan BPS) "
                     "dan titik koordinat. Kolom kode_kec_bps, kode_kec_kemendagri, kode_kec_spatial daftar "
                     "Kemenkes 2019 diabaikan", "35.23.17"),
        ("kode_desa", "Opsional: kode desa/kelurahan; kosong = dari titik dan poligon desa", "35.23.17.2001"),
        ("kode_induk", "Pustu/Poskesdes/Posyandu/Pusling: kode_faskes Puskesmas induk", "P3523090101"),
        ("dusun_rw", "Posyandu: dusun / RW yang dilayani", "Dusun Krajan RW 02"),
        ("lat", "Lintang, derajat desimal (negatif di selatan khatulistiwa)", "-6.9853"),
        ("lon", "Bujur, derajat desimal", "112.0521"),
        ("aktif", "Opsional: ya / tidak (kosong = ya)", "ya"),
    ),
    parse=parse,
    extensions=TABULAR_EXTS,
)
