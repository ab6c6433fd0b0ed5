"""ilp.stunting: which routine source a district has, its series, round status and labels.
Hand-made query results (a fake `run`) with hand-computed prevalences."""
from __future__ import annotations

import polars as pl
import pytest

from ilp import stunting

KAB = "99.02"

EP_KAB = pl.DataFrame({"periode": ["2025-02", "2025-08", "2026-02"], "diukur": [100, 200, 50],
                       "pendek": [20, 30, 8], "sangat_pendek": [5, 10, 2], "stunting": [25, 40, 10],
                       "pengukuran_diflag": [0, 0, 0], "sasaran_balita": [400, 400, 420]})
EP_KEC = pl.DataFrame({"kode": ["99.02.01", "99.02.02"] * 3, "nama": ["Alpha", "Beta"] * 3,
                       "periode": ["2025-02", "2025-02", "2025-08", "2025-08", "2026-02", "2026-02"],
                       "diukur": [60, 40, 120, 80, 50, 0], "pendek": [12, 8, 18, 12, 8, 0],
                       "sangat_pendek": [3, 2, 6, 4, 2, 0], "stunting": [15, 10, 24, 16, 10, 0],
                       "sasaran_balita": [200, 200, 200, 200, 210, 210]})
# the Februari 2026 round: 3 of 328 desa reported so far
RONDE = pl.DataFrame({"periode": ["2025-02", "2025-08", "2026-02"], "jenis": ["ronde", "ronde", "ronde"],
                      "n_desa_lapor": [328, 320, 3], "n_desa": [328, 328, 328], "n_puskesmas_lapor": [20, 20, 1],
                      "n_puskesmas": [20, 20, 20], "diukur": [100, 200, 50], "sasaran_balita": [400, 400, 420]})
RK_KAB = pl.DataFrame({"periode": ["2024-08", "2025-02", "2025-08"], "diukur": [400, 500, 1000],
                       "stunting": [100, 90, 150], "n_puskesmas_lapor": [2, 2, 2], "n_puskesmas": [2, 2, 2],
                       "n_unit_lapor": [2, 2, 2], "jenis_unit": ["puskesmas"] * 3, "sumber": ["Dinkes"] * 3,
                       "nama_file": ["rekap_2025.xlsx"] * 3})
# kecamatan Alpha has two Puskesmas: the query already summed them (250 + 150 measured in 2024-08)
RK_KEC = pl.DataFrame({"kode": ["99.02.01", "99.02.02"] * 3, "nama": ["Alpha", "Beta"] * 3,
                       "periode": ["2024-08", "2024-08", "2025-02", "2025-02", "2025-08", "2025-08"],
                       "diukur": [400, 0, 300, 200, 600, 400], "stunting": [100, 0, 60, 30, 90, 60],
                       "pendek": [80, 0, 50, 25, 70, 50], "sangat_pendek": [20, 0, 10, 5, 20, 10],
                       "n_unit_lapor": [2, 0, 1, 1, 1, 1], "jenis_unit": ["puskesmas"] * 6, "sumber": ["Dinkes"] * 6})


def fake_run(tables: dict[str, pl.DataFrame]):
    def run(key, **params):
        assert params.get("kab", KAB) == KAB
        if key in tables:
            return tables[key]
        # every other query: the same columns, no rows
        base = {"stunting/prevalensi_kab": EP_KAB, "stunting/prevalensi_kecamatan": EP_KEC, "stunting/ronde": RONDE,
                "stunting/rekap_kab": RK_KAB, "stunting/rekap_kecamatan": RK_KEC}[key]
        return base.clear()
    return run


EP = {"stunting/prevalensi_kab": EP_KAB, "stunting/prevalensi_kecamatan": EP_KEC, "stunting/ronde": RONDE}
RK = {"stunting/rekap_kab": RK_KAB, "stunting/rekap_kecamatan": RK_KEC}


def test_eppgbm_is_the_source_and_provisional_round_is_left_out():
    r = stunting.routine(fake_run(EP), KAB)
    assert r.source == stunting.EPPGBM and r.crosscheck is None
    assert r.complete == ["2025-02", "2025-08"]
    assert r.latest == "2025-08"
    assert r.row()["prevalensi_pct"] == pytest.approx(20.0)          # 40 / 200
    assert r.trend_series["periode"].to_list() == ["2025-02", "2025-08"]
    assert r.provisional["periode"].to_list() == ["2026-02"]
    assert r.provisional_text("id") == ["Februari 2026: 3 dari 328 desa, sementara"]
    assert r.provisional_text("en") == ["February 2026: 3 of 328 desa, provisional"]
    kec = r.kecamatan_at()
    assert dict(zip(kec["kode"], kec["prevalensi_pct"])) == {"99.02.01": pytest.approx(20.0),
                                                             "99.02.02": pytest.approx(20.0)}


def test_campaign_month_is_not_a_round():
    ronde = pl.concat([RONDE, RONDE.head(1).with_columns(periode=pl.lit("2024-06"), jenis=pl.lit("kampanye"))])
    kab = pl.concat([EP_KAB.head(1).with_columns(periode=pl.lit("2024-06")), EP_KAB])
    r = stunting.routine(fake_run({**EP, "stunting/ronde": ronde, "stunting/prevalensi_kab": kab}), KAB)
    assert r.complete == ["2025-02", "2025-08"]
    assert r.provisional["periode"].to_list() == ["2026-02"]      # the campaign is not called provisional
    assert r.series.filter(pl.col("periode") == "2024-06")["status"][0] == stunting.KAMPANYE


def test_recap_only_district_gets_its_figures_labelled():
    r = stunting.routine(fake_run(RK), KAB)
    assert r.source == stunting.REKAP and r.crosscheck is None
    assert r.complete == ["2024-08", "2025-02", "2025-08"]
    assert r.series["prevalensi_pct"].to_list() == pytest.approx([25.0, 18.0, 15.0])  # 100/400, 90/500, 150/1000
    kec = r.kecamatan_at("2024-08")
    # Alpha: two Puskesmas summed (400 measured, 100 stunted); Beta: no report = no data, not 0%
    assert kec.filter(pl.col("kode") == "99.02.01")["prevalensi_pct"][0] == pytest.approx(25.0)
    assert kec.filter(pl.col("kode") == "99.02.02")["prevalensi_pct"][0] is None
    assert r.label("id") == "rekap Puskesmas (rekap_2025.xlsx)"
    assert r.label("en") == "Puskesmas recap (rekap_2025.xlsx)"
    src = r.source_text("id")
    assert "rekap Puskesmas" in src and "Agustus 2025" in src and "150" in src and "1.000" in src and "Dinkes" in src


def test_both_sources_recap_is_a_crosscheck_not_spliced():
    r = stunting.routine(fake_run({**EP, **RK}), KAB)
    assert r.source == stunting.EPPGBM
    assert r.crosscheck is not None and r.crosscheck.source == stunting.REKAP
    # the headline line holds only e-PPGBM rounds; the recap keeps its own
    assert r.trend_series["prevalensi_pct"].to_list() == pytest.approx([25.0, 20.0])
    assert r.crosscheck.trend_series["prevalensi_pct"].to_list() == pytest.approx([25.0, 18.0, 15.0])


def test_no_routine_data():
    r = stunting.routine(fake_run({}), KAB)
    assert r.source is None and r.latest is None and r.row() is None
    assert r.kecamatan_at().height == 0 and r.trend_series.height == 0
    assert r.source_text("id").startswith("Belum ada data stunting rutin")


def test_projection_needs_three_complete_rounds():
    r = stunting.routine(fake_run(EP), KAB)
    tr, line = stunting.projection(r.trend_series)     # 2 complete rounds only
    assert tr["slope_per_year"] is None and line is None
    rk = stunting.routine(fake_run(RK), KAB)
    tr, line = stunting.projection(rk.trend_series)
    # 25, 18, 15 at 2024.625, 2025.125, 2025.625: slope -10 points/year
    assert tr["slope_per_year"] == pytest.approx(-10.0)
    assert line is not None and line["x"][0] == pytest.approx(2025 + 7.5 / 12)


def test_kecamatan_targets_gap_and_trend():
    r = stunting.routine(fake_run(RK), KAB)
    tab = stunting.kecamatan_targets(r, "2025-08", 14.0)
    alpha = tab.filter(pl.col("kode") == "99.02.01").row(0, named=True)
    beta = tab.filter(pl.col("kode") == "99.02.02").row(0, named=True)
    assert alpha["prevalensi_pct"] == pytest.approx(15.0) and alpha["selisih"] == pytest.approx(1.0)
    assert beta["prevalensi_pct"] == pytest.approx(15.0)
    # Alpha 25 -> 20 -> 15 over three rounds half a year apart: -10 points per year
    assert alpha["laju_per_tahun"] == pytest.approx(-10.0)
    assert beta["laju_per_tahun"] is None               # two rounds with data: no trend


def test_ranking_highest_first_and_missing_last():
    r = stunting.routine(fake_run(RK), KAB)
    rk = stunting.ranking(r, "2024-08")
    assert rk["kode"].to_list() == ["99.02.01", "99.02.02"]
    assert rk["prevalensi_pct"][1] is None
