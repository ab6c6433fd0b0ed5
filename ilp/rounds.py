"""Round completeness: is a weighing round (or a recap period) 'lengkap' or 'sementara'?

Rounds come from the weighing windows (February and August, defined once in
queries/staging/stg_ukur_bulan.sql); campaign months (jenis 'kampanye') are their own series.

The rule (setting `round_min_share`, env ILP_ROUND_MIN_SHARE, default 0.8):
- child-level data (rows of queries/stunting/ronde.sql): a period is 'lengkap' when
  n_desa_lapor / n_desa >= round_min_share AND n_puskesmas_lapor / n_puskesmas >= round_min_share;
- recaps (rows of queries/stunting/rekap_kab.sql, no desa columns): 'lengkap' when
  n_puskesmas_lapor / n_puskesmas >= round_min_share.
A share that cannot be computed (denominator 0 or missing) is null and the period is 'sementara'.
A provisional period is never the headline, the trend, the ranking or the default map.
"""
from __future__ import annotations

import polars as pl

from ilp import config

LENGKAP = "lengkap"
SEMENTARA = "sementara"


def min_share() -> float:
    """The setting round_min_share as a number (0..1)."""
    return float(config.get("round_min_share"))


def _share(num: str, den: str) -> pl.Expr:
    return (pl.when(pl.col(den).fill_null(0) > 0)
            .then(pl.col(num).cast(pl.Float64) / pl.col(den).cast(pl.Float64))
            .otherwise(None))


def classify(df: pl.DataFrame, threshold: float | None = None) -> pl.DataFrame:
    """Add share_desa, share_puskesmas (0..1, null when not computable) and status ('lengkap'|'sementara')."""
    thr = min_share() if threshold is None else float(threshold)
    has_desa = "n_desa_lapor" in df.columns and "n_desa" in df.columns
    out = df.with_columns(
        share_desa=_share("n_desa_lapor", "n_desa") if has_desa else pl.lit(None, dtype=pl.Float64),
        share_puskesmas=_share("n_puskesmas_lapor", "n_puskesmas"),
    )
    ok = pl.col("share_puskesmas").fill_null(-1.0) >= thr
    if has_desa:
        ok = ok & (pl.col("share_desa").fill_null(-1.0) >= thr)
    return out.with_columns(status=pl.when(ok).then(pl.lit(LENGKAP)).otherwise(pl.lit(SEMENTARA)))


def complete_periods(df: pl.DataFrame, threshold: float | None = None) -> list[str]:
    """The 'lengkap' weighing rounds, sorted (campaign months are not rounds and never listed)."""
    c = df if "status" in df.columns else classify(df, threshold)
    if "jenis" in c.columns:
        c = c.filter(pl.col("jenis") == "ronde")
    return sorted(set(c.filter(pl.col("status") == LENGKAP)["periode"].to_list()))
