"""Checks of imported values against what the database already holds (wilayah, faskes, layanan_spm),
and the duplicate / date-order checks every tabular kind shares. SQL lives in queries/ingest/."""
from __future__ import annotations

from typing import Iterable

import polars as pl

from ilp import db
from ilp.ingest.base import Msg, Problem
from ilp.ingest.tabular import Ctx, fmt_value
from ilp.names import code_level, dotted, name_key

_MISSING_QUERY = {"wilayah": "ingest/wilayah_tidak_dikenal", "faskes": "ingest/faskes_tidak_dikenal",
                  "layanan_spm": "ingest/layanan_tidak_dikenal"}
# the import kind that fills each reference table (named in 'import X first')
_FILLED_BY = {"wilayah": "wilayah", "faskes": "faskes", "layanan_spm": "spm"}


def _keys(codes: Iterable) -> list[str]:
    return sorted({c for c in codes if c})


def table_count(con, what: str, level: str | None = None) -> int:
    """Rows in wilayah (optionally of one level), faskes or layanan_spm."""
    return int(db.run(con, "ingest/jumlah_referensi", level=level)[what][0])


def missing_codes(con, codes: Iterable[str], table: str, level: str | None = None) -> set[str]:
    """Codes not present in wilayah (optionally of a level) / faskes (optionally of a jenis) / layanan_spm."""
    keys = _keys(codes)
    if not keys:
        return set()
    if table == "wilayah":
        df = db.run(con, _MISSING_QUERY[table], kode=keys, level=level)
    elif table == "faskes":
        df = db.run(con, _MISSING_QUERY[table], kode=keys, jenis=level)
    else:
        df = db.run(con, _MISSING_QUERY[table], kode=keys)
    return set(df["kode"].to_list())


def faskes_jenis(con, codes: Iterable[str]) -> dict[str, str]:
    """kode_faskes -> jenis for the codes that exist."""
    keys = _keys(codes)
    return dict(db.run(con, "ingest/faskes_jenis", kode=keys).iter_rows()) if keys else {}


def wilayah_names(con, codes: Iterable[str]) -> dict[str, str]:
    """kode -> nama for the codes that exist in wilayah."""
    keys = _keys(codes)
    return dict(db.run(con, "ingest/wilayah_nama", kode=keys).iter_rows()) if keys else {}


def wilayah_by_name(con, level: str) -> dict[str, str]:
    """name_key -> kode for one level (names used twice are left out: ambiguous)."""
    out: dict[str, str | None] = {}
    for kode, nama in db.run(con, "ingest/wilayah_level", level=level).select("kode", "nama").iter_rows():
        key = name_key(nama)
        out[key] = kode if key not in out or out[key] == kode else None
    return {k: v for k, v in out.items() if v}


def same_place(a: str | None, b: str | None) -> bool:
    """Loose name equality: 'Kab. Tuban' ~ 'Kabupaten Tuban' ~ 'TUBAN'; 'Kota Tanjung Pinang' ~ 'Kota Tanjungpinang'."""
    if not a or not b:
        return True
    from rapidfuzz import fuzz
    x, y = name_key(a), name_key(b)
    return x == y or fuzz.ratio(x, y) >= 85


def dotted_expr(column: str) -> pl.Expr:
    """The column with Kemendagri codes written with dots ('352301' -> '35.23.01'); anything else unchanged
    (so a wrong code is still seen, and reported, by the checks)."""
    return pl.coalesce(pl.col(column).map_elements(dotted, return_dtype=pl.String), pl.col(column)).alias(column)


def _level_of(expr: pl.Expr) -> pl.Expr:
    return expr.map_elements(lambda k: code_level(k) or "", return_dtype=pl.String).fill_null("")


def check_level(ctx: Ctx, df: pl.DataFrame, column: str, level: str, skip: Iterable[str] = ("",)) -> None:
    """Flag codes in `column` that are not dotted Kemendagri codes of `level` (e.g. 'desa')."""
    d = df.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(list(skip)))
    _flag_each(ctx, d.filter(_level_of(pl.col(column)) != level), column, "impor.bukan_kode_level",
               level=Msg(f"impor.level.{level}"), contoh=_EXAMPLE[level])


def _flag_each(ctx: Ctx, bad: pl.DataFrame, column: str, key: str, **params) -> None:
    """One Problem per row of `bad` on `column`, the cell's value as parameter `v` (as many as a capped
    problem list has room for; the other rows are still rejected)."""
    bad = _room(ctx, bad)
    for r in bad.select("_row", column).iter_rows():
        ctx.problems.append(Problem(r[0], ctx.col(column), Msg(key, {"v": fmt_value(r[1]), **params}),
                                    nilai=fmt_value(r[1])))


_EXAMPLE = {"provinsi": "35", "kabkota": "35.23", "kecamatan": "35.23.01", "desa": "35.23.01.2001"}


def check_kabkota(ctx: Ctx, df: pl.DataFrame, kode: str = "kode_wilayah", nama: str | None = "nama",
                  national: str = "00") -> None:
    """Kab/kota codes: right shape, present in wilayah (when wilayah holds kab/kota rows), name agrees."""
    d = df.filter(pl.col(kode).is_not_null() & (pl.col(kode) != national) & (pl.col(kode) != ""))
    check_level(ctx, d, kode, "kabkota")
    if d.height == 0:
        return
    if table_count(ctx.con, "wilayah", "kabkota") == 0:
        ctx.notes.append(Msg("impor.catatan.kabkota_belum_ada"))
        return
    check_codes(ctx, d, kode, "wilayah", "kabkota")
    if nama and nama in d.columns:
        names = wilayah_names(ctx.con, d[kode].to_list())
        for r in d.select("_row", kode, nama).iter_rows(named=True):
            if r[kode] in names and not same_place(r[nama], names[r[kode]]):
                ctx.problems.append(Problem(r["_row"], ctx.col(nama), Msg("impor.nama_tidak_cocok", {
                    "nama": r[nama], "kode": r[kode], "nama_db": names[r[kode]]}), nilai=r[nama]))


def check_codes(ctx: Ctx, df: pl.DataFrame, column: str, table: str, level: str | None = None) -> None:
    """Flag rows whose `column` value is not in the reference table (of `level`: wilayah level / faskes jenis)."""
    vals = df.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
    miss = missing_codes(ctx.con, vals[column].to_list(), table, level)
    if not miss:
        return
    if table_count(ctx.con, table) == 0:
        hint = Msg("impor.petunjuk.tabel_kosong", {"tabel": table, "jenis": _FILLED_BY[table]})
    elif level:
        hint = Msg("impor.petunjuk.tidak_di_tabel_level", {"tabel": table, "level": level})
    else:
        hint = Msg("impor.petunjuk.tidak_di_tabel", {"tabel": table})
    _flag_each(ctx, vals.filter(pl.col(column).is_in(sorted(miss))), column, "impor.kode_tidak_dikenal",
               apa=Msg(f"impor.apa.{column}") if column in _NOUNS else ctx.col(column), petunjuk=hint)


_NOUNS = ("kode_wilayah", "kode_unit", "kode_puskesmas", "kode_desa", "kode_faskes", "layanan", "kode_kec")


def check_duplicates(ctx: Ctx, df: pl.DataFrame, keys: list[str], extra: Msg | None = None,
                     show: Iterable[str] = ()) -> None:
    """Every later row with the same key as an earlier row is flagged, naming the first row.

    `show`: columns whose values in both rows are quoted (e.g. the two conflicting targets)."""
    if df.height < 2:
        return
    show = [c for c in show if c in df.columns]
    d = df.select(["_row", *keys, *[c for c in show if c not in keys]]).filter(
        pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
    first = d.group_by(keys, maintain_order=True).agg(pl.col("_row").min().alias("_first"), pl.len().alias("_n"))
    dup = d.join(first.filter(pl.col("_n") > 1), on=keys, how="inner", nulls_equal=True).filter(pl.col("_row") != pl.col("_first"))
    if dup.height == 0:
        return
    dup = _room(ctx, dup.sort("_row").unique("_row", keep="first", maintain_order=True))
    by_row = {r["_row"]: r for r in d.filter(pl.col("_row").is_in(dup["_first"].unique())).iter_rows(named=True)}
    seen: set[int] = set()
    for r in dup.iter_rows(named=True):
        if r["_row"] in seen:   # a wide row made long appears once per category
            continue
        seen.add(r["_row"])
        key_txt = ", ".join(f"{ctx.col(k)}={fmt_value(r[k])}" for k in keys if r[k] not in ("", None))
        f = by_row.get(r["_first"], {})
        vals = [Msg("impor.duplikat_nilai", {"kolom": ctx.col(c), "ini": fmt_value(r[c]), "itu": fmt_value(f.get(c)),
                                             "baris": r["_first"]}) for c in show]
        ctx.problems.append(Problem(r["_row"], None, Msg("impor.duplikat", {
            "kunci": key_txt, "baris": r["_first"], "nilai": Msg("impor.dalam_kurung", {"isi": vals}) if vals else "",
            "tambahan": extra or ""})))


def _room(ctx: Ctx, bad: pl.DataFrame) -> pl.DataFrame:
    """The first rows of `bad` that a capped problem list (tabular.Problems) keeps a message for; the rows after
    those are recorded as rejected without one."""
    room = getattr(ctx.problems, "room", None)
    if room is None or bad.height <= room():
        return bad
    n = room()
    ctx.problems.skip(bad["_row"].slice(n).unique(maintain_order=True).to_list())
    return bad.head(n)


def check_date_order(ctx: Ctx, df: pl.DataFrame, earlier: str, later: str, what: Msg | str = "") -> None:
    """Flag rows where `earlier` is after `later` (e.g. birth after measurement), on the `earlier` column."""
    bad = df.filter(pl.col(earlier).is_not_null() & pl.col(later).is_not_null() & (pl.col(earlier) > pl.col(later)))
    for r in bad.iter_rows(named=True):
        ctx.problems.append(Problem(r["_row"], ctx.col(earlier), Msg("impor.tanggal_terbalik", {
            "apa": what or ctx.col(earlier), "v1": fmt_value(r[earlier]), "kolom2": ctx.col(later),
            "v2": fmt_value(r[later])}), nilai=fmt_value(r[earlier])))


def existing_keys(con, table: str, frame: pl.DataFrame) -> int:
    """How many rows of `frame` have a primary key already in `table` (they will be replaced)."""
    pk = db.primary_key(con, table)
    if not pk or frame.height == 0 or not all(k in frame.columns for k in pk):
        return 0
    cur = con.cursor()
    try:
        keys = frame.select(pk).unique()
        # relation API: the table name was checked against the catalog by primary_key()
        rel = cur.table(table).select(*pk).intersect(cur.from_arrow(keys.to_arrow()))
        return rel.aggregate("count(*)").fetchall()[0][0]
    finally:
        cur.close()
