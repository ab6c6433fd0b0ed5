"""Import kind 'wilayah': the Kemendagri area-code list, and the BPS ↔ Kemendagri crosswalk.

File layout (as wilayah.csv from cahyadsn/wilayah): kode, nama, level [, kode_prov, kode_kab,
kode_kec, kode_nodot — ignored, derived from kode]. Options:
    kab      list of kab/kota codes (['35.23'] or '35.23,33.29'): only those kab/kota, their
             kecamatan and desa, plus their province row
    versi    code-list version written to wilayah.versi (default KEPMENDAGRI_300.2.2-2138_2025)
    xwalk    path (or list of paths) of a BPS crosswalk file (kode_bps, nama_bps, kode_dagri,
             nama_dagri; as bps_kemendagri_kecamatan.csv / _kabkota.csv) → xwalk_bps_dagri
A file that itself has kode_bps + kode_dagri columns is read as a crosswalk. Both layouts are column
specs (COLS, XWALK_SPEC) read by the shared tabular parser.
Crosswalk rows are kept only when kode_dagri lies in the selected kab/kota (option kab, else the
kab/kota in the file or already in the database).
"""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from ilp import db
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.tabular import Ctx, parse_tabular
from ilp.names import BPS_DIGITS, LEVELS, code_level as level_of, dotted, header_key, parent_code as parent_of

DEFAULT_VERSI = "KEPMENDAGRI_300.2.2-2138_2025"
XWALK_SUMBER = "BPS bridging 2020 (2022 snapshot)"

LEVEL_ALIASES = {header_key(k): v for k, v in {
    "provinsi": "provinsi", "prov": "provinsi", "propinsi": "provinsi",
    "kabkota": "kabkota", "kabupaten": "kabkota", "kota": "kabkota", "kab": "kabkota",
    "kabupaten/kota": "kabkota", "kabkot": "kabkota",
    "kecamatan": "kecamatan", "kec": "kecamatan", "distrik": "kecamatan",
    "desa": "desa", "kelurahan": "desa", "desa/kelurahan": "desa", "kel": "desa", "desa adat": "desa",
    "kelurahan/desa": "desa", "nagari": "desa", "kampung": "desa", "gampong": "desa",
}.items()}

COLS = (
    Col("kode", aliases=("kode_wilayah", "kode_dagri", "kode_kemendagri"),
        desc="impor.tata_letak.wilayah.kode", example="35.23.01.2001"),
    Col("nama", aliases=("nama_wilayah",), desc="impor.tata_letak.wilayah.nama", example="Jlodro"),
    Col("level", "choice", required=False, allow_empty=True, soft=False, choices=LEVEL_ALIASES, aliases=("tingkat",),
        choices_label="impor.pilihan.level",
        desc="impor.tata_letak.wilayah.level", example="desa"),
)
XWALK_SPEC = (
    Col("kode_bps"), Col("kode_dagri", aliases=("kode_kemendagri",)),
    Col("nama_bps", required=False), Col("nama_dagri", required=False, aliases=("nama_kemendagri",)),
)
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


def _db_codes(con, codes: list[str]) -> set[str]:
    if con is None or not codes:
        return set()
    return set(db.run(con, "ingest/wilayah_nama", kode=sorted(set(codes)))["kode"].to_list())


def _db_kabs(con) -> set[str]:
    return set(db.run(con, "ingest/kabkota_dimuat")["kode_kab"].to_list()) if con is not None else set()


def _wilayah_schema() -> dict:
    return {"_row": pl.Int64, **{c: pl.String for c in WILAYAH_COLS}}


# ---------------------------------------------------------------- wilayah rows

def build_wilayah(df: pl.DataFrame, ctx: Ctx, kabs: list[str], versi: str) -> pl.DataFrame:
    """Checked wilayah rows (with `_row`); rows outside the chosen kab/kota are left out and counted."""
    kab_nodot = {k.replace(".", "") for k in kabs}
    prov_keep = {k[:2] for k in kabs}
    rows = []
    seen: dict[str, int] = {}
    skipped: set[int] = set()
    col = ctx.col

    def bad(rown: int, column: str, msg: Msg, nilai=None) -> None:
        ctx.problems.append(Problem(rown, col(column), msg, nilai))

    for r in df.iter_rows(named=True):
        rown, raw = r["_row"], (r["kode"] or "").strip()
        digits = raw.replace(".", "")
        if kabs and not ((digits[:4] in kab_nodot) or (len(digits) == 2 and digits in prov_keep)):
            skipped.add(rown)
            continue
        kode = dotted(raw)
        if kode is None:
            bad(rown, "kode", Msg("impor.wilayah.kode_tidak_sah"), raw or None)
            continue
        lv = level_of(kode)
        if r["level"] and r["level"] != lv:
            bad(rown, "kode", Msg("impor.wilayah.level_beda", {"kode": kode, "level": lv, "isi": r["level"]}), kode)
            continue
        jenis, why = jenis_of(kode)
        if jenis is None:
            bad(rown, "kode", why, kode)
            continue
        if kode in seen:
            bad(rown, "kode", Msg("impor.wilayah.kode_ganda", {"kode": kode, "baris": seen[kode]}), kode)
            continue
        seen[kode] = rown
        rows.append({"_row": rown, "kode": kode, "level": lv, "nama": r["nama"], "parent": parent_of(kode),
                     "kode_kab": kode[:5] if lv != "provinsi" else None,
                     "kode_kec": kode[:8] if lv == "desa" else None, "jenis": jenis, "versi": versi})
    if skipped:   # rows outside the chosen kab/kota are not read at all
        ctx.problems[:] = [p for p in ctx.problems if p.row not in skipped]
        ctx.notes.append(Msg("impor.wilayah.di_luar_kab", {"n": len(skipped), "kab": ", ".join(kabs)}))
    # parents: in the file (valid rows) or in the database; checked level by level so a rejected
    # kecamatan also rejects its desa
    rejected = {p.row for p in ctx.problems}
    rows = [r for r in rows if r["_row"] not in rejected]
    in_db = _db_codes(ctx.con, [r["parent"] for r in rows if r["parent"] and r["parent"] not in seen])
    ok: set[str] = set()
    out = []
    for lv in LEVELS:
        for r in rows:
            if r["level"] != lv:
                continue
            p = r["parent"]
            if p is not None and p not in ok and p not in in_db:
                bad(r["_row"], "kode", Msg("impor.wilayah.induk_tidak_ada", {"induk": p, "kode": r["kode"]}), r["kode"])
                continue
            ok.add(r["kode"])
            out.append(r)
    out.sort(key=lambda r: r["_row"])
    return pl.DataFrame(out, schema=_wilayah_schema(), orient="row")


# ---------------------------------------------------------------- crosswalk rows

def build_xwalk(df: pl.DataFrame, ctx: Ctx, kab_scope: set[str] | None, known: set[str],
                sumber: str = XWALK_SUMBER) -> pl.DataFrame:
    """BPS crosswalk rows → xwalk_bps_dagri (kode_dagri dotted; level from its length), with `_row`."""
    rows, seen, outside, unknown = [], {}, 0, 0
    for r in df.iter_rows(named=True):
        rown = r["_row"]
        b = (r["kode_bps"] or "").strip()
        d = dotted(r["kode_dagri"])
        lv = level_of(d) if d else None
        if lv not in BPS_DIGITS:
            ctx.problems.append(Problem(rown, ctx.col("kode_dagri"), Msg("impor.xwalk.kode_dagri"), r["kode_dagri"]))
            continue
        if kab_scope is not None and d[:5] not in kab_scope:
            outside += 1
            continue
        if not (b.isdigit() and len(b) == BPS_DIGITS[lv]):
            ctx.problems.append(Problem(rown, ctx.col("kode_bps"), Msg("impor.xwalk.kode_bps", {
                "n": BPS_DIGITS[lv], "level": lv}), b or None))
            continue
        if (b, d) in seen:
            ctx.problems.append(Problem(rown, ctx.col("kode_bps"), Msg("impor.xwalk.ganda", {
                "bps": b, "dagri": d, "baris": seen[(b, d)]}), b))
            continue
        seen[(b, d)] = rown
        unknown += d not in known
        rows.append({"_row": rown, "kode_bps": b, "level": lv, "nama_bps": r["nama_bps"], "kode_dagri": d,
                     "nama_dagri": r["nama_dagri"], "sumber": sumber, "valid_from": None, "valid_to": None})
    if outside:
        ctx.notes.append(Msg("impor.xwalk.di_luar_kab", {"file": ctx.src.name, "n": outside}))
    if unknown:
        ctx.notes.append(Msg("impor.xwalk.kode_lama", {"file": ctx.src.name, "n": unknown}))
    return pl.DataFrame(rows, schema={"_row": pl.Int64, **_xwalk_schema()}, orient="row")


def _xwalk_schema() -> dict:
    return {"kode_bps": pl.String, "level": pl.String, "nama_bps": pl.String, "kode_dagri": pl.String,
            "nama_dagri": pl.String, "sumber": pl.String, "valid_from": pl.Date, "valid_to": pl.Date}


# ---------------------------------------------------------------- parse

def _in_file(file: str, parsed: Parsed) -> Parsed:
    """Problems of a second file (a crosswalk given with the list) name that file."""
    parsed.problems[:] = [Problem(p.row, p.column, Msg("impor.di_file", {"file": file, "isi": p.msg}), p.nilai)
                          for p in parsed.problems]   # in place: a capped list keeps its count of rows
    return parsed


def parse(src: Source, con) -> Parsed:
    opts = dict(src.options or {})
    kabs, probs = _kab_option(opts.get("kab"))
    if probs:
        return Parsed(problems=probs)
    versi = str(opts.get("versi") or DEFAULT_VERSI)
    sumber = str(opts.get("xwalk_sumber") or XWALK_SUMBER)
    xw_paths = opts.get("xwalk") or []
    xw_paths = [xw_paths] if isinstance(xw_paths, (str, Path)) else list(xw_paths)
    scope_of: dict = {}

    def scope(wil: pl.DataFrame | None) -> set[str] | None:
        if "scope" not in scope_of:
            got = set(kabs) if kabs else (set(wil["kode_kab"].drop_nulls().to_list() if wil is not None else [])
                                          | _db_kabs(con))
            scope_of["scope"] = got or None
        return scope_of["scope"]

    def known_codes(df: pl.DataFrame, wil: pl.DataFrame | None) -> set[str]:
        mine = set(wil["kode"].to_list()) if wil is not None else set()
        dagri = [d for d in (dotted(v) for v in df["kode_dagri"].to_list()) if d and d not in mine]
        return mine | _db_codes(con, dagri)

    def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
        if ctx.cols is XWALK_SPEC:   # the file itself is a crosswalk
            return {"xwalk_bps_dagri": build_xwalk(df, ctx, scope(None), known_codes(df, None), sumber)}
        return {"wilayah": build_wilayah(df, ctx, kabs, versi)}

    out = parse_tabular(src, con, COLS, build, variants=(XWALK_SPEC,))
    wil = out.tables.get("wilayah")
    if out.fatal:
        return out
    for p in map(Path, xw_paths):
        x = _in_file(p.name, parse_tabular(Source(path=p, name=p.name), con, XWALK_SPEC, lambda df, ctx: {
            "xwalk_bps_dagri": build_xwalk(df, ctx, scope(wil), known_codes(df, wil), sumber)}))
        out.problems += x.problems
        out.notes += x.notes
        out.rows_read += x.rows_read
        if "xwalk_bps_dagri" in x.tables:
            xw = out.tables.get("xwalk_bps_dagri")
            out.tables["xwalk_bps_dagri"] = x.tables["xwalk_bps_dagri"] if xw is None else pl.concat(
                [xw, x.tables["xwalk_bps_dagri"]])
    if wil is not None:
        # a kab/kota listed completely (kab row + kecamatan + desa) replaces what the database holds for it,
        # so codes removed by the new regulation disappear
        full = sorted(k for k in set(wil.filter(pl.col("level") == "kabkota")["kode"].to_list())
                      if wil.filter((pl.col("kode_kab") == k) & (pl.col("level") == "kecamatan")).height
                      and wil.filter((pl.col("kode_kab") == k) & (pl.col("level") == "desa")).height)
        if full:
            out.replace["wilayah"] = ("delete from wilayah where list_contains($kab, kode_kab)", {"kab": full})
            listed = ", ".join(full) if len(full) <= 10 else f"{len(full)} kab/kota"
            out.notes.append(Msg("impor.wilayah.diganti", {"kab": listed}))
        counts = dict(wil.group_by("level").len().iter_rows())
        out.notes.append(Msg("impor.wilayah.jumlah", {"daftar": ", ".join(f"{counts.get(lv, 0)} {lv}" for lv in LEVELS)}))
    xw = out.tables.get("xwalk_bps_dagri")
    if xw is not None:
        out.tables["xwalk_bps_dagri"] = xw.unique(subset=["kode_bps", "kode_dagri"], keep="first", maintain_order=True)
        out.notes.append(Msg("impor.xwalk.jumlah", {"n": out.tables["xwalk_bps_dagri"].height}))
    out.rows_valid = sum(t.height for t in out.tables.values())
    return out


KIND = ImportKind(
    name="wilayah",
    title_id="Daftar kode wilayah Kemendagri (dan padanan kode BPS)",
    title_en="Kemendagri area-code list (and BPS code crosswalk)",
    tables=("wilayah", "xwalk_bps_dagri"),
    columns=template_columns(COLS),
    parse=parse,
    extensions=TABULAR_EXTS,
    options=(
        Option("kab", "list", "impor.opsi.kab", "impor.opsi.kab_bantuan", metavar="KODE"),
        Option("xwalk", "file", "impor.opsi.xwalk", "impor.opsi.xwalk_bantuan", metavar="FILE"),
        Option("versi", "text", "impor.opsi.versi", "impor.opsi.versi_bantuan", default=DEFAULT_VERSI),
        Option("xwalk_sumber", "text", "impor.opsi.xwalk_sumber", "impor.opsi.xwalk_sumber_bantuan", default=XWALK_SUMBER),
    ),
)
