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

from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Source
from ilp.ingest.validate import Col

SURVEI = {"ssgi": "SSGI", "surveistatusgiziindonesia": "SSGI", "ski": "SKI", "surveikesehatanindonesia": "SKI",
          "riskesdas": "RISKESDAS", "risetkesehatandasar": "RISKESDAS", "ssgbi": "SSGBI",
          "studistatusgizibalitaindonesia": "SSGBI"}


def _cols() -> tuple[Col, ...]:
    import datetime as dt
    return (
        Col("kode_wilayah", required=False, aliases=("kode_kab", "kode_kabkota", "kode", "kode_kab_kota", "kab_kode"),
            desc_id="Kode kab/kota Kemendagri, atau 00 untuk nasional", example="35.23"),
        Col("nama", required=False, allow_empty=True, aliases=("nama_wilayah", "kabupaten_kota", "kabkota", "nama_kab", "wilayah"),
            desc_id="Nama kab/kota (dicek terhadap kode)", example="Kabupaten Tuban"),
        Col("survei", "choice", choices=SURVEI, aliases=("survey", "jenis_survei"), desc_id="SSGI / SKI / RISKESDAS / SSGBI",
            example="SSGI"),
        Col("tahun", "int", min=1990, max=dt.date.today().year, aliases=("year",), desc_id="Tahun survei", example="2024"),
        Col("prevalensi", "float", min=0, max=100, unit="%",
            aliases=("stunting_pct", "prevalensi_stunting", "stunting", "persen", "pct", "stunting_persen"),
            desc_id="Prevalensi stunting balita, % (koma desimal boleh)", example="11,3"),
        Col("ci_bawah", "float", required=False, allow_empty=True, min=0, max=100, unit="%",
            aliases=("ci_low", "batas_bawah", "lower", "ci_lower"), desc_id="Batas bawah IK 95%, %", example=""),
        Col("ci_atas", "float", required=False, allow_empty=True, min=0, max=100, unit="%",
            aliases=("ci_high", "batas_atas", "upper", "ci_upper"), desc_id="Batas atas IK 95%, %", example=""),
        Col("sumber", aliases=("sumber_url", "url", "referensi", "source", "rujukan"),
            desc_id="Sumber (dokumen atau URL)", example="https://..."),
    )


COLS = _cols()


def build(df: pl.DataFrame, ctx: v.Ctx) -> dict[str, pl.DataFrame]:
    if not ctx.has("kode_wilayah"):
        ctx.notes.append("tidak ada kolom kode wilayah: semua baris dianggap angka nasional (kode '00')")
        df = df.with_columns(pl.lit("00").alias("kode_wilayah"))
    df = df.with_columns(pl.col("kode_wilayah").map_elements(v.dotted, return_dtype=pl.String))
    df = df.with_columns(pl.when(pl.col("kode_wilayah").is_in(["0", "00", "nasional", "Nasional", "NASIONAL"]))
                         .then(pl.lit("00")).otherwise(pl.col("kode_wilayah")).alias("kode_wilayah"))
    if ctx.has("nama"):  # empty code: look the name up
        by_name = v.wilayah_by_name(ctx.con, "kabkota") if df["kode_wilayah"].is_null().any() else {}
        from ilp.ingest.readers import norm_name
        df = df.with_columns(pl.coalesce(
            pl.col("kode_wilayah"),
            pl.col("nama").map_elements(lambda s: by_name.get(norm_name(s)) or by_name.get(norm_name(v._strip_prefix(s))),
                                        return_dtype=pl.String)).alias("kode_wilayah"))
        ctx.flag(df.filter(pl.col("kode_wilayah").is_null() & pl.col("nama").is_not_null()), "nama",
                 "kode kosong dan nama '{nama}' tidak ditemukan di tabel wilayah", "no code and name '{nama}' not found in wilayah")
    ctx.flag(df.filter(pl.col("kode_wilayah").is_null() & (pl.col("nama").is_null() if ctx.has("nama") else pl.lit(True))),
             "kode_wilayah", "kode wilayah wajib diisi (00 = nasional)", "area code is required (00 = national)")
    v.check_kabkota(ctx, df, "kode_wilayah", "nama" if ctx.has("nama") else None)
    ctx.flag(df.filter((pl.col("prevalensi") > 0) & (pl.col("prevalensi") < 1)), "prevalensi",
             "prevalensi {prevalensi} % tidak wajar: tampak pecahan (sel Excel berformat %?); tulis persen, mis. 11,3",
             "prevalence {prevalensi} % is implausible: looks like a fraction (Excel % format?); write a percentage, e.g. 11.3")
    ctx.flag(df.filter(pl.col("ci_bawah").is_not_null() & (pl.col("ci_bawah") > pl.col("prevalensi"))), "ci_bawah",
             "batas bawah {ci_bawah} lebih besar dari prevalensi {prevalensi}", "lower bound {ci_bawah} above prevalence {prevalensi}")
    ctx.flag(df.filter(pl.col("ci_atas").is_not_null() & (pl.col("ci_atas") < pl.col("prevalensi"))), "ci_atas",
             "batas atas {ci_atas} lebih kecil dari prevalensi {prevalensi}", "upper bound {ci_atas} below prevalence {prevalensi}")
    v.check_duplicates(ctx, df, ["kode_wilayah", "survei", "tahun"],
                       "; satu angka per wilayah, survei dan tahun", "; one figure per area, survey and year")
    return {"survei_stunting": df.select(["_row", "kode_wilayah", "survei", "tahun", "prevalensi", "ci_bawah", "ci_atas", "sumber"])}


def parse(src: Source, con) -> Parsed:
    return v.parse_tabular(src, con, _cols(), build)


KIND = ImportKind(
    name="survei", title_id="Prevalensi stunting hasil survei (SSGI/SKI)", title_en="Survey stunting prevalence (SSGI/SKI)",
    tables=("survei_stunting",), columns=v.template_columns(COLS), parse=parse,
    extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
)
