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


# a recap whose prevalence falls by exactly a fifth every half year: 40% -> 32% -> 25.6%
GEO_KAB = RK_KAB.with_columns(diukur=pl.Series([500, 500, 1000]), stunting=pl.Series([200, 160, 256]))


def test_projection_needs_three_complete_rounds():
    r = stunting.routine(fake_run(EP), KAB)
    tr, line = stunting.projection(r.trend_series)     # 2 complete rounds (the provisional third is left out)
    assert tr["status"] == "data_kurang" and tr["aarr_pct"] is None and line is None
    assert tr["alasan_tahun"] == "data_kurang"


def test_projection_is_the_aarr_of_complete_rounds():
    import math
    rk = stunting.routine(fake_run({**RK, "stunting/rekap_kab": GEO_KAB}), KAB)
    tr, line = stunting.projection(rk.trend_series)
    # ln p falls by ln 0.8 every half year: e^b = 0.64 per year, AARR = 36% per year whatever the weights,
    # and the fit is exact (zero-width interval, significant)
    assert tr["aarr_pct"] == pytest.approx(36.0)
    assert tr["aarr_ci_bawah"] == pytest.approx(36.0) and tr["aarr_ci_atas"] == pytest.approx(36.0)
    assert tr["pp_per_tahun"] == pytest.approx(25.6 * 0.36)            # 9.216 points in the first year
    # required: 25.6 -> 14.2 between August 2025 (2025 + 7.5/12) and mid-2029
    years = 2029.5 - (2025 + 7.5 / 12)
    assert tr["aarr_perlu_pct"] == pytest.approx((1 - (14.2 / 25.6) ** (1 / years)) * 100)
    assert tr["status"] == "sesuai_jalur"
    # 25.6 x 0.64^t = 14.2 -> t = ln(14.2/25.6)/ln(0.64) = 1.32 years after 2025.625 -> during 2026
    assert tr["tahun_capai"] == math.floor(2025 + 7.5 / 12 + math.log(14.2 / 25.6) / math.log(0.64)) == 2026
    assert line is not None and line["x"][0] == pytest.approx(2025 + 7.5 / 12)
    assert line["nilai"][0] == pytest.approx(25.6)
    assert 0 <= line["nilai"].min() and line["nilai"].max() <= 100
    text = " ".join(stunting.trend_text(tr, "id"))
    assert "sesuai jalur" in text and "36,0% per tahun" in text and "9,22 poin persentase per tahun" in text
    assert "2026" in text


def test_judgement_routine_target_or_own_pace():
    geo = {**RK, "stunting/rekap_kab": GEO_KAB}
    none = pl.DataFrame(schema={"indikator": pl.String, "tingkat": pl.String, "kode_wilayah": pl.String,
                                "tahun": pl.Int64, "nilai": pl.Float64, "dasar": pl.String, "sumber": pl.String})
    r = stunting.routine(fake_run(geo), KAB)
    # no district routine target (a 'stunting_prevalensi' RPJMD row is a survey target and does not count)
    rpjmd = none.vstack(pl.DataFrame([("stunting_prevalensi", "kabkota", KAB, 2025, 10.0, "RPJMD", None)],
                                     schema=none.schema, orient="row"))
    j = stunting.judgement(fake_run({**geo, "ilp/target_indikator": rpjmd}), KAB, r)
    assert j["dasar"] == "laju_sendiri" and j["status"] == "sesuai_jalur" and j["lampu"] == "hijau"
    assert j["target_row"] is None
    # the district's routine target for 2025: 20% -> 25.6% is above it
    own = none.vstack(pl.DataFrame([("stunting_prevalensi_rutin", "kabkota", KAB, 2025, 20.0, "Perbup", None)],
                                   schema=none.schema, orient="row"))
    j = stunting.judgement(fake_run({**geo, "ilp/target_indikator": own}), KAB, r)
    assert j["dasar"] == "target_rutin_kabupaten" and j["status"] == "belum_tercapai" and j["lampu"] == "merah"
    assert j["target_row"]["nilai"] == 20.0


def test_kecamatan_targets_gap_and_trend():
    import numpy as np
    r = stunting.routine(fake_run(RK), KAB)
    tab = stunting.kecamatan_targets(r, "2025-08", 14.0)
    alpha = tab.filter(pl.col("kode") == "99.02.01").row(0, named=True)
    beta = tab.filter(pl.col("kode") == "99.02.02").row(0, named=True)
    assert alpha["prevalensi_pct"] == pytest.approx(15.0) and alpha["selisih"] == pytest.approx(1.0)
    assert beta["prevalensi_pct"] == pytest.approx(15.0)
    # Alpha 25 -> 20 -> 15 (n 400, 300, 600): ln p on time weighted by n (polyfit weights are sqrt(n))
    t = np.array([2024 + 7.5 / 12, 2025 + 1.5 / 12, 2025 + 7.5 / 12])
    b = np.polyfit(t, np.log([0.25, 0.20, 0.15]), 1, w=np.sqrt([400, 300, 600]))[0]
    assert alpha["aarr_pct"] == pytest.approx((1 - np.exp(b)) * 100)
    assert alpha["poin_per_tahun"] == pytest.approx(15.0 * alpha["aarr_pct"] / 100)
    assert beta["aarr_pct"] is None and beta["status"] == "data belum cukup"   # two rounds with data


def test_ranking_highest_first_and_missing_last():
    r = stunting.routine(fake_run(RK), KAB)
    rk = stunting.ranking(r, "2024-08")
    assert rk["kode"].to_list() == ["99.02.01", "99.02.02"]
    assert rk["prevalensi_pct"][1] is None


DESA_KAB = pl.DataFrame({
    "kode": ["K1.a", "K1.b", "K1.c", "K1.d", "K2.e"], "nama": ["A", "B", "C", "D", "E"],
    "kecamatan": ["Satu"] * 4 + ["Dua"], "kode_kec": ["K1"] * 4 + ["K2"],
    "diukur": [40, 40, 5, 20, 50], "stunting": [8, 8, 3, 4, 5],
    "pendek": [6, 6, 2, 3, 4], "sangat_pendek": [2, 2, 1, 1, 1]})


def test_lokus_small_desa_hidden_ties_kept_eb_beside_raw():
    run = lambda key, **p: DESA_KAB  # noqa: E731
    lok = stunting.lokus_desa(run, KAB, "2025-08", top=1)
    by = {r["kode"]: r for r in lok.iter_rows(named=True)}
    # C: 5 children -> every figure null, never 0, and it says so
    c = by["K1.c"]
    assert c["disembunyikan"] and c["alasan_sembunyi"] == "n_kecil"
    assert c["diukur"] is None and c["stunting"] is None and c["prevalensi_pct"] is None
    assert c["prevalensi_eb_pct"] is None and c["peringkat"] is None and not c["usulan_lokus"]
    assert c["keterangan"] == "disembunyikan (n<10)"
    # D: the smallest other desa of Satu is hidden too, or Satu's total minus A, B, D would give C back
    assert by["K1.d"]["alasan_sembunyi"] == "komplementer" and by["K1.d"]["prevalensi_pct"] is None
    # A and B: same counts -> same smoothed value -> the same rank 1; the top-1 cut keeps both
    assert by["K1.a"]["prevalensi_eb_pct"] == pytest.approx(by["K1.b"]["prevalensi_eb_pct"])
    assert by["K1.a"]["peringkat"] == by["K1.b"]["peringkat"] == 1
    assert by["K1.a"]["usulan_lokus"] and by["K1.b"]["usulan_lokus"]
    assert by["K1.a"]["prevalensi_mentah_pct"] == pytest.approx(20.0)
    # E is alone in Dua: nothing to shrink toward but itself (10%), ranked 3 after the tie
    assert by["K2.e"]["prevalensi_eb_pct"] == pytest.approx(10.0) and by["K2.e"]["peringkat"] == 3
    assert not by["K2.e"]["usulan_lokus"]
    assert by["K2.e"]["keterangan"] == ""  # 50 children: neither hidden nor unstable


def test_desa_table_suppresses_and_smooths():
    d = DESA_KAB.filter(pl.col("kode_kec") == "K1").drop("kode_kec", "kecamatan").with_columns(
        periode=pl.lit("2025-08"), sasaran_balita=pl.lit(60))
    out = stunting.desa(lambda key, **p: d, "K1", "2025-08")
    c = out.filter(pl.col("kode") == "K1.c").row(0, named=True)
    # coverage would reveal n: hidden too
    assert c["cakupan_ukur_pct"] is None and c["diukur"] is None and c["disembunyikan"]
    vals = stunting.desa_map_values(out)
    assert vals.filter(pl.col("kode") == "K1.c")["nilai"][0] is None
    a = out.filter(pl.col("kode") == "K1.a").row(0, named=True)
    assert a["cakupan_ukur_pct"] == pytest.approx(100 * 40 / 60) and a["prevalensi_eb_pct"] is not None


def test_quality_marks_beside_the_figures():
    marks = pl.DataFrame({"tingkat": ["kecamatan", "puskesmas"], "kode": ["99.02.01", "PK2"],
                          "mutu": ["tinggi dibulatkan", "cara ukur tidak sesuai umur"]})
    r = stunting.routine(fake_run(RK), KAB)
    rk = stunting.add_quality(stunting.ranking(r, "2025-08"), marks, "kecamatan")
    assert dict(zip(rk["kode"], rk["mutu"])) == {"99.02.01": "⚠ tinggi dibulatkan", "99.02.02": ""}
    pk = stunting.add_quality(pl.DataFrame({"kode_unit": ["PK1", "PK2"]}), marks, "puskesmas", key="kode_unit")
    assert pk["mutu"].to_list() == ["", "⚠ cara ukur tidak sesuai umur"]
    assert stunting.quality_text(marks, "2025-08", "id") == (
        "Mutu data Agustus 2025: 1 kecamatan dan 1 Puskesmas dengan catatan mutu pengukuran "
        "(lihat halaman Mutu Data, /mutu).")
    assert "no kecamatan or Puskesmas" in stunting.quality_text(marks.clear(), "2025-08", "en")
