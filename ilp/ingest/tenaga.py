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

from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Source
from ilp.ingest.readers import norm_name, safe_filename
from ilp.ingest.validate import Col

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
        desc_id="Kode faskes (Pustu / Posyandu) seperti di tabel faskes", example="PUSTU-3523-001"),
    Col("per_tanggal", "date", not_future=True, aliases=("tanggal", "per", "tanggal_data", "posisi"),
        desc_id="Tanggal posisi data (TTTT-BB-HH atau HH/BB/TTTT)", example="2025-01-31"),
)
LONG = BASE + (
    Col("jenis_tenaga", "choice", choices=JENIS, aliases=("jenis", "tenaga", "profesi", "jenis_nakes"),
        desc_id="perawat / bidan / kader / dokter / gizi / kesling / lainnya", example="perawat"),
    Col("jumlah", "int", min=0, max=500, aliases=("jml", "orang", "jumlah_orang"), desc_id="Jumlah orang", example="1"),
    Col("sumber", required=False, aliases=("sumber_data",), desc_id="Sumber data (kosong = nama file)", example="SISDMK"),
)


def _wide_cols(headers: list[str], ctx: v.Ctx) -> tuple[Col, ...] | None:
    mapping, _ = v.match_columns(headers, LONG)
    if "jenis_tenaga" in mapping:
        return None
    found: dict[str, str] = {}
    for h in headers:
        j = JENIS.get(norm_name(h))
        if j and j not in found:
            found[j] = h
    if not found:
        return None
    ctx.notes.append(f"format lebar: kolom {', '.join(found.values())}")
    return BASE + tuple(Col(f"_w_{j}", "int", required=False, aliases=(h,), min=0, max=500) for j, h in found.items()) + (LONG[-1],)


def build(df: pl.DataFrame, ctx: v.Ctx) -> dict[str, pl.DataFrame]:
    df = df.with_columns(pl.col("sumber").fill_null(f"file {safe_filename(ctx.src.name)}"))
    wide = [c for c in df.columns if c.startswith("_w_")]
    if wide:
        v.check_duplicates(ctx, df, ["kode_faskes", "per_tanggal"])
        df = (df.unpivot(index=[c for c in df.columns if c not in wide], on=wide, variable_name="jenis_tenaga", value_name="jumlah")
                .with_columns(pl.col("jenis_tenaga").str.replace("_w_", "", literal=True))
                .filter(pl.col("jumlah").is_not_null()))
    v.check_codes(ctx, df, "kode_faskes", "faskes", None, "kode faskes", "facility code",
                  " (tidak ada di tabel faskes; impor faskes dulu)", " (not in the faskes table; import faskes first)")
    jenis = v.faskes_jenis(ctx.con, df["kode_faskes"].to_list())
    df = df.with_columns(pl.col("kode_faskes").replace_strict(jenis, default=None, return_dtype=pl.String).alias("_jenis_faskes"))
    col_j = "jenis_tenaga" if not wide else None
    ctx.flag(df.filter((pl.col("_jenis_faskes") == "posyandu") & (pl.col("jenis_tenaga") != "kader") & (pl.col("jumlah") > 0)),
             col_j, "Posyandu {kode_faskes} hanya mencatat kader, bukan {jenis_tenaga}",
             "Posyandu {kode_faskes} records kader only, not {jenis_tenaga}", value="jenis_tenaga")
    ctx.flag(df.filter(pl.col("_jenis_faskes").is_not_null() & (pl.col("_jenis_faskes") != "posyandu")
                       & (pl.col("jenis_tenaga") == "kader") & (pl.col("jumlah") > 0)),
             col_j, "kader dicatat di Posyandu, bukan di {_jenis_faskes} {kode_faskes}",
             "kader are recorded at a Posyandu, not at {_jenis_faskes} {kode_faskes}", value="jenis_tenaga")
    if not wide:
        v.check_duplicates(ctx, df, ["kode_faskes", "jenis_tenaga", "per_tanggal"])
    return {"tenaga": df.select(["_row", "kode_faskes", "jenis_tenaga", "jumlah", "per_tanggal", "sumber"])}


def parse(src: Source, con) -> Parsed:
    return v.parse_tabular(src, con, LONG, build, dynamic_cols=_wide_cols, expected=list(JENIS))


KIND = ImportKind(
    name="tenaga", title_id="Tenaga Pustu dan kader Posyandu", title_en="Pustu staff and Posyandu kader",
    tables=("tenaga",), columns=v.template_columns(LONG), parse=parse, extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
)
