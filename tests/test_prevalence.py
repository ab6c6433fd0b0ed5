"""Small areas: suppression (nulls, never zeros; complementary so a kecamatan total cannot give a desa back)
and empirical-Bayes smoothing; the existing interval rules. Answers by hand."""
import polars as pl
import pytest

from ilp import prevalence as P


def desa(rows):
    return pl.DataFrame(rows, schema={"kode": pl.String, "kode_kec": pl.String, "stunting": pl.Int64,
                                      "diukur": pl.Int64, "sasaran_balita": pl.Int64}, orient="row")


def test_wilson_by_hand():
    # k=10, n=100: Wilson 95% = 5.52% .. 17.44%
    df = P.add_prevalence(pl.DataFrame({"stunting": [10, 0], "diukur": [100, 0]}), sasaran=None)
    assert df["prevalensi_pct"][0] == pytest.approx(10.0)
    assert df["ci_bawah"][0] == pytest.approx(5.523, abs=1e-3) and df["ci_atas"][0] == pytest.approx(17.437, abs=1e-3)
    assert df["prevalensi_pct"][1] is None and df["ci_bawah"][1] is None  # n = 0: no figure, not 0%


def test_small_desa_are_nulled_everywhere_never_zero():
    df = P.add_prevalence(desa([("a", "k1", 1, 8, 40), ("b", "k1", 30, 100, 120), ("c", "k1", 20, 60, 70)]))
    out = P.suppress_small_areas(df).sort("kode")
    a = out.row(0, named=True)
    assert a["disembunyikan"] and a["alasan_sembunyi"] == "n_kecil"
    for c in ("stunting", "diukur", "prevalensi_pct", "ci_bawah", "ci_atas", "cakupan_ukur_pct", "stabil"):
        assert a[c] is None, c  # coverage too: 8 / 40 would give n back
    assert a["sasaran_balita"] == 40  # the denominator population is public, not a measurement


def test_one_suppressed_desa_takes_the_next_smallest_with_it():
    df = P.add_prevalence(desa([("a", "k1", 1, 8, 40), ("b", "k1", 30, 100, 120), ("c", "k1", 20, 60, 70),
                                ("d", "k2", 9, 90, 100), ("e", "k2", 8, 80, 90)]))
    out = P.suppress_small_areas(df).sort("kode")
    assert out["alasan_sembunyi"].to_list() == ["n_kecil", None, "komplementer", None, None]
    # kecamatan total 168 minus b (100) = 68: a and c only together, neither alone
    assert out.filter((pl.col("kode_kec") == "k1") & ~pl.col("disembunyikan"))["diukur"].sum() == 100
    assert not out["total_kelompok_ungkap"].any()


def test_two_suppressed_that_together_stay_under_ten_need_a_third():
    df = desa([("a", "k1", 1, 3, None), ("b", "k1", 1, 4, None), ("c", "k1", 5, 50, None), ("d", "k1", 9, 40, None)])
    out = P.suppress_small_areas(df).sort("kode")
    assert out["alasan_sembunyi"].to_list() == ["n_kecil", "n_kecil", None, "komplementer"]
    # two suppressed with 6 + 7 = 13 >= 10 together: no complementary needed
    ok = P.suppress_small_areas(desa([("a", "k1", 1, 6, None), ("b", "k1", 1, 7, None), ("c", "k1", 5, 50, None)]))
    assert ok.sort("kode")["alasan_sembunyi"].to_list() == ["n_kecil", "n_kecil", None]


def test_only_desa_of_a_kecamatan_flags_the_total_and_no_data_is_not_suppressed():
    df = desa([("a", "k1", 1, 4, None), ("b", "k2", None, None, None), ("c", "k2", 20, 60, None)])
    out = P.suppress_small_areas(df).sort("kode")
    assert out["total_kelompok_ungkap"].to_list() == [True, False, False]
    assert out["disembunyikan"].to_list() == [True, False, False]  # no measurement is "no data", not hidden


def test_suppression_is_per_period():
    df = pl.DataFrame({"kode": ["a", "b", "a", "b"], "kode_kec": ["k1"] * 4, "periode": ["2025-02"] * 2 + ["2025-08"] * 2,
                       "stunting": [1, 10, 5, 10], "diukur": [5, 100, 50, 100]})
    out = P.suppress_small_areas(df).sort("periode", "kode")
    assert out["disembunyikan"].to_list() == [True, True, False, False]


def test_eb_shrinks_toward_the_kecamatan_by_hand():
    # k1: 10/100 and 30/100. m = .2, s2 = .01, sampling .16/100 = .0016, v = .0084, a+b = .16/.0084 - 1 = 18.0476
    df = desa([("a", "k1", 10, 100, None), ("b", "k1", 30, 100, None), ("c", "k2", 5, 50, None),
               ("d", "k2", 5, 50, None), ("e", "k2", 0, 0, None)])
    out = P.eb_smooth(df).sort("kode")
    ab = 0.16 / 0.0084 - 1
    assert out["bobot_eb"][0] == pytest.approx(100 / (100 + ab))
    assert out["prevalensi_eb_pct"][0] == pytest.approx(100 * (10 + 0.2 * ab) / (100 + ab))  # 11.53
    assert out["prevalensi_eb_pct"][0] == pytest.approx(11.529, abs=1e-3)
    assert out["prevalensi_eb_pct"][1] == pytest.approx(28.471, abs=1e-3)
    assert out["prevalensi_mentah_pct"][0] == pytest.approx(10.0)
    # k2: both desa at 10%: no between-desa variation, everyone gets the kecamatan mean, weight 0
    assert out["prevalensi_eb_pct"][2] == pytest.approx(10.0) and out["bobot_eb"][2] == 0.0
    # no children measured: no figure, not the kecamatan mean
    assert out["prevalensi_eb_pct"][4] is None and out["prevalensi_mentah_pct"][4] is None


def test_eb_small_desa_moves_more_than_large():
    df = desa([("a", "k1", 2, 10, None), ("b", "k1", 40, 200, None), ("c", "k1", 10, 200, None)])
    out = P.eb_smooth(df).sort("kode")
    assert out["bobot_eb"][0] < out["bobot_eb"][1]
    m = 52 / 410 * 100
    raw, eb = out["prevalensi_mentah_pct"].to_list(), out["prevalensi_eb_pct"].to_list()
    for r, e in zip(raw, eb):
        assert min(r, m) - 1e-9 <= e <= max(r, m) + 1e-9  # between its raw value and the kecamatan mean


def test_eb_then_suppress_hides_the_smoothed_value_too():
    df = P.eb_smooth(desa([("a", "k1", 1, 5, None), ("b", "k1", 30, 100, None), ("c", "k1", 9, 60, None)]))
    out = P.suppress_small_areas(df).sort("kode")
    assert out["prevalensi_eb_pct"][0] is None and out["prevalensi_mentah_pct"][0] is None
    assert out["prevalensi_eb_pct"][1] is not None


def test_legacy_suppress_small_still_blanks():
    df = P.suppress_small(P.add_prevalence(desa([("a", "k1", 1, 8, 40)])))
    assert df["prevalensi_pct"][0] is None and df["disembunyikan"][0]
