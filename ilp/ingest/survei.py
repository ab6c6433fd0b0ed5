"""Survey stunting prevalence (SSGI, SKI, Riskesdas, SSGBI) per kab/kota or national ('00').

    kode_wilayah | survei | tahun | prevalensi | ci_bawah | ci_atas | sumber
    35.23        | SSGI   | 2024  | 11,3       |          |         | https://...

Also reads the compiled history layout `kode_kab,nama,survei,tahun,stunting_pct,sumber_url,catatan`
(a `nama` column is checked against the code) and, without any code column, national series
(`survei,tahun,stunting_pct,sumber_url` → kode_wilayah '00'). Survey figures are kept apart from
routine e-PPGBM data and are never joined into one trend line.
"""
from __future__ import annotations

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Msg, Parsed, Source
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.tabular import Ctx, parse_tabular
from ilp.names import name_key

SURVEI = {"ssgi": "SSGI", "surveistatusgiziindonesia": "SSGI", "ski": "SKI", "surveikesehatanindonesia": "SKI",
          "riskesdas": "RISKESDAS", "risetkesehatandasar": "RISKESDAS", "ssgbi": "SSGBI",
          "studistatusgizibalitaindonesia": "SSGBI"}


def _cols() -> tuple[Col, ...]:
    import datetime as dt
    return (
        Col("kode_wilayah", required=False, aliases=("kode_kab", "kode_kabkota", "kode", "kode_kab_kota", "kab_kode"),
            desc="impor.tata_letak.survei.kode_wilayah", example="35.23"),
        Col("nama", required=False, allow_empty=True, aliases=("nama_wilayah", "kabupaten_kota", "kabkota", "nama_kab", "wilayah"),
            desc="impor.tata_letak.survei.nama", example="Kabupaten Tuban"),
        Col("survei", "choice", choices=SURVEI, aliases=("survey", "jenis_survei"), desc="impor.tata_letak.survei.survei",
            example="SSGI"),
        Col("tahun", "int", min=1990, max=dt.date.today().year, aliases=("year",), desc="impor.tata_letak.survei.tahun", example="2024"),
        Col("prevalensi", "float", min=0, max=100, unit="%",
            aliases=("stunting_pct", "prevalensi_stunting", "stunting", "persen", "pct", "stunting_persen"),
            desc="impor.tata_letak.survei.prevalensi", example="11,3"),
        Col("ci_bawah", "float", required=False, allow_empty=True, min=0, max=100, unit="%",
            aliases=("ci_low", "batas_bawah", "lower", "ci_lower"), desc="impor.tata_letak.survei.ci_bawah", example=""),
        Col("ci_atas", "float", required=False, allow_empty=True, min=0, max=100, unit="%",
            aliases=("ci_high", "batas_atas", "upper", "ci_upper"), desc="impor.tata_letak.survei.ci_atas", example=""),
        Col("sumber", aliases=("sumber_url", "url", "referensi", "source", "rujukan"),
            desc="impor.tata_letak.survei.sumber", example="https://..."),
    )


COLS = _cols()


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    if not ctx.has("kode_wilayah"):
        ctx.notes.append(Msg("impor.survei.tanpa_kode"))
        df = df.with_columns(pl.lit("00").alias("kode_wilayah"))
    df = df.with_columns(lk.dotted_expr("kode_wilayah"))
    df = df.with_columns(pl.when(pl.col("kode_wilayah").is_in(["0", "00", "nasional", "Nasional", "NASIONAL"]))
                         .then(pl.lit("00")).otherwise(pl.col("kode_wilayah")).alias("kode_wilayah"))
    if ctx.has("nama"):  # empty code: look the name up
        by_name = lk.wilayah_by_name(ctx.con, "kabkota") if df["kode_wilayah"].is_null().any() else {}
        df = df.with_columns(pl.coalesce(
            pl.col("kode_wilayah"),
            pl.col("nama").map_elements(lambda s: by_name.get(name_key(s)), return_dtype=pl.String)).alias("kode_wilayah"))
        ctx.flag(df.filter(pl.col("kode_wilayah").is_null() & pl.col("nama").is_not_null()), "nama",
                 "impor.survei.nama_tidak_ditemukan")
    ctx.flag(df.filter(pl.col("kode_wilayah").is_null() & (pl.col("nama").is_null() if ctx.has("nama") else pl.lit(True))),
             "kode_wilayah", "impor.survei.kode_wajib")
    lk.check_kabkota(ctx, df, "kode_wilayah", "nama" if ctx.has("nama") else None)
    ctx.flag(df.filter((pl.col("prevalensi") > 0) & (pl.col("prevalensi") < 1)), "prevalensi",
             "impor.survei.pecahan")
    ctx.flag(df.filter(pl.col("ci_bawah").is_not_null() & (pl.col("ci_bawah") > pl.col("prevalensi"))), "ci_bawah",
             "impor.survei.ci_bawah")
    ctx.flag(df.filter(pl.col("ci_atas").is_not_null() & (pl.col("ci_atas") < pl.col("prevalensi"))), "ci_atas",
             "impor.survei.ci_atas")
    lk.check_duplicates(ctx, df, ["kode_wilayah", "survei", "tahun"], Msg("impor.survei.satu_angka"))
    return {"survei_stunting": df.select(["_row", "kode_wilayah", "survei", "tahun", "prevalensi", "ci_bawah", "ci_atas", "sumber"])}


def parse(src: Source, con) -> Parsed:
    return parse_tabular(src, con, _cols(), build)


KIND = ImportKind(
    name="survei", title_id="Prevalensi stunting hasil survei (SSGI/SKI)", title_en="Survey stunting prevalence (SSGI/SKI)",
    tables=("survei_stunting",), columns=template_columns(COLS), parse=parse, extensions=TABULAR_EXTS,
)
