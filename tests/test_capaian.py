"""SPM rules: year-to-date path, status, per-service totals without the Puskesmas that lack a sasaran,
and the capped 12-service mean; answers by hand."""
import math

import polars as pl
import pytest

from ilp import capaian


def test_ytd_path():
    assert capaian.ytd_target(3) == pytest.approx(25.0)
    assert capaian.ytd_target(6) == pytest.approx(50.0)
    assert capaian.ytd_target(12) == pytest.approx(100.0)
    for bad in (0, 13, 2.5):
        with pytest.raises(ValueError):
            capaian.ytd_target(bad)


def test_status_against_the_path_and_100_at_year_end():
    # March: path 25%, yellow from 20% (80% of the path)
    assert capaian.status_ytd(26.0, 3) == "tercapai"
    assert capaian.status_ytd(25.0, 3) == "tercapai"
    assert capaian.status_ytd(21.0, 3) == "mendekati"
    assert capaian.status_ytd(19.9, 3) == "di_bawah"
    # the same 26% in December is far below 100%
    assert capaian.status_ytd(26.0, 12) == "di_bawah"
    assert capaian.status_ytd(115.7, 12) == "tercapai"
    for missing in (None, float("nan"), float("inf")):
        assert capaian.status_ytd(missing, 6) == "tidak_ada_sasaran"


def test_add_status_ytd_matches_scalar_rule():
    df = pl.DataFrame({"capaian_pct": [26.0, 21.0, 10.0, None]})
    out = capaian.add_status_ytd(df, 3)
    assert out["status"].to_list() == ["tercapai", "mendekati", "di_bawah", "tidak_ada_sasaran"]
    assert out["target_ytd_pct"].to_list() == [25.0] * 4


def test_service_totals_leave_out_units_without_sasaran_and_count_them():
    df = pl.DataFrame({
        "kode_puskesmas": ["P1", "P2", "P3", "P1", "P2", "P3"],
        "layanan": ["spm01"] * 3 + ["spm08"] * 3,
        "no": [1, 1, 1, 8, 8, 8],
        "pembilang": [80, 30, 50, 5, 7, None],
        "sasaran": [100, 50, None, None, 0, None],
    })
    t = capaian.service_totals(df).sort("no")
    s1 = t.row(0, named=True)
    # P3 has no sasaran: its 50 is not in the numerator, and it is counted as missing
    assert (s1["pembilang"], s1["sasaran"]) == (110, 150)
    assert s1["capaian_pct"] == pytest.approx(100 * 110 / 150)
    assert s1["unit_tanpa_sasaran"] == 1 and s1["pembilang_tanpa_sasaran"] == 50
    s8 = t.row(1, named=True)
    # no Puskesmas has a sasaran (null or 0): no figure at all, never inf, NaN or 0
    assert s8["capaian_pct"] is None and s8["sasaran"] is None and not s8["ada_sasaran"]
    assert s8["unit_tanpa_sasaran"] == 3


def test_service_total_above_100_is_not_clipped():
    df = pl.DataFrame({"layanan": ["spm08", "spm08"], "pembilang": [120, 111], "sasaran": [100, 100]})
    assert capaian.service_totals(df)["capaian_pct"][0] == pytest.approx(115.5)


def test_mean_caps_each_service_at_100_inside_the_mean():
    per = pl.DataFrame({"layanan": ["a", "b", "c", "d"], "capaian_pct": [130.0, 70.0, 40.0, None]})
    m = capaian.mean_capped(per)
    assert m["rata2_pct"] == pytest.approx((100 + 70 + 40) / 3)  # 70.0, not (130+70+40)/3 = 80
    assert m["n_layanan"] == 3 and m["n_tanpa_sasaran"] == 1
    assert per["capaian_pct"][0] == 130.0  # the per-service value itself is untouched
    none = capaian.mean_capped(pl.DataFrame({"capaian_pct": [None, float("nan")]}, schema={"capaian_pct": pl.Float64}))
    assert none["rata2_pct"] is None and none["n_tanpa_sasaran"] == 2
    assert not any(isinstance(v, float) and math.isnan(v) for v in m.values() if isinstance(v, float))


def test_nan_and_inf_sasaran_count_as_missing():
    df = pl.DataFrame({"layanan": ["a", "a", "a"], "pembilang": [10.0, 5.0, float("nan")],
                       "sasaran": [20.0, float("nan"), float("inf")]})
    t = capaian.service_totals(df).row(0, named=True)
    assert (t["pembilang"], t["sasaran"], t["unit_tanpa_sasaran"]) == (10.0, 20.0, 2)
    assert t["capaian_pct"] == pytest.approx(50.0)
    st = capaian.add_status_ytd(pl.DataFrame({"capaian_pct": [float("nan"), float("inf")]}), 6)
    assert st["status"].to_list() == ["tidak_ada_sasaran"] * 2
