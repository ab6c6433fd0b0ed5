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
area. Facilities of a kab/kota that is not loaded (by their Kemenkes code, or by the kecamatan/desa
code in the file: a provincial list) are skipped and counted in the notes, not rejected.
A file that carries Kemendagri kecamatan codes (kode_kec, or the registry's kode_kec_kemendagri) needs
no boundary file: where neither the crosswalk nor a polygon places a facility, that code does.
The columns are declared once (COLS) and read by the shared tabular parser.
"""
from __future__ import annotations

import re

import polars as pl
import shapely

from ilp import db, geo
from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.ingest.boundaries import load_polygons
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.tabular import Ctx, bad_rows, parse_tabular
from ilp.names import YA_TIDAK, dotted, header_key

INDONESIA_BBOX = (94.0, -11.5, 141.5, 6.5)  # lon min, lat min, lon max, lat max

JENIS = {header_key(k): v for k, v in {
    "puskesmas": "puskesmas", "pkm": "puskesmas", "upt puskesmas": "puskesmas", "uptd puskesmas": "puskesmas",
    "pustu": "pustu", "puskesmas pembantu": "pustu",
    "poskesdes": "poskesdes", "poskestren": "poskesdes",
    "polindes": "polindes",
    "pkd": "pkd",
    "ponkesdes": "ponkesdes",
    "pusling": "pusling", "puskesmas keliling": "pusling",
    "posyandu": "posyandu",
    "rumah sakit": "rumah_sakit", "rs": "rumah_sakit", "rsu": "rumah_sakit", "rsud": "rumah_sakit",
    "rumah sakit umum": "rumah_sakit", "rumah sakit khusus": "rumah_sakit",
    "klinik": "klinik", "klinik pratama": "klinik", "klinik utama": "klinik",
}.items()}
RAWAT_INAP = {**{k: "ya" if v else "tidak" for k, v in YA_TIDAK.items()},
              "rawatinap": "ya", "ri": "ya", "iya": "ya", "nonrawatinap": "tidak", "nonri": "tidak", "bukan": "tidak"}
AKTIF = {**{k: "ya" if v else "tidak" for k, v in YA_TIDAK.items()},
         "aktif": "ya", "tutup": "tidak", "nonaktif": "tidak", "tidakaktif": "tidak"}
_PKM_CODE = re.compile(r"^P\d{10}$")

FASKES_COLS = ("kode_faskes", "nama", "jenis", "rawat_inap", "kode_kec", "kode_desa", "kode_induk", "dusun_rw",
               "lat", "lon", "aktif", "aturan_lokasi", "sumber", "import_id")


def _schema() -> dict:
    return {"kode_faskes": pl.String, "nama": pl.String, "jenis": pl.String, "rawat_inap": pl.Boolean,
            "kode_kec": pl.String, "kode_desa": pl.String, "kode_induk": pl.String, "dusun_rw": pl.String,
            "lat": pl.Float64, "lon": pl.Float64, "aktif": pl.Boolean, "aturan_lokasi": pl.String,
            "sumber": pl.String, "import_id": pl.String}


def bps_kecamatan_of(kode_faskes: str) -> str | None:
    """'P3523090101' → '3523090' (the BPS kecamatan code embedded in a Puskesmas code)."""
    k = (kode_faskes or "").strip().upper()
    return k[1:8] if _PKM_CODE.match(k) else None


def _kab_in_code(kode_faskes: str) -> str | None:
    """'P3523090101' / 'R3329067' → '3523' / '3329': the kab/kota a Kemenkes facility code names."""
    m = re.match(r"^[PR](\d{4})\d", (kode_faskes or "").strip().upper())
    return m.group(1) if m else None


COLS = (
    Col("kode_faskes", aliases=("kode", "kode_puskesmas"),
        desc="impor.tata_letak.faskes.kode_faskes",
        example="P3523090101"),
    Col("nama", aliases=("nama_faskes", "nama_puskesmas"), desc="impor.tata_letak.faskes.nama",
        example="PLUMPANG"),
    Col("jenis", "choice", choices=JENIS, aliases=("jenis_faskes",), choices_label="impor.pilihan.jenis_faskes",
        desc="impor.tata_letak.faskes.jenis", example="puskesmas"),
    Col("rawat_inap", "choice", required=False, allow_empty=True, soft=False, choices=RAWAT_INAP,
        choices_label="impor.pilihan.ya_tidak", desc="impor.tata_letak.faskes.rawat_inap", example="ya"),
    Col("kode_kec", required=False, aliases=("kode_kecamatan",),
        desc="impor.tata_letak.faskes.kode_kec",
        example="35.23.17"),
    Col("kode_desa", required=False, aliases=("kode_kelurahan", "kode_desa_kelurahan"),
        desc="impor.tata_letak.faskes.kode_desa", example="35.23.17.2001"),
    Col("kode_induk", required=False, aliases=("induk",),
        desc="impor.tata_letak.faskes.kode_induk", example="P3523090101"),
    Col("dusun_rw", required=False, aliases=("dusun", "rw"), desc="impor.tata_letak.faskes.dusun_rw",
        example="Dusun Krajan RW 02"),
    Col("lat", "float", required=False, soft=False, aliases=("latitude", "lintang"),
        desc="impor.tata_letak.faskes.lat", example="-6.9853"),
    Col("lon", "float", required=False, soft=False, aliases=("lng", "long", "longitude", "bujur"),
        desc="impor.tata_letak.faskes.lon", example="112.0521"),
    Col("aktif", "choice", required=False, allow_empty=True, soft=False, choices=AKTIF,
        choices_label="impor.pilihan.ya_tidak", desc="impor.tata_letak.faskes.aktif", example="ya"),
    # Kemendagri kecamatan codes the Kemenkes 2019 registry carries: used when nothing else places a facility
    Col("_kec_registri", required=False, aliases=("kode_kec_kemendagri",)),
    Col("_kec_spasial", required=False, aliases=("kode_kec_spatial",)),
)


def _flag_rows(ctx: Ctx, rows: list[tuple[int, str | None, Msg, str | None]]) -> None:
    for row, col, msg, nilai in rows:
        ctx.problems.append(Problem(row, ctx.col(col) if col else None, msg, nilai))


def _m(key: str, **params) -> Msg:
    return Msg(f"impor.faskes.{key}", params)


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    con = ctx.con
    wil = db.run(con, "ingest/wilayah_untuk_batas")
    kec_codes = set(wil.filter(pl.col("level") == "kecamatan")["kode"].to_list())
    desa_kec = dict(wil.filter(pl.col("level") == "desa").select("kode", "kode_kec").iter_rows())
    if not kec_codes:
        ctx.problems.append(Problem(None, None, _m("wilayah_kosong")))
        return {}
    xw = db.run(con, "ingest/padanan_bps")
    bps_to: dict[str, list[str]] = {}
    for b, d in xw.filter(pl.col("level") == "kecamatan").select("kode_bps", "kode_dagri").iter_rows():
        if d in kec_codes:
            bps_to.setdefault(b, []).append(d)
    kabs_loaded = {k[:5] for k in kec_codes}
    # kab/kota embedded in Kemenkes codes (P3523..., R3329...): BPS codes of the loaded kab/kota,
    # and their Kemendagri codes without dots (the two agree for most kab/kota)
    loaded_kab4 = {k.replace(".", "") for k in kabs_loaded} | {
        b for b, d in xw.filter(pl.col("level") == "kabkota").select("kode_bps", "kode_dagri").iter_rows()
        if d in kabs_loaded}
    known_faskes = set(db.run(con, "ingest/faskes_kode")["kode_faskes"].to_list())
    lk.check_duplicates(ctx, df, ["kode_faskes"])
    already = bad_rows(ctx.problems)
    file_codes = set(df["kode_faskes"].to_list())
    lo_min, la_min, lo_max, la_max = INDONESIA_BBOX
    sumber = str(ctx.src.options.get("sumber") or ctx.src.name)

    # ---- pass 1: per-row values
    recs, skipped, issues = [], [], []
    for r in df.iter_rows(named=True):
        rown = r["_row"]
        if rown in already:
            continue
        lat, lon = r["lat"], r["lon"]
        if (lat is None) != (lon is None):
            issues.append((rown, "lat" if lat is None else "lon", _m("lat_lon_berpasangan"), None))
            continue
        if lat is not None and not (la_min <= lat <= la_max and lo_min <= lon <= lo_max):
            swapped = la_min <= lon <= la_max and lo_min <= lat <= lo_max
            issues.append((rown, "lat", _m("di_luar_indonesia", lat=lat, lon=lon,
                                           tertukar=_m("tertukar") if swapped else ""), f"{lat}, {lon}"))
            continue
        codes, fate = {}, None
        for col, level, known in (("kode_kec", "kecamatan", kec_codes), ("kode_desa", "desa", desa_kec)):
            code = codes[col] = dotted(r[col], level) if r[col] else None
            if r[col] and code is not None and code[:5] not in kabs_loaded:
                fate = "skip"           # a kab/kota that is not loaded
            elif r[col] and (code is None or code not in known):
                fate = (col, _m(col, v=r[col]), r[col])
            if fate:
                break
        if fate == "skip":
            skipped.append(r["kode_faskes"])
            continue
        if fate:
            issues.append((rown, *fate))
            continue
        kk, kd = codes["kode_kec"], codes["kode_desa"]
        if kd is not None:
            if kk is not None and desa_kec[kd] != kk:
                issues.append((rown, "kode_desa", _m("desa_lain_kecamatan", desa=kd, kec=kk), r["kode_desa"]))
                continue
            kk = kk or desa_kec[kd]
        induk = r["kode_induk"]
        if induk and induk not in file_codes and induk not in known_faskes:
            issues.append((rown, "kode_induk", _m("induk_tidak_ada", v=induk), induk))
            continue
        reg = [k for k in (dotted(r[c], "kecamatan") for c in ("_kec_registri", "_kec_spasial")) if k]
        recs.append({"_row": rown, "kode_faskes": r["kode_faskes"], "nama": r["nama"], "jenis": r["jenis"],
                     "rawat_inap": (r["rawat_inap"] == "ya") if r["rawat_inap"] and r["jenis"] == "puskesmas" else None,
                     "kode_kec": kk, "kode_desa": kd, "kode_induk": induk or None, "dusun_rw": r["dusun_rw"],
                     "lat": lat, "lon": lon, "aktif": r["aktif"] != "tidak",
                     "aturan_lokasi": "kode" if kk else None, "sumber": sumber, "import_id": None, "_reg": reg})
    _flag_rows(ctx, issues)

    # ---- pass 2: locate (kecamatan, then desa)
    kec_poly = load_polygons(con, "kecamatan")
    desa_poly = load_polygons(con, "desa")
    kec_geom = dict(zip(kec_poly["kode"], kec_poly.geometry.values))
    pip = geo.place_points([r["lon"] for r in recs], [r["lat"] for r in recs], kec_poly) if len(kec_poly) else None
    unverified, keep = 0, []
    for i, r in enumerate(recs):
        has_pt = r["lat"] is not None
        if r["kode_kec"] is None:
            bps = bps_kecamatan_of(r["kode_faskes"])
            cands = bps_to.get(bps, []) if bps else []
            if has_pt and pip is not None:
                placed = pip.row(i, named=True)
                pt = shapely.Point(r["lon"], r["lat"])
                inside = [k for k in cands if k in kec_geom and kec_geom[k].covers(pt)]
                if len(inside) == 1:
                    r["kode_kec"], r["aturan_lokasi"] = inside[0], "crosswalk_bps"
                elif placed["kode"] is not None:
                    r["kode_kec"], r["aturan_lokasi"] = placed["kode"], placed["aturan"]
                    if placed["aturan"] == "poligon_terdekat":
                        ctx.notes.append(_m("poligon_terdekat", kode=r["kode_faskes"], nama=r["nama"],
                                            jarak=f"{placed['jarak_m']:.0f}", kec=placed["kode"]))
            elif len(cands) == 1:
                r["kode_kec"], r["aturan_lokasi"] = cands[0], "crosswalk_bps"
                unverified += 1
        if r["kode_kec"] is None:
            known = [k for k in r["_reg"] if k in kec_codes]
            if known:
                r["kode_kec"], r["aturan_lokasi"] = known[0], "kode"
        if r["kode_kec"] is None:
            kab4 = _kab_in_code(r["kode_faskes"])
            other_kab = (kab4 not in loaded_kab4) if kab4 is not None else \
                (bool(r["_reg"]) and all(k[:5] not in kabs_loaded for k in r["_reg"]))
            if other_kab:
                skipped.append(r["kode_faskes"])
                continue
            if has_pt and pip is not None:
                why = _m("di_luar_poligon", lat=r["lat"], lon=r["lon"], km=f"{geo.NEAREST_MAX_M / 1000:g}")
            elif has_pt:
                why = _m("tanpa_batas")
            else:
                why = _m("tanpa_lokasi")
            ctx.problems.append(Problem(r["_row"], ctx.col("lat") if ctx.has("lat") else ctx.col("kode_faskes"), why,
                                        f"{r['lat']}, {r['lon']}" if has_pt else None))
            continue
        keep.append(r)

    desa_note = 0
    need = [r for r in keep if r["kode_desa"] is None and r["lat"] is not None]
    if len(desa_poly) and need:
        pd_ = geo.place_points([r["lon"] for r in need], [r["lat"] for r in need], desa_poly)
        for r, (kd, _rule, _d) in zip(need, pd_.iter_rows()):
            if kd is None:
                continue
            if desa_kec.get(kd) == r["kode_kec"]:
                r["kode_desa"] = kd
            else:
                desa_note += 1

    frame = pl.DataFrame([{k: r[k] for k in ("_row", *FASKES_COLS)} for r in keep],
                         schema={"_row": pl.Int64, **_schema()}, orient="row")
    if frame.height:
        cnt = frame.group_by("aturan_lokasi").len().sort("aturan_lokasi")
        ctx.notes.append(_m("aturan", daftar=", ".join(f"{a} {n}" for a, n in cnt.iter_rows())))
        jc = frame.group_by("jenis").len().sort("jenis")
        ctx.notes.append(_m("jenis", daftar=", ".join(f"{a} {n}" for a, n in jc.iter_rows())))
    if unverified:
        ctx.notes.append(_m("tanpa_verifikasi", n=unverified))
    if skipped:
        ctx.notes.append(_m("kab_lain", n=len(skipped), daftar=", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else "")))
    if desa_note:
        ctx.notes.append(_m("desa_lain", n=desa_note))
    return {"faskes": frame}


def parse(src: Source, con) -> Parsed:
    return parse_tabular(src, con, COLS, build)


KIND = ImportKind(
    name="faskes",
    title_id="Daftar fasilitas kesehatan (Puskesmas, Pustu, Posyandu, RS, …)",
    title_en="Health facility list (Puskesmas, Pustu, Posyandu, hospitals, …)",
    tables=("faskes",),
    columns=template_columns(COLS),
    parse=parse,
    extensions=TABULAR_EXTS,
    options=(Option("sumber", "text", "impor.opsi.sumber", "impor.opsi.sumber_bantuan"),),
)
