"""Targets per indicator and year, national or per kab/kota (e.g. stunting 14% in 2024, Perpres 72/2021).

    indikator | tahun | tingkat | kode_wilayah | nilai | dasar | sumber
    stunting_prevalensi | 2029 | nasional | | 14,2 | RPJMN 2025-2029 | https://...

Also reads `tahun,target_pct,dasar,sumber_url` (national stunting targets): without an
`indikator` column the indicator is 'stunting_prevalensi', without `tingkat` the level follows
from the code (empty = nasional). One value per (indikator, tahun, tingkat, kode_wilayah): a
second row for the same key is rejected, naming the first.
"""
from __future__ import annotations

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Parsed, Source
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.tabular import Ctx, parse_tabular

TINGKAT = {"nasional": "nasional", "national": "nasional", "kabkota": "kabkota", "kabupaten": "kabkota", "kota": "kabkota",
           "kab": "kabkota", "kabupatenkota": "kabkota"}
PERCENT_INDIKATOR = ("stunting_prevalensi",)

COLS = (
    Col("indikator", required=False, aliases=("indicator", "kode_indikator"),
        desc="impor.tata_letak.target.indikator", example="stunting_prevalensi"),
    Col("tahun", "int", min=2000, max=2100, aliases=("year",), desc="impor.tata_letak.target.tahun", example="2029"),
    Col("tingkat", "choice", required=False, choices=TINGKAT, aliases=("level",),
        desc="impor.tata_letak.target.tingkat", example="nasional"),
    Col("kode_wilayah", required=False, allow_empty=True, aliases=("kode_kab", "kode"),
        desc="impor.tata_letak.target.kode_wilayah", example=""),
    Col("nilai", "float", aliases=("target_pct", "target", "nilai_target", "target_persen"),
        desc="impor.tata_letak.target.nilai", example="14,2"),
    Col("dasar", aliases=("dasar_hukum", "basis", "landasan"), desc="impor.tata_letak.target.dasar", example="RPJMN 2025-2029"),
    Col("sumber", required=False, allow_empty=True, aliases=("sumber_url", "url", "source"),
        desc="impor.tata_letak.target.sumber", example="https://..."),
)


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    if not ctx.has("indikator"):
        ctx.notes.append(Msg("impor.target.tanpa_indikator"))
    df = df.with_columns(pl.col("indikator").fill_null("stunting_prevalensi").str.to_lowercase(),
                         lk.dotted_expr("kode_wilayah").fill_null(""))
    df = df.with_columns(pl.coalesce(pl.col("tingkat"),
                                     pl.when(pl.col("kode_wilayah") == "").then(pl.lit("nasional")).otherwise(pl.lit("kabkota")))
                         .alias("tingkat"))
    ctx.flag(df.filter((pl.col("tingkat") == "nasional") & (pl.col("kode_wilayah") != "")), "kode_wilayah",
             "impor.target.nasional_berkode")
    ctx.flag(df.filter((pl.col("tingkat") == "kabkota") & (pl.col("kode_wilayah") == "")), "kode_wilayah",
             "impor.target.kabkota_tanpa_kode")
    lk.check_kabkota(ctx, df.filter(pl.col("tingkat") == "kabkota"), "kode_wilayah", None, national="")
    ctx.flag(df.filter(pl.col("indikator").is_in(PERCENT_INDIKATOR) & ((pl.col("nilai") < 0) | (pl.col("nilai") > 100))),
             "nilai", "impor.target.bukan_persen")
    lk.check_duplicates(ctx, df, ["indikator", "tahun", "tingkat", "kode_wilayah"], Msg("impor.target.satu_target"),
                        show=["nilai", "dasar"])
    return {"target": df.select(["_row", "indikator", "tahun", "tingkat", "kode_wilayah", "nilai", "dasar", "sumber"])}


def parse(src: Source, con) -> Parsed:
    return parse_tabular(src, con, COLS, build)


KIND = ImportKind(
    name="target", title_id="Target indikator (nasional / kabupaten)", title_en="Indicator targets (national / district)",
    tables=("target",), columns=template_columns(COLS), parse=parse, extensions=TABULAR_EXTS,
)
