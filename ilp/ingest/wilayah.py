"""Import kind 'wilayah': the Kemendagri area-code list, and the BPS ↔ Kemendagri crosswalk.

File layout (as wilayah.csv from cahyadsn/wilayah): kode, nama, level [, kode_prov, kode_kab,
kode_kec, kode_nodot — ignored, derived from kode]. Options:
    kab      list of kab/kota codes (['35.23'] or '35.23,33.29'): only those kab/kota, their
             kecamatan and desa, plus their province row
    versi    code-list version written to wilayah.versi (default KEPMENDAGRI_300.2.2-2138_2025)
    xwalk    path (or list of paths) of a BPS crosswalk file (kode_bps, nama_bps, kode_dagri,
             nama_dagri; as bps_kemendagri_kecamatan.csv / _kabkota.csv) → xwalk_bps_dagri
A file that itself has kode_bps + kode_dagri columns is read as a crosswalk.
Crosswalk rows are kept only when kode_dagri lies in the selected kab/kota (option kab, else the
kab/kota in the file or already in the database).
"""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from ilp import db
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.names import BPS_DIGITS, code_level as level_of, dotted, header_key as _norm, parent_code as parent_of

DEFAULT_VERSI = "KEPMENDAGRI_300.2.2-2138_2025"
XWALK_SUMBER = "BPS bridging 2020 (2022 snapshot)"

_LEVEL_ALIASES = {
    "provinsi": "provinsi", "prov": "provinsi", "propinsi": "provinsi",
    "kabkota": "kabkota", "kabupaten": "kabkota", "kota": "kabkota", "kab": "kabkota",
    "kabupatenkota": "kabkota", "kabkot": "kabkota",
    "kecamatan": "kecamatan", "kec": "kecamatan", "distrik": "kecamatan",
    "desa": "desa", "kelurahan": "desa", "desakelurahan": "desa", "kel": "desa", "desaadat": "desa",
    "kelurahandesa": "desa", "nagari": "desa", "kampung": "desa", "gampong": "desa",
}
_PARENT_LEVEL = {"kabkota": "provinsi", "kecamatan": "kabkota", "desa": "kecamatan"}
_LEVEL_ORDER = ("provinsi", "kabkota", "kecamatan", "desa")

WILAYAH_COLS = ("kode", "level", "nama", "parent", "kode_kab", "kode_kec", "jenis", "versi")
XWALK_COLS = ("kode_bps", "level", "nama_bps", "kode_dagri", "nama_dagri", "sumber", "valid_from", "valid_to")


def jenis_of(kode: str) -> tuple[str | None, Msg | None]:
    """(jenis, problem) from the code: kab 01-69 kabupaten / 71-99 kota; desa prefix 1/2/3."""
    lv = level_of(kode)
    if lv == "provinsi":
        return "provinsi", None
    if lv == "kabkota":
        n = int(kode[3:5])
        if 1 <= n <= 69:
            return "kabupaten", None
        if 71 <= n <= 99:
            return "kota", None
        return None, Msg("impor.wilayah.nomor_kabkota")
    if lv == "kecamatan":
        return "kecamatan", None
    if lv == "desa":
        j = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}.get(kode[9])
        return (j, None) if j else (None, Msg("impor.wilayah.nomor_desa"))
    return None, Msg("impor.wilayah.kode_tidak_sah")


def _kab_option(v) -> tuple[list[str], list[Problem]]:
    if v in (None, "", []):
        return [], []
    items = v if isinstance(v, (list, tuple, set)) else re.split(r"[,;\s]+", str(v))
    out, probs = [], []
    for it in items:
        if not str(it).strip():
            continue
        d = dotted(str(it).strip())
        if d is None or level_of(d) != "kabkota":
            probs.append(Problem(None, None, Msg("impor.wilayah.opsi_kab", {"v": it}), str(it)))
        else:
            out.append(d)
    return sorted(set(out)), probs


def _read(path: Path, name: str, options: dict, expected: list[str]) -> tuple[pl.DataFrame | None, list[Problem]]:
    from ilp.ingest.readers import ReadError, read_table
    opts = {k: v for k, v in options.items() if k in ("sheet", "header_row", "delimiter", "max_rows")}
    opts["expected"] = expected
    opts["name"] = name
    try:
        return read_table(path, opts), []
    except ReadError as e:
        p = e.problem
        return None, [Problem(p.row, p.column, Msg("impor.di_file", {"file": name, "isi": p.msg}) if name else p.msg,
                              p.nilai)]


def read_rows(src: Source, options: dict, expected: list[str], columns, out: Parsed) -> pl.DataFrame | None:
    """Read the file, drop a template description row left in it, count the data rows; on a read
    error the problem goes into `out` and None comes back."""
    df, probs = _read(src.path, src.name, options, expected)
    if df is None:
        out.problems += probs
        return None
    df, n_desc = drop_template_rows(df, columns)
    if n_desc:
        out.notes.append(Msg("impor.catatan.baris_keterangan", {"n": n_desc}))
    out.rows_read = df.height
    return df


def drop_template_rows(df: pl.DataFrame, columns) -> tuple[pl.DataFrame, int]:
    """Remove rows that repeat a template's description row (KIND.columns descriptions left in the file)."""
    checks = [(c, d) for c, d, _ in columns if d and c in df.columns]
    if not checks or df.height == 0:
        return df, 0
    hits = sum((df[c] == d).fill_null(False).cast(pl.Int32) for c, d in checks)
    mask = hits >= max(1, (len(checks) + 1) // 2)
    return df.filter(~mask), int(mask.sum())


def _col(df: pl.DataFrame, *names: str) -> str | None:
    want = {_norm(n) for n in names}
    for c in df.columns:
        if _norm(c) in want:
            return c
    return None


def _db_codes(con, codes: list[str]) -> set[str]:
    if con is None or not codes:
        return set()
    df = db.run(con, "ingest/wilayah_nama", kode=sorted(set(codes)))
    return set(df["kode"].to_list())


def _db_kabs(con) -> set[str]:
    if con is None:
        return set()
    df = db.run(con, "ingest/kabkota_dimuat")
    return set(df["kode_kab"].to_list())


# ---------------------------------------------------------------- wilayah rows

def parse_wilayah_frame(df: pl.DataFrame, kabs: list[str], versi: str, con) -> tuple[pl.DataFrame, list[Problem], list[Msg]]:
    notes: list[Msg] = []
    problems: list[Problem] = []
    c_kode = _col(df, "kode", "kode_wilayah", "kode_dagri", "kode_kemendagri")
    c_nama = _col(df, "nama", "nama_wilayah")
    c_level = _col(df, "level", "tingkat")
    missing = [n for n, c in (("kode", c_kode), ("nama", c_nama)) if c is None]
    if missing:
        problems.append(Problem(None, None, Msg("impor.wilayah.kolom_wajib", {
            "kolom": ", ".join(missing), "ada": ", ".join(c for c in df.columns if c != "_row")})))
        return pl.DataFrame(schema={c: pl.String for c in WILAYAH_COLS}), problems, notes
    kab_nodot = {k.replace(".", "") for k in kabs}
    prov_keep = {k[:2] for k in kabs}
    rows = []
    seen: dict[str, int] = {}
    skipped = 0
    for r in df.iter_rows(named=True):
        rown = r["_row"]
        raw = (r[c_kode] or "").strip()
        digits = raw.replace(".", "")
        if kabs:
            in_scope = (digits[:4] in kab_nodot) or (len(digits) == 2 and digits in prov_keep)
            if not in_scope:
                skipped += 1
                continue
        kode = dotted(raw)
        if kode is None:
            problems.append(Problem(rown, c_kode, Msg("impor.wilayah.kode_tidak_sah"), raw or None))
            continue
        lv = level_of(kode)
        if c_level and r[c_level]:
            given = _LEVEL_ALIASES.get(_norm(r[c_level]))
            if given is None:
                problems.append(Problem(rown, c_level, Msg("impor.wilayah.level_tidak_dikenal"), r[c_level]))
                continue
            if given != lv:
                problems.append(Problem(rown, c_kode, Msg("impor.wilayah.level_beda", {"kode": kode, "level": lv,
                                                                                    "isi": r[c_level]}), kode))
                continue
        nama = (r[c_nama] or "").strip()
        if not nama:
            problems.append(Problem(rown, c_nama, Msg("impor.wilayah.nama_kosong")))
            continue
        jenis, why = jenis_of(kode)
        if jenis is None:
            problems.append(Problem(rown, c_kode, why, kode))
            continue
        if kode in seen:
            problems.append(Problem(rown, c_kode, Msg("impor.wilayah.kode_ganda", {"kode": kode, "baris": seen[kode]}), kode))
            continue
        seen[kode] = rown
        rows.append({"_row": rown, "kode": kode, "level": lv, "nama": nama, "parent": parent_of(kode),
                     "kode_kab": kode[:5] if lv != "provinsi" else None,
                     "kode_kec": kode[:8] if lv == "desa" else None, "jenis": jenis, "versi": versi})
    if skipped:
        notes.append(Msg("impor.wilayah.di_luar_kab", {"n": skipped, "kab": ", ".join(kabs)}))
    # parents: in the file (valid rows) or in the database; checked level by level so a rejected
    # kecamatan also rejects its desa
    needed = [r["parent"] for r in rows if r["parent"]]
    in_db = _db_codes(con, [p for p in needed if p not in seen])
    ok: set[str] = set()
    out = []
    for lv in _LEVEL_ORDER:
        for r in rows:
            if r["level"] != lv:
                continue
            p = r["parent"]
            if p is not None and p not in ok and p not in in_db:
                problems.append(Problem(r["_row"], c_kode, Msg("impor.wilayah.induk_tidak_ada", {"induk": p, "kode": r["kode"]}),
                                        r["kode"]))
                continue
            ok.add(r["kode"])
            out.append(r)
    out.sort(key=lambda r: r["_row"])
    frame = pl.DataFrame([{k: r[k] for k in WILAYAH_COLS} for r in out],
                         schema={c: pl.String for c in WILAYAH_COLS}, orient="row") if out else \
        pl.DataFrame(schema={c: pl.String for c in WILAYAH_COLS})
    return frame, problems, notes


# ---------------------------------------------------------------- crosswalk rows

def parse_xwalk_frame(df: pl.DataFrame, file: str, kab_scope: set[str] | None, known: set[str],
                      sumber: str = XWALK_SUMBER) -> tuple[pl.DataFrame, list[Problem], list[Msg]]:
    """BPS crosswalk rows → xwalk_bps_dagri (kode_dagri dotted; level from its length)."""
    problems: list[Problem] = []
    notes: list[Msg] = []
    cb, cd = _col(df, "kode_bps"), _col(df, "kode_dagri", "kode_kemendagri")
    nb, nd = _col(df, "nama_bps"), _col(df, "nama_dagri", "nama_kemendagri")
    if cb is None or cd is None:
        problems.append(Problem(None, None, Msg("impor.xwalk.kolom", {"file": file})))
        return pl.DataFrame(schema=_xwalk_schema()), problems, notes
    rows, seen, outside, unknown = [], {}, 0, 0
    bps_len = BPS_DIGITS
    for r in df.iter_rows(named=True):
        rown = r["_row"]
        b = (r[cb] or "").strip()
        d = dotted((r[cd] or "").strip())
        lv = level_of(d) if d else None
        if lv not in bps_len:
            problems.append(Problem(rown, cd, Msg("impor.xwalk.kode_dagri", {"file": file}), r[cd]))
            continue
        if kab_scope is not None and d[:5] not in kab_scope:
            outside += 1
            continue
        if not (b.isdigit() and len(b) == bps_len[lv]):
            problems.append(Problem(rown, cb, Msg("impor.xwalk.kode_bps", {"file": file, "n": bps_len[lv], "level": lv}),
                                    b or None))
            continue
        if (b, d) in seen:
            problems.append(Problem(rown, cb, Msg("impor.xwalk.ganda", {"file": file, "bps": b, "dagri": d,
                                                                        "baris": seen[(b, d)]}), b))
            continue
        seen[(b, d)] = rown
        if d not in known:
            unknown += 1
        rows.append({"kode_bps": b, "level": lv, "nama_bps": (r[nb] or None) if nb else None, "kode_dagri": d,
                     "nama_dagri": (r[nd] or None) if nd else None, "sumber": sumber,
                     "valid_from": None, "valid_to": None})
    if outside:
        notes.append(Msg("impor.xwalk.di_luar_kab", {"file": file, "n": outside}))
    if unknown:
        notes.append(Msg("impor.xwalk.kode_lama", {"file": file, "n": unknown}))
    frame = pl.DataFrame(rows, schema=_xwalk_schema(), orient="row") if rows else pl.DataFrame(schema=_xwalk_schema())
    return frame, problems, notes


def _xwalk_schema() -> dict:
    return {"kode_bps": pl.String, "level": pl.String, "nama_bps": pl.String, "kode_dagri": pl.String,
            "nama_dagri": pl.String, "sumber": pl.String, "valid_from": pl.Date, "valid_to": pl.Date}


# ---------------------------------------------------------------- parse

def parse(src: Source, con) -> Parsed:
    opts = dict(src.options or {})
    out = Parsed()
    kabs, probs = _kab_option(opts.get("kab"))
    if probs:
        out.problems += probs
        return out
    versi = str(opts.get("versi") or DEFAULT_VERSI)
    df = read_rows(src, opts, ["kode", "nama", "level", "kode_bps", "kode_dagri"], KIND.columns, out)
    if df is None:
        return out
    is_xwalk = _col(df, "kode_bps") is not None and _col(df, "kode_dagri", "kode_kemendagri") is not None
    xwalk_frames = []
    wil = pl.DataFrame(schema={c: pl.String for c in WILAYAH_COLS})
    if not is_xwalk:
        wil, probs, notes = parse_wilayah_frame(df, kabs, versi, con)
        out.problems += probs
        out.notes += notes
    scope: set[str] | None = set(kabs) if kabs else (set(wil["kode_kab"].drop_nulls().to_list()) | _db_kabs(con))
    if not scope:
        scope = None
    known = set(wil["kode"].to_list())
    xw_paths = opts.get("xwalk") or []
    if isinstance(xw_paths, (str, Path)):
        xw_paths = [xw_paths]
    xw_inputs: list[tuple[pl.DataFrame, str]] = [(df, src.name)] if is_xwalk else []
    for p in xw_paths:
        p = Path(p)
        xdf, probs = _read(p, p.name, {}, ["kode_bps", "kode_dagri"])
        if xdf is None:
            out.problems += probs
            continue
        out.rows_read += xdf.height
        xw_inputs.append((xdf, p.name))
    if xw_inputs:
        dagri = []
        for xdf, _ in xw_inputs:
            c = _col(xdf, "kode_dagri", "kode_kemendagri")
            if c is not None:
                dagri += [d for d in (dotted(v) for v in xdf[c].to_list()) if d]
        known_all = known | _db_codes(con, [d for d in dagri if d not in known])
        for xdf, name in xw_inputs:
            f, probs, notes = parse_xwalk_frame(xdf, name, scope, known_all, str(opts.get("xwalk_sumber") or XWALK_SUMBER))
            out.problems += probs
            out.notes += notes
            xwalk_frames.append(f)
    if not is_xwalk:
        out.tables["wilayah"] = wil
        # a kab/kota listed completely (kab row + kecamatan + desa) replaces what the database holds for it,
        # so codes removed by the new regulation disappear
        full = sorted(k for k in set(wil.filter(pl.col("level") == "kabkota")["kode"].to_list())
                      if wil.filter((pl.col("kode_kab") == k) & (pl.col("level") == "kecamatan")).height
                      and wil.filter((pl.col("kode_kab") == k) & (pl.col("level") == "desa")).height)
        if full:
            out.replace["wilayah"] = ("delete from wilayah where list_contains($kab, kode_kab)", {"kab": full})
            listed = ", ".join(full) if len(full) <= 10 else f"{len(full)} kab/kota"
            out.notes.append(Msg("impor.wilayah.diganti", {"kab": listed}))
        counts = wil.group_by("level").len()
        cnt = dict(zip(counts["level"].to_list(), counts["len"].to_list()))
        out.notes.append(Msg("impor.wilayah.jumlah", {"daftar": ", ".join(f"{cnt.get(lv, 0)} {lv}" for lv in _LEVEL_ORDER)}))
    if xwalk_frames:
        xw = pl.concat(xwalk_frames)
        xw = xw.unique(subset=["kode_bps", "kode_dagri"], keep="first", maintain_order=True)
        out.tables["xwalk_bps_dagri"] = xw
        out.notes.append(Msg("impor.xwalk.jumlah", {"n": xw.height}))
    out.rows_valid = sum(t.height for t in out.tables.values())
    return out


KIND = ImportKind(
    name="wilayah",
    title_id="Daftar kode wilayah Kemendagri (dan padanan kode BPS)",
    title_en="Kemendagri area-code list (and BPS code crosswalk)",
    tables=("wilayah", "xwalk_bps_dagri"),
    columns=(
        ("kode", "Kode wilayah Kemendagri, dengan atau tanpa titik (kolom kode_prov, kode_kab, kode_kec, "
                 "kode_nodot boleh ada; diabaikan)", "35.23.01.2001"),
        ("nama", "Nama resmi wilayah", "Jlodro"),
        ("level", "provinsi | kabkota | kecamatan | desa (boleh kosong: dibaca dari panjang kode). File padanan "
                  "BPS memakai kolom kode_bps, nama_bps, kode_dagri, nama_dagri", "desa"),
    ),
    parse=parse,
    extensions=TABULAR_EXTS,
    options=(
        Option("kab", "list", "impor.opsi.kab", "impor.opsi.kab_bantuan", metavar="KODE"),
        Option("xwalk", "file", "impor.opsi.xwalk", "impor.opsi.xwalk_bantuan", metavar="FILE"),
    ),
)
