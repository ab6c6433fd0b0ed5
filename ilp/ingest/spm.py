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

from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Source
from ilp.ingest.readers import norm_name, safe_filename
from ilp.ingest.sasaran import check_layanan
from ilp.ingest.validate import Col

BULAN_CHOICES = {**{k: str(n) for k, n in v.BULAN.items()}, **{str(n): str(n) for n in range(1, 13)},
                 **{f"{n:02d}": str(n) for n in range(1, 10)}}

BASE = (
    Col("tahun", "int", min=2000, max=2100, aliases=("year", "thn"), desc_id="Tahun laporan", example="2025"),
    Col("bulan", "choice", choices=BULAN_CHOICES, aliases=("month", "bln"),
        choices_label=("1–12 atau nama bulan, mis. Januari", "1–12 or a month name, e.g. Januari"), desc_id="Bulan 1–12 atau nama bulan", example="3"),
    Col("kode_puskesmas", aliases=("kode_faskes", "kode_pkm", "puskesmas_kode"), desc_id="Kode Puskesmas (kode_faskes)",
        example="P3523090101"),
    Col("kode_desa", required=False, default="", aliases=("desa_kode", "kode_kelurahan"),
        desc_id="Kode desa Kemendagri (kosong = seluruh Puskesmas)", example=""),
)
LONG = BASE + (
    Col("layanan", "choice", choices=v.layanan_choices(), choices_label=v.LAYANAN_LABEL, aliases=("spm", "jenis_layanan", "layanan_spm", "kode_layanan"),
        desc_id="Layanan SPM: spm01..spm12, 1..12 atau nama", example="spm04"),
    Col("jumlah", "int", min=0, max=10_000_000, aliases=("jml", "capaian", "dilayani", "jumlah_dilayani"),
        desc_id="Orang yang dilayani sesuai standar pada bulan itu", example="812"),
    Col("sumber", required=False, aliases=("sumber_data",), desc_id="Sumber data (kosong = nama file)", example="laporan SPM"),
)
_LAYANAN = v.layanan_choices()


def _wide_cols(headers: list[str], ctx: v.Ctx) -> tuple[Col, ...] | None:
    """If there is no 'layanan' column but one column per service, use those columns."""
    mapping, _ = v.match_columns(headers, LONG)
    if "layanan" in mapping:
        return None
    service_cols: dict[str, str] = {}
    for h in headers:
        n = norm_name(h)
        if n.isdigit():  # '1'..'12' alone are too ambiguous as headers
            continue
        code = _LAYANAN.get(n)
        if code and code not in service_cols:
            service_cols[code] = h
    if not service_cols:
        return None
    ctx.notes.append(f"format lebar: {len(service_cols)} kolom layanan ({', '.join(service_cols.values())})")
    wide = tuple(Col(f"_w_{code}", "int", required=False, aliases=(h,), min=0, max=10_000_000) for code, h in service_cols.items())
    return BASE + wide + (LONG[-1],)


def build(df: pl.DataFrame, ctx: v.Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(pl.col("bulan").cast(pl.Int64),
                         pl.col("kode_desa").map_elements(v.dotted, return_dtype=pl.String).fill_null(""),
                         pl.col("sumber").fill_null(f"file {safe_filename(ctx.src.name)}"))
    wide = [c for c in df.columns if c.startswith("_w_")]
    if wide:
        v.check_duplicates(ctx, df, ["tahun", "bulan", "kode_puskesmas", "kode_desa"])
        df = (df.unpivot(index=[c for c in df.columns if c not in wide], on=wide, variable_name="layanan", value_name="jumlah")
                .with_columns(pl.col("layanan").str.replace("_w_", "", literal=True))
                .filter(pl.col("jumlah").is_not_null()))
    now = ctx.today.year * 12 + ctx.today.month
    ctx.flag(df.filter(pl.col("tahun") * 12 + pl.col("bulan") > now).unique("_row"), "bulan",
             "bulan {bulan}/{tahun} belum berjalan (tanggal di masa depan)", "month {bulan}/{tahun} is in the future")
    v.check_codes(ctx, df, "kode_puskesmas", "faskes", "puskesmas", "kode Puskesmas", "Puskesmas code",
                  " (tidak ada di tabel faskes sebagai Puskesmas)", " (not a Puskesmas in the faskes table)")
    ctx.flag(df.filter((pl.col("kode_desa") != "") & (pl.col("kode_desa").map_elements(v.kode_shape, return_dtype=pl.String) != "desa")),
             "kode_desa", "'{kode_desa}' bukan kode desa Kemendagri (contoh 35.23.01.2001)",
             "'{kode_desa}' is not a Kemendagri desa code (e.g. 35.23.01.2001)")
    v.check_codes(ctx, df.filter(pl.col("kode_desa") != ""), "kode_desa", "wilayah", "desa", "kode desa", "desa code",
                  " (tidak ada di tabel wilayah)", " (not in the wilayah table)")
    check_layanan(ctx, df)
    if not wide:
        v.check_duplicates(ctx, df, ["tahun", "bulan", "kode_puskesmas", "kode_desa", "layanan"])
    cols = ["_row", "tahun", "bulan", "kode_puskesmas", "kode_desa", "layanan", "jumlah", "sumber"]
    return {"fakta_spm": df.select(cols)}


def parse(src: Source, con) -> Parsed:
    expected = [n for n in _LAYANAN if not n.isdigit()]
    return v.parse_tabular(src, con, LONG, build, dynamic_cols=_wide_cols, expected=expected)


KIND = ImportKind(
    name="spm", title_id="Capaian SPM bulanan (pembilang)", title_en="Monthly SPM achievement (numerator)",
    tables=("fakta_spm",), columns=v.template_columns(LONG), parse=parse, extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
)
