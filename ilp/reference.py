"""Reference data as seed files (like dbt seeds): `data/reference/*.csv`, loaded by this module only.

The 12 SPM services, the national stunting targets and the national survey series are public,
fixed figures every database needs. Their one home is the CSV files next to `data/reference/README.md`;
code that needs them reads them through the functions here (never a Python copy of the rows).

`seed(con)` writes them into a database with the schema (insert or replace on the primary key,
through `ilp.db.upsert`); `seed(con, only_missing=True)` leaves a table alone when it already holds
rows of that seed, so a user's own imported rows are never overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from ilp import config

REFERENCE_DIR = config.ROOT / "data" / "reference"


@dataclass(frozen=True)
class Seed:
    name: str                 # file stem in data/reference/
    table: str                # table the rows go to
    constants: tuple[tuple[str, str], ...] = ()  # columns the file leaves out (same value on every row)
    present_sql: str = ""     # constant query: how many rows of this seed the database already holds

    @property
    def path(self) -> Path:
        return REFERENCE_DIR / f"{self.name}.csv"


SEEDS: dict[str, Seed] = {s.name: s for s in (
    Seed("layanan_spm", "layanan_spm",
         present_sql="select count(*) from layanan_spm"),
    Seed("target_nasional", "target", constants=(("tingkat", "nasional"), ("kode_wilayah", "")),
         present_sql="select count(*) from target where indikator = 'stunting_prevalensi' and tingkat = 'nasional'"),
    Seed("survei_nasional", "survei_stunting",
         present_sql="select count(*) from survei_stunting where kode_wilayah = '00'"),
)}


@lru_cache(maxsize=None)
def _read(name: str) -> pl.DataFrame:
    s = SEEDS[name]
    # every column read as text: codes such as '00' keep their zeros; DuckDB casts to the table's types
    df = pl.read_csv(s.path, infer_schema=False)
    return df.with_columns(pl.lit(v, dtype=pl.String).alias(c) for c, v in s.constants)


def frame(name: str) -> pl.DataFrame:
    """The seed's rows as text columns, exactly as they go to the database."""
    return _read(name).clone()


def layanan_spm() -> pl.DataFrame:
    """The 12 SPM services (Permenkes 4/2019): layanan, no, nama_id, nama_en, sasaran; ordered by no."""
    return (frame("layanan_spm").with_columns(pl.col("no").cast(pl.Int32)).sort("no"))


def layanan_codes() -> tuple[str, ...]:
    """'spm01' .. 'spm12', in the order of Permenkes 4/2019."""
    return tuple(layanan_spm()["layanan"].to_list())


def target_nasional() -> pl.DataFrame:
    """National stunting prevalence targets: indikator, tahun, nilai (%), dasar, sumber."""
    return frame("target_nasional").with_columns(pl.col("tahun").cast(pl.Int32), pl.col("nilai").cast(pl.Float64))


def survei_nasional() -> pl.DataFrame:
    """National survey stunting series (SSGI/SKI): survei, tahun, prevalensi (%), sumber."""
    return frame("survei_nasional").with_columns(pl.col("tahun").cast(pl.Int32),
                                                 pl.col("prevalensi").cast(pl.Float64))


def seed(con, only_missing: bool = False) -> dict[str, int]:
    """Write every seed into the database; returns rows written per seed (0 = left alone)."""
    from ilp import db

    out: dict[str, int] = {}
    for s in SEEDS.values():
        if only_missing and con.execute(s.present_sql).fetchall()[0][0] > 0:
            out[s.name] = 0
            continue
        out[s.name] = db.upsert(con, s.table, _read(s.name))
    return out
