"""Page-level data: cached queries combined with the pure core. No layout here."""
from __future__ import annotations

import polars as pl

from ilp import db, indicators, prevalence, targets
from ui.common import q


def _params_for(key: str, available: dict) -> dict:
    return {p: available[p] for p in db.query(key).params}


def rounds(kab: str) -> list[str]:
    df = q("stunting/prevalensi_kab", kab=kab, sumber_sasaran="PUSDATIN")
    return df["periode"].to_list()


def spm_years() -> pl.DataFrame:
    return q("spm/periode_tersedia")


def indicator_values(ind: indicators.Indicator, **available) -> pl.DataFrame:
    df = q(ind.query, **_params_for(ind.query, available))
    if "periode" in df.columns and available.get("periode"):
        df = df.filter(pl.col("periode") == available["periode"])
    return indicators.compute(ind, df)


def stunting_kecamatan(kab: str, sumber: str) -> pl.DataFrame:
    return prevalence.add_prevalence(q("stunting/prevalensi_kecamatan", kab=kab, sumber_sasaran=sumber))


def stunting_kab(kab: str, sumber: str) -> pl.DataFrame:
    return prevalence.add_prevalence(q("stunting/prevalensi_kab", kab=kab, sumber_sasaran=sumber))


def stunting_desa(kec: str, sumber: str) -> pl.DataFrame:
    return prevalence.add_prevalence(q("stunting/prevalensi_desa", kec=kec, sumber_sasaran=sumber))


def target_path(kab: str) -> pl.DataFrame:
    pts = q("stunting/target", kab=kab)
    return targets.target_path(pts) if pts.height else pts


def lokus_desa(kab: str, periode: str, top: int = 10) -> pl.DataFrame:
    """Desa prioritas: rank by number of stunted children, then prevalence; only desa with >= 10 measured."""
    d = prevalence.add_prevalence(q("stunting/prevalensi_desa_kab", kab=kab, periode=periode), sasaran=None)
    d = d.filter(pl.col("diukur") >= prevalence.MIN_TAMPIL_DESA).sort(
        ["stunting", "prevalensi_pct"], descending=True)
    return d.with_row_index("peringkat", offset=1).with_columns(usulan_lokus=pl.col("peringkat") <= top)


def district_targets(kab: str) -> pl.DataFrame:
    """The district's own stunting targets (editable on Kelola Data)."""
    return q("stunting/target", kab=kab).filter(pl.col("tingkat") == "kabkota").select("tahun", "nilai", "dasar", "sumber")


def spm_last_month(years: pl.DataFrame, tahun: int) -> int:
    """Last month with SPM reports in the year (12 when unknown)."""
    bl = years.filter(pl.col("tahun") == tahun)["bulan_terakhir"]
    return int(bl[0]) if bl.len() else 12
