"""The trend as WHO/UNICEF track targets (AARR), the required AARR, the status words and the reach year,
with answers computed by hand."""
import math

import polars as pl
import pytest

from ilp import targets


def ser(periodes, prev, n=None):
    d = {"periode": periodes, "prevalensi_pct": prev}
    if n is not None:
        d["diukur"] = n
    return pl.DataFrame(d)


def test_geometric_decline_gives_exactly_ten_percent_a_year():
    # 20 -> 18 -> 16.2 one year apart: each year 10% lower, so AARR = 10 %/yr exactly, no residual
    tr = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 18.0, 16.2], [500, 500, 500]))
    assert tr["aarr_pct"] == pytest.approx(10.0)
    assert tr["aarr_ci_bawah"] == pytest.approx(10.0) and tr["aarr_ci_atas"] == pytest.approx(10.0)
    assert tr["signifikan"]
    # required: from 16.2 (Feb 2025 = 2025 + 1.5/12) to 14.2 at mid-2029: 4.375 years
    assert tr["years_left"] == pytest.approx(4.375)
    assert tr["aarr_perlu_pct"] == pytest.approx((1 - (14.2 / 16.2) ** (1 / 4.375)) * 100)
    assert tr["aarr_perlu_pct"] == pytest.approx(2.967, abs=1e-3)
    assert tr["status"] == "sesuai_jalur"
    # 16.2 x 0.9 = 14.58 in Feb 2026 (still above 14.2), 13.12 in Feb 2027: crossed during 2026
    assert tr["tahun_capai"] == 2026 and tr["alasan_tahun"] is None
    # pace in percentage points at the current level: 16.2 x 10% = 1.62 pp in the first year
    assert tr["pp_per_tahun"] == pytest.approx(1.62)
    # projection to mid-2029: 16.2 x 0.9^4.375
    assert tr["proj_value"] == pytest.approx(16.2 * 0.9 ** 4.375)


def test_flat_series_is_no_progress_and_has_no_reach_year():
    tr = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 20.0, 20.0], [300, 300, 300]))
    assert tr["aarr_pct"] == pytest.approx(0.0)
    assert tr["status"] == "tidak_ada_kemajuan"
    assert tr["tahun_capai"] is None and tr["alasan_tahun"] == "tidak_signifikan"


def test_rising_series_below_target_is_worsening_not_reached():
    # 10 -> 11 -> 12.1: +10% a year, AARR = -10, below the 14.2 target but rising
    tr = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [10.0, 11.0, 12.1], [400, 400, 400]))
    assert tr["aarr_pct"] == pytest.approx(-10.0)
    assert tr["status"] == "memburuk"
    assert tr["tahun_capai"] is None and tr["alasan_tahun"] == "sudah_di_bawah_target"


def test_rising_series_above_target_is_worsening():
    tr = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 22.0, 24.2], [400, 400, 400]))
    assert tr["status"] == "memburuk" and tr["alasan_tahun"] == "memburuk" and tr["tahun_capai"] is None


def test_slow_significant_decline_is_some_progress():
    # 1% lower each year (AARR 1) over 4 rounds, needed ~3%/yr: some progress; reach year 2025 + ln(14.2/19.41)/ln(.99)
    prev = [20.0, 19.8, 19.602, 19.40598]
    tr = targets.aarr_trend(ser(["2022-02", "2023-02", "2024-02", "2025-02"], prev, [500] * 4))
    assert tr["aarr_pct"] == pytest.approx(1.0)
    assert tr["status"] == "ada_kemajuan"
    years = math.log(14.2 / 19.40598) / math.log(0.99)  # 31.1 years: beyond the horizon
    assert years > targets.HORIZON_TAHUN_CAPAI
    assert tr["tahun_capai"] is None and tr["alasan_tahun"] == "terlalu_jauh"


def test_noisy_short_series_is_not_significant_with_t_quantile():
    # three rounds: 1 degree of freedom, t = 12.706; a wobbly decline is not significant
    tr = targets.aarr_trend(ser(["2024-02", "2024-08", "2025-02"], [20.0, 17.0, 18.5], [500, 500, 500]))
    assert tr["df"] == 1 and tr["t_quantile"] == pytest.approx(12.7062)
    assert tr["aarr_ci_bawah"] < 0 < tr["aarr_ci_atas"]
    assert tr["status"] == "tidak_ada_kemajuan" and tr["tahun_capai"] is None


def test_campaign_month_of_twenty_children_does_not_dominate():
    per = ["2024-02", "2024-08", "2025-02", "2025-03"]
    prev = [20.0, 19.6, 19.208, 5.0]  # 2% a year-half decline, then a 20-child campaign month at 5%
    n = [2000, 2000, 2000, 20]
    base = targets.aarr_trend(ser(per[:3], prev[:3], n[:3]))
    # by default the campaign month is not a complete round (20 < half the median 2000)
    tr = targets.aarr_trend(ser(per, prev, n))
    assert ("2025-03", "tidak_lengkap") in tr["excluded"] and tr["n_rounds"] == 3
    assert tr["aarr_pct"] == pytest.approx(base["aarr_pct"])
    # even kept in, the weights (n) keep it from dominating; unweighted it would
    kept = targets.aarr_trend(ser(per, prev, n), fraksi_lengkap=0)
    flat = targets.aarr_trend(ser(per, prev, n), bobot="sama", fraksi_lengkap=0)
    assert base["aarr_pct"] == pytest.approx(3.96, abs=0.01)  # 1 - 0.98^2 per year
    assert abs(kept["aarr_pct"] - base["aarr_pct"]) < 2  # 5.4 vs 4.0
    assert flat["aarr_pct"] > 40


def test_too_few_complete_rounds():
    tr = targets.aarr_trend(ser(["2025-02", "2025-08"], [20.0, 10.0], [100, 100]))
    assert tr["status"] == "data_kurang" and tr["aarr_pct"] is None and tr["tahun_capai"] is None
    assert targets.projection_line_aarr(tr).height == 0


def test_zero_prevalence_and_missing_rounds_are_left_out_not_logged():
    tr = targets.aarr_trend(ser(["2023-02", "2023-08", "2024-02", "2025-02"], [20.0, None, 0.0, 18.0], [100] * 4))
    assert ("2023-08", "kosong") in tr["excluded"] and ("2024-02", "tak_bisa_log") in tr["excluded"]
    assert tr["status"] == "data_kurang"


def test_inverse_variance_weights_floor_the_interval():
    tr = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 18.0, 16.2], [50, 50, 50]),
                            bobot="invers_varians")
    assert tr["aarr_pct"] == pytest.approx(10.0)
    # perfect fit, but 50 children a round: the interval is the sampling error, not zero width
    assert tr["aarr_ci_bawah"] < 10 < tr["aarr_ci_atas"]


def test_projection_stays_within_0_and_100():
    down = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [40.0, 20.0, 10.0], [300] * 3))
    up = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [25.0, 50.0, 99.0], [300] * 3))
    for tr in (down, up):
        line = targets.projection_line_aarr(tr, until=2029)
        assert line.height > 0
        for c in ("nilai", "bawah", "atas"):
            assert 0 <= line[c].min() and line[c].max() <= 100
    assert up["proj_value"] == 100.0


def test_required_aarr():
    assert targets.required_aarr(20.0, 14.2, 4) == pytest.approx((1 - (0.71) ** 0.25) * 100)
    assert targets.required_aarr(12.0, 14.2, 4) < 0  # already below: may rise and still meet it
    assert targets.required_aarr(20.0, 14.2, 0) is None


def test_t_quantile():
    assert targets.t_quantile_975(2) == pytest.approx(4.3027)
    assert targets.t_quantile_975(30) == pytest.approx(2.0423)
    assert targets.t_quantile_975(60) == pytest.approx(2.0003, abs=2e-4)
    assert targets.t_quantile_975(10_000) == pytest.approx(1.96, abs=1e-3)


def test_survey_years_sit_at_mid_year():
    s = pl.DataFrame({"tahun": [2021, 2022, 2023], "prevalensi_pct": [25.0, 22.5, 20.25]})
    tr = targets.aarr_trend(s, x="tahun", n=None)
    assert tr["bobot"] == "sama" and tr["aarr_pct"] == pytest.approx(10.0)
    assert tr["years_left"] == pytest.approx(6.0)


def test_routine_judged_by_district_target_or_by_own_pace():
    s = ser(["2023-02", "2024-02", "2025-02"], [20.0, 18.0, 16.2], [500] * 3)
    with_t = targets.judge_routine(s, district_target=15.0)
    assert with_t["dasar"] == "target_rutin_kabupaten" and with_t["status"] == "belum_tercapai"
    assert with_t["kalimat"] == "metode.dasar.target_rutin_kabupaten"
    assert targets.judge_routine(s, district_target=17.0)["status"] == "tercapai"
    own = targets.judge_routine(s, district_target=None)
    assert own["dasar"] == "laju_sendiri" and own["status"] == "sesuai_jalur" and own["lampu"] == "hijau"
    empty = targets.judge_routine(ser([], [], []).cast({"periode": pl.String, "prevalensi_pct": pl.Float64,
                                                          "diukur": pl.Int64}), district_target=None)
    assert empty["dasar"] == "data_kurang" and empty["status"] == "data_kurang"


def test_target_points_at_mid_year():
    path = pl.DataFrame({"tingkat": ["nasional"] * 2, "tahun": [2025, 2029], "nilai": [18.8, 14.2]})
    pts = targets.target_points_at_year(path)
    assert pts["x"].to_list() == [2025.5, 2029.5]
    assert targets.target_points_at_year(path, posisi=0)["x"].to_list() == [2025.0, 2029.0]


def test_legacy_trend_keeps_its_keys_and_adds_aarr():
    s = ser(["2023-02", "2024-02", "2025-02"], [20.0, 18.0, 16.2])
    tr = targets.trend(s)
    assert {"slope_per_year", "intercept", "proj_value", "year_goal", "n_points"} <= set(tr)
    assert tr["aarr"]["aarr_pct"] == pytest.approx(10.0)


def test_every_status_and_reason_has_words_in_both_languages():
    from ilp import i18n
    keys = [f"metode.status.{s}" for s in (*targets.STATUS_AARR, "tercapai", "belum_tercapai")]
    keys += [f"metode.alasan_tahun.{a}" for a in ("data_kurang", "sudah_di_bawah_target", "memburuk",
                                                  "tidak_signifikan", "terlalu_jauh")]
    keys += [f"metode.putaran.{r}" for r in ("kosong", "tak_bisa_log", "tidak_lengkap")]
    keys += [f"metode.bobot.{b}" for b in ("n", "invers_varians", "sama")]
    keys += [f"metode.dasar.{d}" for d in ("target_rutin_kabupaten", "laju_sendiri", "data_kurang")]
    for lang in ("id", "en"):
        missing = [k for k in keys if k not in i18n.catalog(lang)]
        assert not missing, (lang, missing)
    assert set(targets.STATUS_AARR) <= set(targets.STATUS_LAMPU)


def test_describe_labels_both_paces_and_says_why_no_year():
    on = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 18.0, 16.2], [500] * 3))
    text = " ".join(targets.describe_aarr(on, "id"))
    assert "sesuai jalur" in text and "10,0% per tahun" in text and "1,62 poin persentase per tahun" in text
    assert "sekitar tahun 2026" in text
    flat = targets.aarr_trend(ser(["2023-02", "2024-02", "2025-02"], [20.0, 20.0, 20.0], [300] * 3))
    en = " ".join(targets.describe_aarr(flat, "en"))
    assert "no clear progress" in en and "not statistically significant" in en and "around" not in en
    short = targets.aarr_trend(ser(["2025-02"], [20.0], [300]))
    assert "3" in " ".join(targets.describe_aarr(short, "id"))


def test_national_survey_series_real_data():
    from tests.conftest import ROOT
    csv = ROOT.parent / "shared" / "data" / "stunting" / "national_stunting_history.csv"
    if not csv.exists():
        pytest.skip("shared reference data not present")
    s = pl.read_csv(csv).rename({"stunting_pct": "prevalensi_pct"})
    tr = targets.aarr_trend(s, x="tahun", n=None)  # survey years, unweighted, at mid-year
    # 24.4, 21.6, 21.5, 19.8 (2021-2024): OLS of ln p on year gives b = -0.0631, AARR 6.12 %/yr
    assert tr["aarr_pct"] == pytest.approx(6.118, abs=1e-3)
    # required from 19.8 (mid-2024) to 14.2 (mid-2029): 1 - (14.2/19.8)^(1/5)
    assert tr["aarr_perlu_pct"] == pytest.approx((1 - (14.2 / 19.8) ** 0.2) * 100)
    # four points, 2 degrees of freedom (t = 4.303): the interval just includes 0, so no year is promised
    assert tr["aarr_ci_bawah"] < 0 < tr["aarr_ci_atas"]
    assert tr["status"] == "tidak_ada_kemajuan" and tr["tahun_capai"] is None


def test_dates_on_the_time_axis():
    import datetime as dt
    s = pl.DataFrame({"tgl": [dt.date(2023, 7, 2), dt.date(2024, 7, 2), dt.date(2025, 7, 2)],
                      "prevalensi_pct": [20.0, 18.0, 16.2]})
    assert targets.aarr_trend(s, x="tgl", n=None)["aarr_pct"] == pytest.approx(10.0, abs=0.01)


def test_rounds_out_of_order_are_sorted_by_time():
    s = ser(["2025-02", "2023-02", "2024-02"], [16.2, 20.0, 18.0], [500] * 3)
    tr = targets.aarr_trend(s)
    assert tr["aarr_pct"] == pytest.approx(10.0) and tr["current"] == 16.2
