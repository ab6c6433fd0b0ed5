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


# ---------------------------------------------------------------------------------------------------------
# Small areas: suppression that cannot be undone by subtraction, and empirical-Bayes smoothing for ranking.

SUPPRESS_COLS = ("stunting", "pendek", "sangat_pendek", "diukur", "prevalensi_pct", "ci_bawah", "ci_atas",
                 "cakupan_ukur_pct", "prevalensi_eb_pct", "prevalensi_mentah_pct", "bobot_eb", "stabil")


def suppress_small_areas(df: pl.DataFrame, n: str = "diukur", group: str = "kode_kec", key: str = "kode",
                         within: tuple[str, ...] = ("periode", "sumber"),
                         cols: tuple[str, ...] = SUPPRESS_COLS, min_n: int = MIN_TAMPIL_DESA) -> pl.DataFrame:
    """Null (never 0) every figure of a desa measured on fewer than `min_n` children: counts, n itself,
    prevalence, interval, measurement coverage (it reveals n) and smoothed values (`cols` that are present).

    Complementary suppression: when exactly one desa of a `group` (kecamatan, per `within` columns present,
    e.g. periode) is suppressed, the kecamatan total minus the other desa would give it back, so the smallest
    remaining desa of that group (smallest n, then `key`) is suppressed too; likewise when several are suppressed
    but their children together are still fewer than `min_n`. If every desa of the group is suppressed and together
    they are fewer than `min_n`, the group total itself reveals them: `total_kelompok_ungkap` is True for that
    group (the caller must hide that total too). Adds `disembunyikan` (bool) and `alasan_sembunyi` ('n_kecil' / 'komplementer' /
    null); a desa with no measurement (n null) is "no data", not suppressed."""
    by = [group, *[c for c in within if c in df.columns]]
    small = pl.col(n).is_not_null() & (pl.col(n) < min_n)
    d = df.with_columns(__kecil=small)
    cand = (~pl.col("__kecil")) & pl.col(n).is_not_null()
    # the rank of each not-small desa by (n, key) inside its group: 1 = the complementary candidate
    d = d.with_columns(
        __n_kecil=pl.col("__kecil").sum().over(by),
        __sum_kecil=pl.col(n).filter(pl.col("__kecil")).sum().over(by),
        __n_desa=pl.len().over(by),
        __urut=pl.when(cand).then(pl.struct(pl.col(n), pl.col(key)).rank("ordinal").over([*[pl.col(c) for c in by], cand])),
    )
    # one suppressed desa, or several whose children together are still fewer than min_n
    needs = (pl.col("__n_kecil") == 1) | ((pl.col("__n_kecil") > 1) & (pl.col("__sum_kecil") < min_n))
    comp = cand & needs & (pl.col("__urut") == 1)
    d = d.with_columns(
        alasan_sembunyi=pl.when(pl.col("__kecil")).then(pl.lit("n_kecil"))
                          .when(comp).then(pl.lit("komplementer")),
        total_kelompok_ungkap=(pl.col("__n_kecil") > 0) & (pl.col("__n_kecil") == pl.col("__n_desa"))
                              & (pl.col("__sum_kecil") < min_n),
    ).with_columns(disembunyikan=pl.col("alasan_sembunyi").is_not_null())
    present = [c for c in cols if c in d.columns]
    return d.with_columns(
        [pl.when(pl.col("disembunyikan")).then(None).otherwise(pl.col(c)).alias(c) for c in present]
    ).drop("__kecil", "__n_kecil", "__sum_kecil", "__n_desa", "__urut")


def eb_smooth(df: pl.DataFrame, k: str = "stunting", n: str = "diukur", group: str = "kode_kec") -> pl.DataFrame:
    """Empirical-Bayes smoothed prevalence (beta-binomial, method of moments), each desa shrunk toward its group.

    Per group: m = sum k / sum n (pooled prevalence); s2 = sum n_i (p_i - m)^2 / sum n_i (the n-weighted variance
    of desa prevalences); the between-desa variance is v = s2 - m(1-m)/n_bar (n_bar = mean n of the group's desa
    with children measured). If v <= 0 every desa gets m (all variation is sampling noise). Otherwise the prior is
    Beta(a, b) with a + b = m(1-m)/v - 1 and a = m(a + b); the smoothed value is (k + a) / (n + a + b), i.e.
    w p_i + (1 - w) m with shrinkage weight w = n / (n + a + b). Adds prevalensi_mentah_pct (raw),
    prevalensi_eb_pct and bobot_eb (w; 0 = fully shrunk). A desa with n = 0 or null gets nulls, not the group mean."""
    ok = pl.col(n).is_not_null() & (pl.col(n) > 0) & pl.col(k).is_not_null()
    kf, nf = pl.col(k).cast(pl.Float64), pl.col(n).cast(pl.Float64)
    d = df.with_columns(__ok=ok)
    sum_k = kf.filter(pl.col("__ok")).sum().over(group)
    sum_n = nf.filter(pl.col("__ok")).sum().over(group)
    cnt = pl.col("__ok").sum().over(group)
    d = d.with_columns(__m=sum_k / sum_n, __nbar=sum_n / cnt, __p=pl.when(ok).then(kf / nf))
    s2 = (nf * (pl.col("__p") - pl.col("__m")) ** 2).filter(pl.col("__ok")).sum().over(group) / sum_n
    d = d.with_columns(__v=s2 - pl.col("__m") * (1 - pl.col("__m")) / pl.col("__nbar"))
    ab = pl.when(pl.col("__v") > 0).then(pl.col("__m") * (1 - pl.col("__m")) / pl.col("__v") - 1)
    d = d.with_columns(__ab=ab)
    w = pl.when(pl.col("__ab").is_null()).then(0.0).otherwise(nf / (nf + pl.col("__ab")))
    return d.with_columns(
        prevalensi_mentah_pct=pl.when(ok).then(100.0 * pl.col("__p")),
        bobot_eb=pl.when(ok).then(w),
        prevalensi_eb_pct=pl.when(ok).then(100.0 * (w * pl.col("__p") + (1 - w) * pl.col("__m"))),
    ).drop("__ok", "__m", "__nbar", "__p", "__v", "__ab")
