"""Pure formulas of the anthropometric data-quality checks (no database, no language).

Sources (cited in every verdict, see ilp/locales/*/mutu.toml `mutu.aturan.*`):
- WHO/UNICEF (2019) Recommendations for data collection, analysis and reporting on anthropometric indicators in
  children under 5 years old (TEAM working group) and the WHO Anthro Survey Analyser's data-quality report:
  WHO flags (HAZ < -6 or > 6, WAZ < -6 or > 5, WHZ < -5 or > 5), % flagged above 1% is a concern, SD of the
  z-scores, skewness and kurtosis, age heaping, sex ratio, digit preference.
- SMART (2006, Standardized Monitoring and Assessment of Relief and Transitions) plausibility check: digit
  preference score DPS = 100 * sqrt(chi2 / (n * (k - 1))) over the k = 10 decimal digits (0 = no preference,
  100 = every value on one digit); 0-7 excellent, 8-12 good, 13-20 acceptable, > 20 problematic.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

# Expected sex ratio at these ages: about 1.05 boys per girl (the WHO/UNICEF 2019 recommendations compare the
# observed ratio with the expected one by a chi-square test).
RASIO_JK_HARAPAN = 1.05


def dps(counts: Sequence[int | float]) -> float | None:
    """SMART digit preference score of the counts of the decimal digits 0..9 (None when there are none).

    chi2 = sum((O - E)^2 / E) with E = n / k; DPS = 100 * sqrt(chi2 / (n * (k - 1))). All values on one digit
    give chi2 = n * (k - 1), so DPS = 100; a perfectly even spread gives 0."""
    k = len(counts)
    n = float(sum(counts))
    if k < 2 or n <= 0:
        return None
    e = n / k
    chi2 = sum((float(o) - e) ** 2 / e for o in counts)
    return 100.0 * math.sqrt(chi2 / (n * (k - 1)))


def rasio_jk(laki: int, perempuan: int, harapan: float = RASIO_JK_HARAPAN) -> tuple[float | None, float | None]:
    """Observed boys per girl and the p-value of a chi-square test (1 df) against `harapan` boys per girl.

    Expected counts: n * h / (1 + h) boys and n / (1 + h) girls; p = erfc(sqrt(chi2 / 2)) (upper tail, 1 df)."""
    n = laki + perempuan
    if n <= 0:
        return None, None
    ratio = laki / perempuan if perempuan > 0 else None
    e_l = n * harapan / (1 + harapan)
    e_p = n / (1 + harapan)
    chi2 = (laki - e_l) ** 2 / e_l + (perempuan - e_p) ** 2 / e_p
    return ratio, math.erfc(math.sqrt(chi2 / 2))


def indeks_umur_bulat(bulat: int, tetangga: int) -> float | None:
    """Age-heaping index at whole years: children aged 12, 24, 36, 48 completed months against the mean of
    their neighbouring months (11 and 13, 23 and 25, ...): bulat / (tetangga / 2). 1 = no heaping."""
    if tetangga <= 0:
        return None
    return bulat / (tetangga / 2.0)


def persen(num: int | float | None, den: int | float | None) -> float | None:
    """100 * num / den, None when the denominator is 0 or missing (missing never looks like 0)."""
    if num is None or den is None or den <= 0:
        return None
    return 100.0 * float(num) / float(den)


def sd_sampel(values: Sequence[float]) -> float | None:
    """Sample standard deviation (n - 1), as the SQL stddev_samp the report uses."""
    n = len(values)
    if n < 2:
        return None
    m = sum(values) / n
    return math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
