"""Sasaran (target population, the SPM denominator) per year, unit, service and source.

Layout (one row per tahun x unit x layanan x sumber):

    tahun | kode_unit | jenis_unit | layanan | sumber | jumlah
    2025  | P3523090101 | puskesmas | spm04 | PUSDATIN | 1234

`layanan` accepts spm01..spm12, 1..12 or the service name ('balita', 'ibu hamil');
`jenis_unit` may be left out: it follows from the code (P… = Puskesmas, 35.23.01 = kecamatan).
Several sources may coexist for the same unit and year; the dashboard says which one it uses.
"""
from __future__ import annotations

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Parsed, Source
from ilp.ingest.columns import LAYANAN_LABEL, Col, layanan_choices, template_columns
from ilp.ingest.tabular import Ctx, parse_tabular
from ilp.names import code_level

SUMBER = {"pusdatin": "PUSDATIN", "kemenkes": "PUSDATIN", "bpsproj": "BPS_PROJ", "bps": "BPS_PROJ",
          "proyeksibps": "BPS_PROJ", "proyeksi": "BPS_PROJ", "dukcapil": "DUKCAPIL", "riil": "RIIL",
          "real": "RIIL", "nyata": "RIIL", "pendataan": "RIIL"}
JENIS_UNIT = {"puskesmas": "puskesmas", "pkm": "puskesmas", "desa": "desa", "kelurahan": "desa",
              "desakelurahan": "desa", "kecamatan": "kecamatan", "kec": "kecamatan", "kabkota": "kabkota",
              "kabupaten": "kabkota", "kota": "kabkota", "kab": "kabkota"}

COLS = (
    Col("tahun", "int", min=2000, max=2100, aliases=("year", "thn"), desc="impor.tata_letak.sasaran.tahun", example="2025"),
    Col("kode_unit", aliases=("kode", "kode_wilayah", "kode_puskesmas", "kode_faskes", "kode_desa"),
        desc="impor.tata_letak.sasaran.kode_unit", example="P3523090101"),
    Col("jenis_unit", "choice", required=False, choices=JENIS_UNIT, aliases=("tingkat", "level", "jenis"),
        desc="impor.tata_letak.sasaran.jenis_unit", example="puskesmas"),
    Col("layanan", "choice", choices=layanan_choices(), choices_label=LAYANAN_LABEL, aliases=("spm", "jenis_layanan", "layanan_spm", "kode_layanan"),
        desc="impor.tata_letak.sasaran.layanan", example="spm04"),
    Col("sumber", "choice", choices=SUMBER, aliases=("sumber_data",),
        desc="impor.tata_letak.sasaran.sumber", example="PUSDATIN"),
    Col("jumlah", "float", min=0, max=50_000_000, aliases=("sasaran", "jumlah_sasaran", "jml", "nilai"),
        desc="impor.tata_letak.sasaran.jumlah", example="1234"),
)


def infer_unit(kode: str | None) -> str | None:
    if not kode:
        return None
    if kode[:1].upper() == "P" and kode[1:].isdigit():
        return "puskesmas"
    shape = code_level(kode)
    return shape if shape in ("desa", "kecamatan", "kabkota") else None


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(lk.dotted_expr("kode_unit"))
    df = df.with_columns(pl.coalesce(pl.col("jenis_unit"),
                                     pl.col("kode_unit").map_elements(infer_unit, return_dtype=pl.String)).alias("jenis_unit"))
    ctx.flag(df.filter(pl.col("jenis_unit").is_null() & pl.col("kode_unit").is_not_null()), "kode_unit",
             "impor.sasaran.jenis_unit_tidak_jelas")
    for lvl in ("desa", "kecamatan", "kabkota"):
        lk.check_level(ctx, df.filter(pl.col("jenis_unit") == lvl), "kode_unit", lvl)
    lk.check_codes(ctx, df.filter(pl.col("jenis_unit") == "puskesmas"), "kode_unit", "faskes", "puskesmas")
    for lvl in ("desa", "kecamatan", "kabkota"):
        lk.check_codes(ctx, df.filter(pl.col("jenis_unit") == lvl), "kode_unit", "wilayah", lvl)
    check_layanan(ctx, df)
    lk.check_duplicates(ctx, df, ["tahun", "kode_unit", "layanan", "sumber"])
    cols = ["_row", "tahun", "kode_unit", "jenis_unit", "layanan", "sumber", "jumlah"]
    return {"sasaran": df.select(cols)}


def check_layanan(ctx: Ctx, df: pl.DataFrame, column: str = "layanan") -> None:
    """Service codes must exist in layanan_spm (when that table is filled; else the built-in 12 are used)."""
    if lk.table_count(ctx.con, "layanan_spm") == 0:
        note = Msg("impor.catatan.layanan_bawaan")
        if note not in ctx.notes:
            ctx.notes.append(note)
        return
    lk.check_codes(ctx, df, column, "layanan_spm")


def parse(src: Source, con) -> Parsed:
    return parse_tabular(src, con, COLS, build)


KIND = ImportKind(
    name="sasaran", title_id="Sasaran SPM (penyebut)", title_en="SPM target population (denominator)",
    tables=("sasaran",), columns=template_columns(COLS), parse=parse, extensions=TABULAR_EXTS,
)
