"""ilp.anthro: WHO 2006 z-scores checked against WHO's own expected outputs and hand-made edge cases."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ilp import anthro

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SURVEY = SHARED / "who" / "cases_who_igrowup_survey.csv"
IND = ("haz", "waz", "whz", "baz")


# ---------------------------------------------------------------------------------------------
# helpers: an independent scalar re-statement of the WHO formulas, used for expected values
# ---------------------------------------------------------------------------------------------
def lms(table: str, sex: int, key: float):
    T = anthro.tables()
    if table in ("lhfa", "wfa", "bfa"):
        i = int(key)
        return (float(getattr(T, f"{table}_l")[sex - 1, i]), float(getattr(T, f"{table}_m")[sex - 1, i]),
                float(getattr(T, f"{table}_s")[sex - 1, i]))
    start = 450 if table == "wfl" else 650
    # WHO R (z-score-weight-for-lenhei.R): low_lenhei <- trunc(lenhei * 10) / 10,
    # upp_lenhei <- trunc(lenhei * 10 + 1) / 10, diff_lenhei <- (lenhei - low_lenhei) / 0.1
    k = math.trunc(key * 10)
    k_up = math.trunc(key * 10 + 1)  # not always k + 1 in floating point (see the 102.4 cm tests)
    diff = (key - k / 10) / 0.1
    lo = [float(getattr(T, f"{table}_{c}")[sex - 1, k - start]) for c in "lms"]
    if diff > 0:
        up = [float(getattr(T, f"{table}_{c}")[sex - 1, k_up - start]) for c in "lms"]
        lo = [a + diff * (b - a) for a, b in zip(lo, up)]
    return tuple(lo)


def z_plain(y, L, M, S):
    return ((y / M) ** L - 1) / (S * L)


def z_adj(y, L, M, S):
    z = z_plain(y, L, M, S)
    sd = lambda k: M * (1 + L * S * k) ** (1 / L)  # noqa: E731
    if z > 3:
        return 3 + (y - sd(3)) / (sd(3) - sd(2))
    if z < -3:
        return -3 + (y - sd(-3)) / (sd(-2) - sd(-3))
    return z


def y_for_z(z, L, M, S):
    """Inverse of z_adj: the measurement whose WHO z-score is z."""
    sd = lambda k: M * (1 + L * S * k) ** (1 / L)  # noqa: E731
    if z > 3:
        return sd(3) + (z - 3) * (sd(3) - sd(2))
    if z < -3:
        return sd(-3) + (z + 3) * (sd(-2) - sd(-3))
    return sd(z)


def score(rows, **kw) -> pl.DataFrame:
    """rows: list of dicts with sex, age_days, height_cm, weight_kg, position (optional)."""
    base = {"sex": 1, "age_days": 400, "height_cm": 75.0, "weight_kg": 9.0, "position": None}
    full = [{**base, **r} for r in rows]
    df = pl.DataFrame(full, schema={"sex": pl.Int64, "age_days": pl.Int64, "height_cm": pl.Float64,
                                    "weight_kg": pl.Float64, "position": pl.String})
    return anthro.zscores(df, **kw)


def one(**kw) -> dict:
    return score([kw]).row(0, named=True)


# ---------------------------------------------------------------------------------------------
# WHO reference: the igrowup example survey with WHO's expected z-scores and flags
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def survey() -> pl.DataFrame:
    if not SURVEY.is_file():
        pytest.skip("../shared/data/who/cases_who_igrowup_survey.csv tidak tersedia")
    df = pl.read_csv(SURVEY)
    inp = df.select(
        "id", "sex", "age_days",
        pl.col("lenhei_cm").alias("height_cm"),
        "weight_kg",
        pl.col("measure").alias("position"),
        "oedema",
    )
    return anthro.zscores(inp).join(df.drop("sex", "age_days", "weight_kg", "oedema"), on="id")


@pytest.mark.parametrize("ind,ez,ef", [
    ("haz", "exp_zlen", "exp_flen"), ("waz", "exp_zwei", "exp_fwei"),
    ("whz", "exp_zwfl", "exp_fwfl"), ("baz", "exp_zbmi", "exp_fbmi"),
])
def test_who_survey_matches_expected(survey, ind, ez, ef):
    sub = survey.filter(pl.col("age_days") < 1827)
    assert sub.height == 494
    got, exp = sub[ind].to_numpy(), sub[ez].to_numpy()
    assert np.array_equal(np.isnan(got), np.isnan(exp)), "null pattern differs from WHO"
    assert np.nanmax(np.abs(got - exp)) < 1e-9  # identical at 2 decimals (max |diff| 0.00)
    assert (~np.isnan(got)).sum() > 400  # the comparison is not vacuous
    gf = sub[f"flag_{ind}"].cast(pl.Float64).to_numpy()
    ef_ = sub[ef].to_numpy()
    assert np.array_equal(np.isnan(gf), np.isnan(ef_))
    assert np.array_equal(gf[~np.isnan(gf)], ef_[~np.isnan(ef_)])


def test_who_survey_covers_the_hard_cases(survey):
    """The reference file exercises the restricted formula beyond +-3 SD, both length adjustments,
    oedema and missing position, so the test above is meaningful. (It has no flagged child and no
    standing infant under 9 months: those rules are covered by the hand-made cases below.)"""
    sub = survey.filter(pl.col("age_days") < 1827)
    for k in ("waz", "whz", "baz"):
        assert (sub[k].abs() > 3).sum() >= 5, k
    assert sub.filter((pl.col("position") == "l") & (pl.col("age_days") >= 731)).height > 10
    assert sub.filter((pl.col("position") == "h") & (pl.col("age_days") < 731)).height > 0
    assert sub["position"].null_count() > 0
    oed = sub.filter(pl.col("oedema") == "y")
    assert oed.height > 0 and oed["waz"].null_count() == oed.height and oed["haz"].null_count() < oed.height


def test_who_survey_over_60_months_gives_nothing(survey):
    old = survey.filter(pl.col("age_days") >= 1827)
    assert old.height == 4
    for k in IND:
        assert old[k].null_count() == 4
        assert old[f"flag_{k}"].null_count() == 4


# ---------------------------------------------------------------------------------------------
# edge cases
# ---------------------------------------------------------------------------------------------
def test_position_adjustment_around_731_days():
    r = score([
        {"age_days": 730, "height_cm": 85.0, "position": "L"},
        {"age_days": 730, "height_cm": 85.0, "position": "H"},   # +0.7
        {"age_days": 730, "height_cm": 85.7, "position": "L"},
        {"age_days": 731, "height_cm": 85.0, "position": "H"},
        {"age_days": 731, "height_cm": 85.0, "position": "L"},   # -0.7
        {"age_days": 731, "height_cm": 84.3, "position": "H"},
        {"age_days": 730, "height_cm": 85.0, "position": None},  # empty: never adjusted
    ])
    haz = r["haz"].to_list()
    assert haz[1] == haz[2] and haz[1] != haz[0]
    assert haz[4] == haz[5] and haz[4] != haz[3]
    assert haz[6] == haz[0]
    baz = r["baz"].to_list()
    assert baz[1] == baz[2] and baz[4] == baz[5] and baz[0] != baz[1]
    whz = r["whz"].to_list()
    assert whz[1] == whz[2] and whz[4] == whz[5]
    # expected value from the tables: day 730 lying 85.0 cm
    L, M, S = lms("lhfa", 1, 730)
    assert haz[0] == round(z_plain(85.0, L, M, S), 2)
    L, M, S = lms("lhfa", 1, 731)
    assert haz[4] == round(z_plain(85.0 - 0.7, L, M, S), 2)


def test_weight_for_stature_table_chosen_by_age_not_position():
    r = score([
        {"age_days": 730, "height_cm": 90.0, "weight_kg": 12.0, "position": None},
        {"age_days": 731, "height_cm": 90.0, "weight_kg": 12.0, "position": None},
    ])
    L, M, S = lms("wfl", 1, 90.0)
    assert r["whz"][0] == round(z_adj(12.0, L, M, S), 2)
    L, M, S = lms("wfh", 1, 90.0)
    assert r["whz"][1] == round(z_adj(12.0, L, M, S), 2)
    assert r["whz"][0] != r["whz"][1]


def test_standing_under_9_months_is_not_adjusted():
    r = score([
        {"age_days": 200, "height_cm": 66.0, "position": "H"},
        {"age_days": 200, "height_cm": 66.0, "position": "L"},
        {"age_days": 200, "height_cm": 66.0, "position": None},
        {"age_days": 273, "height_cm": 70.0, "position": "H"},   # last day < 9 months
        {"age_days": 273, "height_cm": 70.0, "position": "L"},
        {"age_days": 274, "height_cm": 70.0, "position": "H"},   # 9 months: +0.7
        {"age_days": 274, "height_cm": 70.7, "position": "L"},
        {"age_days": 300, "height_cm": 70.0, "position": "H"},
        {"age_days": 300, "height_cm": 70.7, "position": "L"},
        {"age_days": 300, "height_cm": 70.0, "position": "L"},
    ])
    for k in ("haz", "whz", "baz"):
        v = r[k].to_list()
        assert v[0] == v[1] == v[2], k
        assert v[3] == v[4], k
        assert v[5] == v[6], k
        assert v[7] == v[8] and v[7] != v[9], k


@pytest.mark.parametrize("age,pos,h,ok", [
    (400, "L", 45.0, True), (400, "L", 44.99, False), (400, "L", 110.0, True), (400, "L", 110.01, False),
    (400, "H", 109.3, True),   # 109.3 + 0.7 = 110.0 (on the edge)
    (400, "H", 110.0, False),  # adjusted to 110.7: outside the length table
    (1000, "H", 65.0, True), (1000, "H", 64.99, False), (1000, "H", 120.0, True), (1000, "H", 120.01, False),
    (1000, "L", 45.0, False),  # height table from 731 days even though 45 cm is on the length table
    (100, "L", 120.0, False),  # length table under 731 days
])
def test_weight_for_stature_table_edges(age, pos, h, ok):
    r = one(age_days=age, height_cm=h, weight_kg=10.0, position=pos)
    assert (r["whz"] is not None) == ok
    assert (r["flag_whz"] is not None) == ok


def test_weight_for_stature_edge_values_and_interpolation():
    r = score([
        {"sex": 2, "age_days": 400, "height_cm": 110.0, "weight_kg": 18.0, "position": "L"},
        {"sex": 2, "age_days": 400, "height_cm": 45.0, "weight_kg": 2.5, "position": "L"},
        {"sex": 1, "age_days": 1000, "height_cm": 120.0, "weight_kg": 22.0, "position": "H"},
        {"sex": 1, "age_days": 1000, "height_cm": 87.05, "weight_kg": 12.0, "position": "H"},
        {"sex": 2, "age_days": 100, "height_cm": 60.37, "weight_kg": 5.5, "position": "L"},
    ])
    cases = [("wfl", 2, 110.0, 18.0), ("wfl", 2, 45.0, 2.5), ("wfh", 1, 120.0, 22.0),
             ("wfh", 1, 87.05, 12.0), ("wfl", 2, 60.37, 5.5)]
    for i, (tab, sex, h, w) in enumerate(cases):
        L, M, S = lms(tab, sex, h)
        assert r["whz"][i] == round(z_adj(w, L, M, S), 2), cases[i]
    # interpolation really happens: 87.05 lies between the 87.0 and 87.1 rows
    _, M0, _ = lms("wfh", 1, 87.0)
    _, M1, _ = lms("wfh", 1, 87.1)
    _, Mi, _ = lms("wfh", 1, 87.05)
    assert M0 < Mi < M1


def test_lying_from_731_days_just_below_102_4_cm_uses_rs_upper_row():
    """Issue 11 item 9. A child of 731 days or more measured lying at 103.1 cm: WHO anthro R subtracts
    0.7 cm (adjust_lenhei: lenhei - 0.7) giving 102.39999999999999 in floating point, then
    low_lenhei = trunc(1023.9999999999999) / 10 = 102.3 but upp_lenhei = trunc(1023.9999999999999 + 1) / 10
    = trunc(1025.0) / 10 = 102.5: the sum rounds up to 1025 because it crosses 1024 = 2^10, where the
    spacing of doubles doubles. diff_lenhei = (102.39999999999999 - 102.3) / 0.1 = 0.9999999999999432,
    so R's M, L, S are those of the 102.5 cm row (to 1e-14), not of 102.4 cm.

    Boys' weight-for-height rows (WHO wfhanthro.txt, sex 1):
      102.3: L -0.3521  M 16.0206  S 0.08343
      102.4: L -0.3521  M 16.0503  S 0.08349   (what a lookup at 102.4 would use)
      102.5: L -0.3521  M 16.0801  S 0.08354
    M = 16.0206 + 0.99999999999994 * (16.0801 - 16.0206) = 16.0801; S = 0.08354; L = -0.3521.
    Weight 12.0 kg (restricted zone below -3):
      plain z = ((12.0 / 16.0801)^-0.3521 - 1) / (0.08354 * -0.3521) = -3.690 < -3, so
      SD3neg = 16.0801 * (1 + -0.3521 * 0.08354 * -3)^(1 / -0.3521) = 16.0801 * 1.0882428^-2.84010
             = 16.0801 * 0.786509 = 12.64687
      SD2neg = 16.0801 * 1.0588289^-2.84010 = 16.0801 * 0.850143 = 13.67039
      SD23neg = 13.67039 - 12.64687 = 1.02352
      z = -3 + (12.0 - 12.64687) / 1.02352 = -3 - 0.63201 = -3.63201 -> -3.63
      (with the 102.4 row instead: SD3neg 12.62310, SD23neg 1.02160, z = -3.61: 0.02 too high).
    Girls' rows (sex 2): 102.3: L -0.3833 M 15.9087 S 0.09155; 102.5: M 15.9707 S 0.09161
    (102.4: M 15.9396 S 0.09158). Weight 11.8 kg: plain z -3.503;
      SD3neg = 15.9707 * (1 + 0.3833 * 0.09161 * 3)^(1 / -0.3833) = 15.9707 * 1.1053443^-2.60892 = 12.29827
      SD2neg = 15.9707 * 1.0702295^-2.60892 = 13.37896; SD23neg = 1.08068
      z = -3 + (11.8 - 12.29827) / 1.08068 = -3.46107 -> -3.46 (102.4 row: -3.44).
    Weight 12.6 kg, boy: plain z -3.048; z = -3 + (12.6 - 12.64687) / 1.02352 = -3.04580 -> -3.05 (not -3.02).
    """
    assert 103.1 - 0.7 == 102.39999999999999
    assert math.trunc((103.1 - 0.7) * 10) == 1023 and math.trunc((103.1 - 0.7) * 10 + 1) == 1025
    r = score([
        {"sex": 1, "age_days": 1000, "height_cm": 103.1, "weight_kg": 12.0, "position": "L"},
        {"sex": 2, "age_days": 731, "height_cm": 103.1, "weight_kg": 11.8, "position": "L"},
        {"sex": 1, "age_days": 1826, "height_cm": 103.1, "weight_kg": 12.6, "position": "L"},
        # the same children measured standing: 103.1 is on the grid, plain 103.1 cm row, no quirk
        {"sex": 1, "age_days": 1000, "height_cm": 103.1, "weight_kg": 12.0, "position": "H"},
    ])
    assert r["whz"].to_list()[:3] == [-3.63, -3.46, -3.05]
    assert r["flag_whz"].to_list()[:3] == [0, 0, 0]
    # the table rows quoted above are the ones loaded
    T = anthro.tables()
    assert [float(T.wfh_m[0, i - 650]) for i in (1023, 1024, 1025)] == [16.0206, 16.0503, 16.0801]
    assert [float(T.wfh_s[0, i - 650]) for i in (1023, 1024, 1025)] == [0.08343, 0.08349, 0.08354]
    assert [float(T.wfh_m[1, i - 650]) for i in (1023, 1024, 1025)] == [15.9087, 15.9396, 15.9707]
    assert float(T.wfh_l[0, 0]) == -0.3521 and float(T.wfh_l[1, 0]) == -0.3833
    # the independent scalar statement of R's algorithm agrees, and the standing child uses 103.1
    assert r["whz"][0] == round(z_adj(12.0, *lms("wfh", 1, 103.1 - 0.7)), 2)
    assert r["whz"][3] == round(z_adj(12.0, *lms("wfh", 1, 103.1)), 2)
    # a length just below 51.2 cm (512 = 2^9) on the weight-for-length table: rows 51.1 and 51.3
    h = 51.199999999999996
    assert math.trunc(h * 10) == 511 and math.trunc(h * 10 + 1) == 513
    r2 = one(sex=1, age_days=100, height_cm=h, weight_kg=3.0, position="L")
    L, M, S = lms("wfl", 1, h)
    assert M == pytest.approx(float(T.wfl_m[0, 513 - 450]), abs=1e-12)
    assert r2["whz"] == round(z_adj(3.0, L, M, S), 2)


def test_lying_from_731_days_every_height_matches_r_lookup():
    """Children of 731 days or more measured lying at every 0.1 cm (and a float32-stored copy of each
    height, as in WHO's survey file), weights across the restricted zone below -3: the vectorised
    kernel equals the scalar statement of R's lookup (trunc(x*10) and trunc(x*10 + 1) rows)."""
    rows = []
    for sex in (1, 2):
        for tenth in range(657, 1208):
            for h in (tenth / 10, float(np.float32(tenth / 10))):
                c = h - 0.7
                if not 65 <= c <= 120:  # float32 65.7 is 65.69999694824219: below the table
                    continue
                L, M, S = lms("wfh", sex, c)
                for z in (-4.6, -3.7, -3.1, -2.0):
                    rows.append({"sex": sex, "age_days": 1200, "height_cm": h,
                                 "weight_kg": round(y_for_z(z, L, M, S), 1), "position": "L"})
    r = score(rows)
    exp = [round(z_adj(w, *lms("wfh", s_, h - 0.7)), 2)
           for s_, h, w in zip(r["sex"], r["height_cm"], r["weight_kg"])]
    assert r["whz"].to_list() == exp
    assert (r["whz"] < -3).sum() > len(rows) // 3
    assert r.filter((pl.col("height_cm") == 103.1) & (pl.col("whz") < -3)).height >= 2


def _heights_for(ind, z, sex=1, age=400):
    L, M, S = lms({"haz": "lhfa", "waz": "wfa", "baz": "bfa"}[ind], sex, age)
    return y_for_z(z, L, M, S) if ind != "haz" else M * (1 + z * S)


@pytest.mark.parametrize("ind,limit", [("haz", 6.0), ("haz", -6.0), ("waz", 5.0), ("waz", -6.0),
                                       ("whz", 5.0), ("whz", -5.0), ("baz", 5.0), ("baz", -5.0)])
def test_flag_thresholds_on_rounded_value(ind, limit):
    sign = 1 if limit > 0 else -1
    rows = []
    for z in (limit + sign * 0.004, limit + sign * 0.006, limit - sign * 0.5):
        if ind == "haz":
            rows.append({"age_days": 400, "height_cm": _heights_for("haz", z), "weight_kg": None, "position": "L"})
        elif ind == "waz":
            rows.append({"age_days": 400, "weight_kg": _heights_for("waz", z), "position": "L"})
        elif ind == "whz":
            L, M, S = lms("wfl", 1, 75.0)
            rows.append({"age_days": 400, "height_cm": 75.0, "weight_kg": y_for_z(z, L, M, S), "position": "L"})
        else:  # baz: weight for a target BMI at 75 cm
            bmi = _heights_for("baz", z)
            rows.append({"age_days": 400, "height_cm": 75.0, "weight_kg": bmi * 0.75 ** 2, "position": "L"})
    r = score(rows)
    assert r[ind].to_list() == [round(limit, 2), round(limit + sign * 0.01, 2), round(limit - sign * 0.5, 2)]
    assert r[f"flag_{ind}"].to_list() == [0, 1, 0]  # 6.00 (from 6.004) is not flagged, 6.01 is


def test_flagged_z_is_kept():
    r = one(age_days=400, height_cm=_heights_for("haz", -7.0), position="L")
    assert r["haz"] == -7.0 and r["flag_haz"] == 1


def test_age_limits_1826_1827():
    r = score([
        {"age_days": 1826, "height_cm": 105.0, "weight_kg": 17.0, "position": "H"},
        {"age_days": 1827, "height_cm": 105.0, "weight_kg": 17.0, "position": "H"},
        {"age_days": 0, "height_cm": 50.0, "weight_kg": 3.3, "position": "L"},
    ])
    assert all(r[k][0] is not None for k in IND)
    assert all(r[k][1] is None and r[f"flag_{k}"][1] is None for k in IND)
    assert all(r[k][2] is not None for k in ("haz", "waz", "baz"))  # 50 cm: WHZ also on the table
    assert r["whz"][2] is not None


def test_missing_weight_and_negative_age():
    r = score([
        {"age_days": 500, "height_cm": 78.0, "weight_kg": None, "position": "L"},
        {"age_days": -3, "height_cm": 50.0, "weight_kg": 3.0, "position": "L"},
        {"age_days": 500, "height_cm": None, "weight_kg": 10.0, "position": "L"},
        {"age_days": 500, "height_cm": 78.0, "weight_kg": 0.0, "position": "L"},
    ])
    row = r.row(0, named=True)
    assert row["haz"] is not None and row["flag_haz"] == 0
    assert row["waz"] is None and row["whz"] is None and row["baz"] is None
    assert row["flag_waz"] is None and row["flag_whz"] is None and row["flag_baz"] is None
    neg = r.row(1, named=True)
    assert all(neg[k] is None and neg[f"flag_{k}"] is None for k in IND)
    noh = r.row(2, named=True)
    assert noh["waz"] is not None and noh["haz"] is None and noh["whz"] is None and noh["baz"] is None
    assert all(r.row(3, named=True)[k] is None for k in ("waz", "whz", "baz"))


def test_oedema_blocks_weight_based_scores():
    df = pl.DataFrame({"sex": [1, 1], "age_days": [400, 400], "height_cm": [75.0, 75.0],
                       "weight_kg": [9.0, 9.0], "oedema": ["y", "n"]})
    r = anthro.zscores(df)
    assert r["haz"][0] == r["haz"][1] is not None
    assert r["waz"][0] is None and r["whz"][0] is None and r["baz"][0] is None
    assert r["waz"][1] is not None


def test_missing_age_still_scores_weight_for_length_by_position():
    df = pl.DataFrame({"sex": [1, 1, 1, 1], "age_days": [None, None, None, 400],
                       "height_cm": [80.0, 80.0, 90.0, 80.0], "weight_kg": [10.0] * 4,
                       "position": ["L", "H", None, "L"]}, schema_overrides={"age_days": pl.Int32})
    r = anthro.zscores(df)
    assert r["haz"][0] is None and r["waz"][0] is None and r["baz"][0] is None
    assert r["whz"][0] == r["whz"][3]  # lying -> length table, like a child < 731 days
    L, M, S = lms("wfh", 1, 80.0)
    assert r["whz"][1] == round(z_adj(10.0, L, M, S), 2)  # standing -> height table
    L, M, S = lms("wfh", 1, 90.0)
    assert r["whz"][2] == round(z_adj(10.0, L, M, S), 2)  # unknown and >= 87 cm -> height table


def test_inputs_dates_and_codes():
    base = pl.DataFrame({
        "sex": ["L", "P", "M", "F", "x"],
        "birth_date": [dt.date(2023, 1, 10)] * 5,
        "measure_date": [dt.date(2024, 2, 20)] * 5,
        "height_cm": [78.0] * 5, "weight_kg": [10.0] * 5,
        "position": ["Telentang", "telentang", "lying", "recumbent", "l"],
    })
    r = anthro.zscores(base)
    assert r["age_days"].dtype == pl.Int32 and r["age_days"][0] == 406
    ref = score([{"sex": 1, "age_days": 406, "height_cm": 78.0, "weight_kg": 10.0, "position": "L"},
                 {"sex": 2, "age_days": 406, "height_cm": 78.0, "weight_kg": 10.0, "position": "L"}])
    for k in IND:
        assert r[k][0] == r[k][2] == ref[k][0]
        assert r[k][1] == r[k][3] == ref[k][1]
        assert r[k][4] is None  # unknown sex
        assert r[k].dtype == pl.Float64 and r[f"flag_{k}"].dtype == pl.Int8
    st = anthro.zscores(base.with_columns(pl.lit("Berdiri").alias("position")))
    st2 = score([{"sex": 1, "age_days": 406, "height_cm": 78.0, "weight_kg": 10.0, "position": "H"}])
    assert st["haz"][0] == st2["haz"][0] != r["haz"][0]
    # birth after measurement -> negative age -> nothing
    neg = anthro.zscores(base.with_columns(pl.lit(dt.date(2024, 3, 1)).alias("birth_date")))
    assert all(neg[k].null_count() == 5 for k in IND)


def test_indicators_argument_and_input_kept():
    df = pl.DataFrame({"child": ["a"], "sex": [2], "age_days": [300], "height_cm": [68.0], "weight_kg": [7.5]})
    r = anthro.zscores(df, indicators=("haz",))
    assert r.columns == ["child", "sex", "age_days", "height_cm", "weight_kg", "haz", "flag_haz"]
    full = anthro.zscores(df)
    assert full["haz"][0] == r["haz"][0]
    with pytest.raises(ValueError):
        anthro.zscores(df, indicators=("lfa",))


def _reference_row(sex, age, h, w, pos):
    """Plain per-row statement of WHO's rules (slow; for cross-checking the vectorised kernel)."""
    out = dict.fromkeys(IND)
    if sex not in (1, 2) or age is None or age < 0 or age / 30.4375 >= 60:
        return out
    if pos == "H" and age / 30.4375 < 9:
        pos = None
    c = h
    if h is not None and pos == "H" and age < 731:
        c = h + 0.7
    if h is not None and pos == "L" and age >= 731:
        c = h - 0.7
    if c is not None and c > 0:
        out["haz"] = round(z_plain(c, *lms("lhfa", sex, age)), 2)
    if w is not None and w > 0:
        out["waz"] = round(z_adj(w, *lms("wfa", sex, age)), 2)
        if c is not None and c > 0:
            out["baz"] = round(z_adj(w / (c / 100) ** 2, *lms("bfa", sex, age)), 2)
            if age < 731 and 45 <= c <= 110:
                out["whz"] = round(z_adj(w, *lms("wfl", sex, c)), 2)
            elif age >= 731 and 65 <= c <= 120:
                out["whz"] = round(z_adj(w, *lms("wfh", sex, c)), 2)
    return out


def test_vectorised_kernel_matches_row_by_row_reference():
    rng = np.random.default_rng(7)
    n = 3000
    age = rng.integers(-5, 1900, n)
    h = 46 + age.clip(0) / 1826 * 64 + rng.normal(0, 6, n)
    h = np.where(rng.random(n) < 0.5, np.round(h, 1), np.round(h, 2))  # on and off the 0.1 cm grid
    w = np.round(3.2 + age.clip(0) / 1826 * 14 + rng.normal(0, 2.5, n), 1)
    sex = rng.integers(0, 3, n)  # 0 = invalid
    pos = rng.choice(np.array(["L", "H", None], dtype=object), n)
    h = np.where(rng.random(n) < 0.05, np.nan, h)
    w = np.where(rng.random(n) < 0.05, np.nan, w)
    df = pl.DataFrame({"sex": sex, "age_days": age, "height_cm": h, "weight_kg": w,
                       "position": pl.Series(pos, dtype=pl.String)}).with_columns(
        pl.col("height_cm").fill_nan(None), pl.col("weight_kg").fill_nan(None))
    got = anthro.zscores(df)
    mism = 0
    for i, row in enumerate(df.iter_rows(named=True)):
        exp = _reference_row(row["sex"], row["age_days"], row["height_cm"], row["weight_kg"], row["position"])
        for k in IND:
            g = got[k][i]
            e = exp[k]
            if (g is None) != (e is None) or (g is not None and abs(g - e) > 1e-9):
                mism += 1
    assert mism == 0
    assert got["whz"].null_count() < n * 0.5 and got["haz"].null_count() < n * 0.5


def test_parallel_path_equals_serial_path():
    rng = np.random.default_rng(3)
    n = 300_000  # above the threshold for the thread pool
    age = rng.integers(0, 1900, n).astype(float)
    sex = rng.integers(1, 3, n)
    h = np.round(46 + age / 1826 * 64 + rng.normal(0, 4, n), 1)
    w = np.round(3.2 + age / 1826 * 14 + rng.normal(0, 1.5, n), 1)
    pos = rng.integers(0, 3, n)
    big = anthro.score_arrays(sex, age, h, w, pos)
    step = 997
    for k in IND:
        parts = [anthro.score_arrays(sex[i:i + step], age[i:i + step], h[i:i + step], w[i:i + step],
                                     pos[i:i + step])[k] for i in range(0, n, step * 37)]
        small = np.concatenate(parts)
        ref = np.concatenate([big[k][i:i + step] for i in range(0, n, step * 37)])
        assert np.array_equal(small, ref, equal_nan=True), k


def test_r_rounding_rule():
    # R >= 4.0 round(x, 2): nearest representable candidate, ties to even last digit
    z = np.array([0.125, -0.125, 0.135, 2.675, 1.005, -6.004, 6.005, 5.0049999, np.nan])
    r = anthro._round2(z.copy())
    exact = anthro._round2_exact(z.copy())
    assert np.array_equal(r, exact, equal_nan=True)
    assert r[0] == 0.12 and r[1] == -0.12 and r[5] == -6.0 and r[7] == 5.0


# ---------------------------------------------------------------------------------------------
# the zscore tool (ilp.ingest.zscore_csv, `python -m ilp zscore`) on a CSV saved from Excel
# ---------------------------------------------------------------------------------------------
def _write_cp1252(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def test_zscore_csv_semicolon_comma_cp1252(tmp_path):
    """Indonesian Excel: ';' separator, decimal comma, Windows-1252; each bad row named with row and column."""
    from ilp.ingest.zscore_csv import zscore_file
    src = tmp_path / "ukur.csv"
    _write_cp1252(src, [
        "Nama;JK;Tgl_Lahir;Tgl_Ukur;TB;BB;Cara_Ukur",
        "Siti Aisyah;P;15/03/2023;20/02/2025;83,5;10,2;Telentang",
        "Budi Söderberg;L;01/06/2021;20/02/2025;98,0;14,1;Berdiri",   # non-ASCII in cp1252
        "Ayu;P;07/09/2024;20/02/2025;8x5;7,1;Telentang",              # bad number
        "Rizky;1;2022-11-30;2025-02-20;92,4;13;H",                    # ISO dates, sex 1
        "Dewi;X;01/01/2023;20/02/2025;80;9;L",                        # unknown sex code
        "Eko;L;31/02/2023;20/02/2025;80;9;L",                         # impossible date
        "Fajar;L;01/01/2023;20/02/2025;500;9;L",                      # impossible height
        "Gita;P;21/02/2025;20/02/2025;50;3;L",                        # born after measurement
        "Hadi;L;01/01/2020;20/02/2025;110;19;H",                      # > 60 months: no score, no error
    ])
    out = tmp_path / "hasil.csv"
    counts = zscore_file(src, out)
    assert counts == {"rows": 9, "scored": 3, "errors": 5}
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    res = pl.read_csv(raw[3:], separator=";", infer_schema=False)
    assert res.columns[:7] == ["Nama", "JK", "Tgl_Lahir", "Tgl_Ukur", "TB", "BB", "Cara_Ukur"]
    assert res.columns[7:] == ["age_days", *IND, *(f"flag_{k}" for k in IND), "error"]
    assert res["Nama"][1] == "Budi Söderberg"  # decoded from Windows-1252, input kept unchanged
    assert res["TB"][0] == "83,5"
    err = res["error"].to_list()
    assert err[2] == "baris 4, kolom 'TB': '8x5' bukan angka"
    assert err[0] is None and err[1] is None and err[3] is None and err[8] is None
    assert "kolom 'JK'" in err[4] and "'X'" in err[4]
    assert "kolom 'Tgl_Lahir'" in err[5] and "'31/02/2023'" in err[5]
    assert err[6] == "baris 8, kolom 'TB': 500 cm di luar rentang wajar 20–200 cm"
    assert "baris 9" in err[7] and "sesudah Tgl_Ukur" in err[7]
    for i in (2, 4, 5, 6, 7, 8):
        assert all(res[k][i] is None for k in IND)
    # the good rows equal the DataFrame API on the same values
    api = anthro.zscores(pl.DataFrame({
        "sex": [2, 1, 1],
        "birth_date": [dt.date(2023, 3, 15), dt.date(2021, 6, 1), dt.date(2022, 11, 30)],
        "measure_date": [dt.date(2025, 2, 20)] * 3,
        "height_cm": [83.5, 98.0, 92.4], "weight_kg": [10.2, 14.1, 13.0], "position": ["L", "H", "H"],
    }))
    for j, i in enumerate((0, 1, 3)):
        assert int(res["age_days"][i]) == api["age_days"][j]
        for k in IND:
            assert float(res[k][i].replace(",", ".")) == api[k][j]
            assert int(res[f"flag_{k}"][i]) == api[f"flag_{k}"][j]
    assert res["age_days"][8] == "1877" and res["haz"][8] is None   # 5 years and more: age, no score


def test_zscore_csv_utf8_bom_comma(tmp_path):
    from ilp.ingest.zscore_csv import zscore_file
    src = tmp_path / "a.csv"
    src.write_bytes("\ufeffjenis_kelamin,tanggal_lahir,tanggal_pengukuran,tinggi,berat,cara_ukur\n"
                    "2,2023-03-15,2025-02-20,\"83,5\",10.2,l\n".encode("utf-8"))
    out = tmp_path / "b.csv"
    assert zscore_file(src, out) == {"rows": 1, "scored": 1, "errors": 0}
    res = pl.read_csv(out.read_bytes()[3:])
    assert res.columns[0] == "jenis_kelamin"
    api = anthro.zscores(pl.DataFrame({"sex": [2], "birth_date": [dt.date(2023, 3, 15)],
                                       "measure_date": [dt.date(2025, 2, 20)], "height_cm": [83.5],
                                       "weight_kg": [10.2], "position": ["L"]}))
    assert res["haz"][0] == api["haz"][0]


def test_zscore_csv_missing_column_names_nearest(tmp_path):
    from ilp.ingest.zscore_csv import ZscoreError, zscore_file
    src = tmp_path / "a.csv"
    src.write_text("jenis_kelamn;tgl_lahir;tgl_ukur;tb;bb\n1;2023-01-01;2024-01-01;75;9\n", encoding="utf-8")
    with pytest.raises(ZscoreError) as ei:
        zscore_file(src, tmp_path / "o.csv")
    msg = str(ei.value)
    assert "'jk'" in msg and "jenis_kelamin" in msg and "maksud Anda 'jenis_kelamn'" in msg
    assert not (tmp_path / "o.csv").exists()
    src.write_text("jk;tgl_lahir;tanggal_ukr;tb;bb\n1;2023-01-01;2024-01-01;75;9\n", encoding="utf-8")
    with pytest.raises(ZscoreError, match="tgl_lahir dan tgl_ukur"):
        zscore_file(src, tmp_path / "o.csv")


def test_zscore_csv_empty_cells_and_age_column(tmp_path):
    from ilp.ingest.zscore_csv import zscore_file
    src = tmp_path / "a.csv"
    src.write_text(
        "JK;Umur_Hari;PB;BB;Cara_Ukur;Catatan\n"
        "L;400;75,0;9,0;;\n"          # empty position: unknown, not an error
        "L;;75,0;9,0;L;tanpa umur\n"  # empty age -> error
        "L;-2;75,0;9,0;L;\n"          # negative age -> error
        "L;400;;;L;\n"                # nothing measured -> error
        "L;400;75,0;9,0;duduk;\n",    # unknown position code -> error
        encoding="utf-8")
    out = tmp_path / "o.csv"
    counts = zscore_file(src, out)
    assert counts == {"rows": 5, "scored": 1, "errors": 4}
    res = pl.read_csv(out.read_bytes()[3:], separator=";", infer_schema=False)
    err = res["error"].to_list()
    assert err[0] is None
    assert err[1] == "baris 3, kolom 'Umur_Hari': wajib diisi"
    assert err[2] == "baris 4, kolom 'Umur_Hari': -2 tidak boleh negatif"
    assert err[3] == "baris 5: tinggi dan berat kosong"
    assert "'duduk' bukan pilihan yang sah" in err[4]
    assert res["Catatan"][1] == "tanpa umur" and res["Cara_Ukur"][0] is None
    exp = one(sex=1, age_days=400, height_cm=75.0, weight_kg=9.0, position=None)
    assert float(res["haz"][0].replace(",", ".")) == exp["haz"]


def test_normalisers_as_expressions():
    df = pl.DataFrame({"s": ["L", "p", " M ", "F", "1", "2.0", "x", None],
                       "p": ["Telentang", "BERDIRI", "l", "H", "recumbent", "", None, "duduk"]})
    r = df.lazy().select(anthro.normalise_sex("s"), anthro.normalise_position(pl.col("p"))).collect()
    assert r["s"].to_list() == [1, 2, 1, 2, 1, 2, None, None]
    assert r["p"].to_list() == [1, 2, 1, 2, 1, 0, 0, 0]
    cat = df.with_columns(pl.all().cast(pl.Categorical)).select(anthro.normalise_sex("s"), anthro.normalise_position("p"))
    assert cat.equals(r)
