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

from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Source
from ilp.ingest.validate import Col

SUMBER = {"pusdatin": "PUSDATIN", "kemenkes": "PUSDATIN", "bpsproj": "BPS_PROJ", "bps": "BPS_PROJ",
          "proyeksibps": "BPS_PROJ", "proyeksi": "BPS_PROJ", "dukcapil": "DUKCAPIL", "riil": "RIIL",
          "real": "RIIL", "nyata": "RIIL", "pendataan": "RIIL"}
JENIS_UNIT = {"puskesmas": "puskesmas", "pkm": "puskesmas", "desa": "desa", "kelurahan": "desa",
              "desakelurahan": "desa", "kecamatan": "kecamatan", "kec": "kecamatan", "kabkota": "kabkota",
              "kabupaten": "kabkota", "kota": "kabkota", "kab": "kabkota"}

COLS = (
    Col("tahun", "int", min=2000, max=2100, aliases=("year", "thn"), desc_id="Tahun berlakunya sasaran", example="2025"),
    Col("kode_unit", aliases=("kode", "kode_wilayah", "kode_puskesmas", "kode_faskes", "kode_desa"),
        desc_id="Kode Puskesmas (kode_faskes) atau kode wilayah Kemendagri", example="P3523090101"),
    Col("jenis_unit", "choice", required=False, choices=JENIS_UNIT, aliases=("tingkat", "level", "jenis"),
        desc_id="puskesmas / desa / kecamatan / kabkota (kosong = dari bentuk kode)", example="puskesmas"),
    Col("layanan", "choice", choices=v.layanan_choices(), choices_label=v.LAYANAN_LABEL, aliases=("spm", "jenis_layanan", "layanan_spm", "kode_layanan"),
        desc_id="Layanan SPM: spm01..spm12, 1..12 atau nama (balita, ibu hamil)", example="spm04"),
    Col("sumber", "choice", choices=SUMBER, aliases=("sumber_data",),
        desc_id="PUSDATIN / BPS_PROJ / DUKCAPIL / RIIL", example="PUSDATIN"),
    Col("jumlah", "float", min=0, max=50_000_000, aliases=("sasaran", "jumlah_sasaran", "jml", "nilai"),
        desc_id="Jumlah orang sasaran (boleh desimal untuk estimasi)", example="1234"),
)


def infer_unit(kode: str | None) -> str | None:
    if not kode:
        return None
    if kode[:1].upper() == "P" and kode[1:].isdigit():
        return "puskesmas"
    shape = v.kode_shape(kode)
    return shape if shape in ("desa", "kecamatan", "kabkota") else None


def build(df: pl.DataFrame, ctx: v.Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(pl.col("kode_unit").map_elements(v.dotted, return_dtype=pl.String))
    df = df.with_columns(pl.coalesce(pl.col("jenis_unit"),
                                     pl.col("kode_unit").map_elements(infer_unit, return_dtype=pl.String)).alias("jenis_unit"))
    ctx.flag(df.filter(pl.col("jenis_unit").is_null() & pl.col("kode_unit").is_not_null()), "kode_unit",
             "jenis unit tidak bisa ditentukan dari kode '{kode_unit}'; isi kolom jenis_unit",
             "unit type cannot be inferred from code '{kode_unit}'; fill in jenis_unit")
    shape_bad = df.filter(pl.col("jenis_unit").is_in(["desa", "kecamatan", "kabkota"])
                          & (pl.col("kode_unit").map_elements(v.kode_shape, return_dtype=pl.String) != pl.col("jenis_unit")))
    ctx.flag(shape_bad, "kode_unit", "kode '{kode_unit}' bukan kode {jenis_unit} Kemendagri",
             "code '{kode_unit}' is not a Kemendagri {jenis_unit} code")
    pk = df.filter(pl.col("jenis_unit") == "puskesmas")
    v.check_codes(ctx, pk, "kode_unit", "faskes", "puskesmas", "kode Puskesmas", "Puskesmas code",
                  " (tidak ada di tabel faskes; impor faskes dulu)", " (not in the faskes table; import faskes first)")
    for lvl in ("desa", "kecamatan", "kabkota"):
        v.check_codes(ctx, df.filter(pl.col("jenis_unit") == lvl), "kode_unit", "wilayah", lvl, f"kode {lvl}", f"{lvl} code",
                      " (tidak ada di tabel wilayah)", " (not in the wilayah table)")
    check_layanan(ctx, df)
    v.check_duplicates(ctx, df, ["tahun", "kode_unit", "layanan", "sumber"])
    cols = ["_row", "tahun", "kode_unit", "jenis_unit", "layanan", "sumber", "jumlah"]
    return {"sasaran": df.select(cols)}


def check_layanan(ctx: v.Ctx, df: pl.DataFrame, column: str = "layanan") -> None:
    """Service codes must exist in layanan_spm (when that table is filled; else the built-in 12 are used)."""
    if v.table_count(ctx.con, "layanan_spm") == 0:
        if not any("layanan_spm kosong" in n for n in ctx.notes):
            ctx.notes.append("tabel layanan_spm kosong: kode layanan dicek terhadap daftar bawaan spm01..spm12")
        return
    v.check_codes(ctx, df, column, "layanan_spm", None, "layanan", "service", " (tidak ada di tabel layanan_spm)",
                  " (not in the layanan_spm table)")


def parse(src: Source, con) -> Parsed:
    return v.parse_tabular(src, con, COLS, build)


KIND = ImportKind(
    name="sasaran", title_id="Sasaran SPM (penyebut)", title_en="SPM target population (denominator)",
    tables=("sasaran",), columns=v.template_columns(COLS), parse=parse, extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
)
