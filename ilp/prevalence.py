"""Proportions with 95% Wilson intervals, small-cell rules and WHO severity classes (pure Polars)."""
from __future__ import annotations

import polars as pl

Z95 = 1.959963984540054
MIN_STABIL = 30        # fewer children measured than this: estimate marked unstable
MIN_TAMPIL_DESA = 10   # desa figures from fewer children are suppressed for viewers

# WHO/UNICEF 2018 severity bands for stunting prevalence (%): half-open [lo, hi)
WHO_BANDS: list[tuple[float, float, str, str, str]] = [
    (0.0, 2.5, "sangat_rendah", "Sangat rendah (<2,5%)", "Very low (<2.5%)"),
    (2.5, 10.0, "rendah", "Rendah (2,5–<10%)", "Low (2.5–<10%)"),
    (10.0, 20.0, "sedang", "Sedang (10–<20%)", "Medium (10–<20%)"),
    (20.0, 30.0, "tinggi", "Tinggi (20–<30%)", "High (20–<30%)"),
    (30.0, 100.0001, "sangat_tinggi", "Sangat tinggi (≥30%)", "Very high (≥30%)"),
]


def wilson(k: pl.Expr, n: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """95% Wilson score interval for k successes out of n, in percent (null where n = 0)."""
    nf = n.cast(pl.Float64)
    p = k.cast(pl.Float64) / nf
    denom = 1 + z * z / nf
    centre = (p + z * z / (2 * nf)) / denom
    half = z * ((p * (1 - p) / nf + z * z / (4 * nf * nf)).sqrt()) / denom
    lo = pl.when(n > 0).then(((centre - half) * 100).clip(0, 100))
    hi = pl.when(n > 0).then(((centre + half) * 100).clip(0, 100))
    return lo, hi


def add_prevalence(df: pl.DataFrame, k: str = "stunting", n: str = "diukur",
                   sasaran: str | None = "sasaran_balita") -> pl.DataFrame:
    """Adds prevalensi_pct, ci_bawah, ci_atas, stabil (n >= 30), cakupan_ukur_pct (n / sasaran, not clipped)."""
    lo, hi = wilson(pl.col(k), pl.col(n))
    out = df.with_columns(
        prevalensi_pct=pl.when(pl.col(n) > 0).then(100.0 * pl.col(k) / pl.col(n)),
        ci_bawah=lo,
        ci_atas=hi,
        stabil=pl.col(n) >= MIN_STABIL,
    )
    if sasaran and sasaran in df.columns:
        out = out.with_columns(
            cakupan_ukur_pct=pl.when(pl.col(sasaran) > 0).then(100.0 * pl.col(n) / pl.col(sasaran))
        )
    return out


def severity_class(pct: float | None) -> str:
    """WHO band key for a prevalence in %, 'tidak_ada_data' when missing."""
    if pct is None:
        return "tidak_ada_data"
    for lo, hi, key, _, _ in WHO_BANDS:
        if lo <= pct < hi:
            return key
    return "tidak_ada_data"


def suppress_small(df: pl.DataFrame, n: str = "diukur", cols: tuple[str, ...] = (
        "prevalensi_pct", "ci_bawah", "ci_atas", "stunting", "pendek", "sangat_pendek"),
                   min_n: int = MIN_TAMPIL_DESA) -> pl.DataFrame:
    """Blank figures computed from fewer than min_n children (viewer pages and the briefing)."""
    present = [c for c in cols if c in df.columns]
    return df.with_columns(
        [pl.when(pl.col(n) >= min_n).then(pl.col(c)).otherwise(None).alias(c) for c in present]
    ).with_columns(disembunyikan=pl.col(n) < min_n)
