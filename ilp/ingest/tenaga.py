"""Staffing of the Puskesmas network: health workers at each Pustu, kader at each Posyandu.

Long layout:

    kode_faskes | jenis_tenaga | jumlah | per_tanggal | sumber
    PUSTU-3523-001 | perawat   | 1      | 2025-01-31  | SISDMK

Wide layout: kode_faskes | per_tanggal | perawat | bidan | kader | ... (one column per type).

The facility must already be in `faskes`. A Posyandu records only kader; kader are recorded only
at a Posyandu (the Pustu 2-worker standard counts perawat and bidan).
"""
from __future__ import annotations

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Parsed, Source
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.readers import safe_filename
from ilp.ingest.tabular import Ctx, Wide, parse_tabular

JENIS = {
    "perawat": "perawat", "ners": "perawat", "nurse": "perawat",
    "bidan": "bidan", "midwife": "bidan", "bidandesa": "bidan",
    "kader": "kader", "kaderposyandu": "kader", "kaderkesehatan": "kader",
    "dokter": "dokter", "dokterumum": "dokter", "doctor": "dokter",
    "gizi": "gizi", "nutrisionis": "gizi", "tenagagizi": "gizi",
    "kesling": "kesling", "sanitarian": "kesling", "kesehatanlingkungan": "kesling", "tenagakesling": "kesling",
    "lainnya": "lainnya", "lain": "lainnya", "other": "lainnya",
}

BASE = (
    Col("kode_faskes", aliases=("kode", "kode_pustu", "kode_posyandu", "kode_fasilitas"),
        desc="impor.tata_letak.tenaga.kode_faskes", example="PUSTU-3523-001"),
    Col("per_tanggal", "date", not_future=True, min_year=2000, aliases=("tanggal", "per", "tanggal_data", "posisi"),
        desc="impor.tata_letak.tenaga.per_tanggal", example="2025-01-31"),
)
LONG = BASE + (
    Col("jenis_tenaga", "choice", choices=JENIS, aliases=("jenis", "tenaga", "profesi", "jenis_nakes"),
        desc="impor.tata_letak.tenaga.jenis_tenaga", example="perawat"),
    Col("jumlah", "int", min=0, max=500, aliases=("jml", "orang", "jumlah_orang"), desc="impor.tata_letak.tenaga.jumlah", example="1"),
    Col("sumber", required=False, aliases=("sumber_data",), desc="impor.tata_letak.tenaga.sumber", example="SISDMK"),
)


# wide layout: one column per kind of staff ('perawat', 'bidan', 'kader', ...)
WIDE = Wide(category="jenis_tenaga", value=LONG[-2], categories=JENIS)


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(pl.col("sumber").fill_null(f"file {safe_filename(ctx.src.name)}"))
    lk.check_codes(ctx, df, "kode_faskes", "faskes")
    jenis = lk.faskes_jenis(ctx.con, df["kode_faskes"].to_list())
    df = df.with_columns(pl.col("kode_faskes").replace_strict(jenis, default=None, return_dtype=pl.String).alias("_jenis_faskes"))
    col_j = "jenis_tenaga" if ctx.wide is None else None
    ctx.flag(df.filter((pl.col("_jenis_faskes") == "posyandu") & (pl.col("jenis_tenaga") != "kader") & (pl.col("jumlah") > 0)),
             col_j, "impor.tenaga.posyandu_hanya_kader", value="jenis_tenaga")
    ctx.flag(df.filter(pl.col("_jenis_faskes").is_not_null() & (pl.col("_jenis_faskes") != "posyandu")
                       & (pl.col("jenis_tenaga") == "kader") & (pl.col("jumlah") > 0)),
             col_j, "impor.tenaga.kader_di_posyandu", value="jenis_tenaga")
    lk.check_duplicates(ctx, df, ["kode_faskes", "jenis_tenaga", "per_tanggal"])
    return {"tenaga": df.select(["_row", "kode_faskes", "jenis_tenaga", "jumlah", "per_tanggal", "sumber"])}


def parse(src: Source, con) -> Parsed:
    return parse_tabular(src, con, LONG, build, wide=WIDE, expected=list(JENIS))


KIND = ImportKind(
    name="tenaga", title_id="Tenaga Pustu dan kader Posyandu", title_en="Pustu staff and Posyandu kader",
    tables=("tenaga",), columns=template_columns(LONG), parse=parse, extensions=TABULAR_EXTS,
)
