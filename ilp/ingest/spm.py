"""SPM achievement (numerator): people served to standard, per month, Puskesmas, (desa) and service.

Long layout (one row per service):

    tahun | bulan | kode_puskesmas | kode_desa | layanan | jumlah | sumber
    2025  | 3     | P3523090101    |           | spm04   | 812    | laporan SPM

Wide layout (one column per service, as many monthly recaps are kept):

    tahun | bulan | kode_puskesmas | kode_desa | spm01 | spm02 | ... | spm12   (or 'ibu hamil', 'balita', ...)

`bulan` is 1–12 or the month name (Januari, Feb, ...); `kode_desa` may be left out (whole
Puskesmas). Months that have not started yet are rejected.
"""
from __future__ import annotations

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import TABULAR_EXTS, ImportKind, Parsed, Source
from ilp.ingest.columns import LAYANAN_LABEL, Col, layanan_choices, template_columns
from ilp.ingest.readers import safe_filename
from ilp.ingest.sasaran import check_layanan
from ilp.ingest.tabular import Ctx, Wide, parse_tabular
from ilp.names import BULAN

BULAN_CHOICES = {**{k: str(n) for k, n in BULAN.items()}, **{str(n): str(n) for n in range(1, 13)},
                 **{f"{n:02d}": str(n) for n in range(1, 10)}}

BASE = (
    Col("tahun", "int", min=2000, max=2100, aliases=("year", "thn"), desc="impor.tata_letak.spm.tahun", example="2025"),
    Col("bulan", "choice", choices=BULAN_CHOICES, aliases=("month", "bln"),
        choices_label="impor.pilihan.bulan", desc="impor.tata_letak.spm.bulan", example="3"),
    Col("kode_puskesmas", aliases=("kode_faskes", "kode_pkm", "puskesmas_kode"), desc="impor.tata_letak.spm.kode_puskesmas",
        example="P3523090101"),
    Col("kode_desa", required=False, default="", aliases=("desa_kode", "kode_kelurahan"),
        desc="impor.tata_letak.spm.kode_desa", example=""),
)
LONG = BASE + (
    Col("layanan", "choice", choices=layanan_choices(), choices_label=LAYANAN_LABEL, aliases=("spm", "jenis_layanan", "layanan_spm", "kode_layanan"),
        desc="impor.tata_letak.spm.layanan", example="spm04"),
    Col("jumlah", "int", min=0, max=10_000_000, aliases=("jml", "capaian", "dilayani", "jumlah_dilayani"),
        desc="impor.tata_letak.spm.jumlah", example="812"),
    Col("sumber", required=False, aliases=("sumber_data",), desc="impor.tata_letak.spm.sumber", example="laporan SPM"),
)
# wide layout: one column per service ('spm01', 'ibu hamil', 'balita', ...)
WIDE = Wide(category="layanan", value=LONG[-2], categories=layanan_choices())


def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(pl.col("bulan").cast(pl.Int64),
                         lk.dotted_expr("kode_desa").fill_null(""),
                         pl.col("sumber").fill_null(f"file {safe_filename(ctx.src.name)}"))
    now = ctx.today.year * 12 + ctx.today.month
    ctx.flag(df.filter(pl.col("tahun") * 12 + pl.col("bulan") > now).unique("_row"), "bulan", "impor.spm.bulan_depan")
    lk.check_codes(ctx, df, "kode_puskesmas", "faskes", "puskesmas")
    lk.check_level(ctx, df, "kode_desa", "desa")
    lk.check_codes(ctx, df.filter(pl.col("kode_desa") != ""), "kode_desa", "wilayah", "desa")
    check_layanan(ctx, df)
    lk.check_duplicates(ctx, df, ["tahun", "bulan", "kode_puskesmas", "kode_desa", "layanan"])
    cols = ["_row", "tahun", "bulan", "kode_puskesmas", "kode_desa", "layanan", "jumlah", "sumber"]
    return {"fakta_spm": df.select(cols)}


def parse(src: Source, con) -> Parsed:
    expected = [n for n in WIDE.categories if not n.isdigit()]
    return parse_tabular(src, con, LONG, build, wide=WIDE, expected=expected)


KIND = ImportKind(
    name="spm", title_id="Capaian SPM bulanan (pembilang)", title_en="Monthly SPM achievement (numerator)",
    tables=("fakta_spm",), columns=template_columns(LONG), parse=parse, extensions=TABULAR_EXTS,
)
