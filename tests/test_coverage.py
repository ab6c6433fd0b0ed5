"""ilp/coverage.py and ilp/checklist.py: hand-computed answers; nothing loaded behind a share = no data, not 0%."""
import datetime as dt

import polars as pl

from ilp import checklist, coverage, db, indicators
from tests.conftest import KAB


def _net(**over):
    base = {"kode": ["a", "b"], "nama": ["A", "B"], "n_desa": [3, 1], "desa_dengan_pustu": [2, 0], "n_pustu": [2, 0],
            "pustu_lengkap": [1, 0], "pustu_ada_data_tenaga": [2, 0], "n_puskesmas": [1, 1], "n_puskesmas_ranap": [1, 0],
            "puskesmas_ilp": [1, 0], "puskesmas_ada_status": [1, 1], "n_posyandu": [2, 1], "n_kader": [8, None],
            "posyandu_ada_data_kader": [2, 0]}
    base.update(over)
    return pl.DataFrame(base)


def test_network_totals_hand_computed():
    tot = coverage.network_totals(_net())
    assert tot["puskesmas"] == 2 and tot["puskesmas_ranap"] == 1 and tot["pustu"] == 2
    assert tot["desa_pustu"] == coverage.Share(2, 4, 50.0)
    assert tot["pustu_lengkap"] == coverage.Share(1, 2, 50.0)
    assert tot["puskesmas_ilp"] == coverage.Share(1, 2, 50.0)
    assert tot["posyandu"] == 3 and tot["kader"] == 8


def test_nothing_loaded_is_no_data_not_zero():
    tot = coverage.network_totals(_net(n_pustu=[0, 0], desa_dengan_pustu=[0, 0], pustu_lengkap=[0, 0],
                                       pustu_ada_data_tenaga=[0, 0], puskesmas_ada_status=[0, 0], puskesmas_ilp=[0, 0],
                                       n_posyandu=[0, 0], n_kader=[None, None], posyandu_ada_data_kader=[0, 0]))
    assert tot["desa_pustu"].pct is None and tot["pustu_lengkap"].pct is None and tot["puskesmas_ilp"].pct is None
    assert tot["posyandu"] is None and tot["kader"] is None and tot["pustu"] is None
    # an empty district (no kecamatan at all)
    empty = coverage.network_totals(_net().clear())
    assert empty["puskesmas"] is None and empty["desa_pustu"].pct is None


def test_inventory_shares_null_not_inf():
    inv = coverage.inventory(_net(n_desa=[3, 0]))
    assert inv["desa_pustu_pct"].to_list()[0] == 200 / 3
    assert inv["desa_pustu_pct"].to_list()[1] is None          # 0 desa: null, never inf/NaN
    assert inv["kader_per_posyandu"].to_list() == [4.0, None]   # no kader data in b
    assert inv["pustu_lengkap_pct"].to_list() == [50.0, None]
    none = coverage.inventory(_net(n_pustu=[0, 0], desa_dengan_pustu=[0, 0]))
    assert none["desa_pustu_pct"].null_count() == 2             # no Pustu in the list: no data


def test_rank_by_gap_direction_and_missing():
    vals = pl.DataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"], "nilai": [20.0, None, 30.0]})
    down = coverage.rank_by_gap(vals, "turun", 16.0)      # stunting: lower is better
    assert down["kode"].to_list() == ["c", "a", "b"] and down["selisih"].to_list() == [14.0, 4.0, None]
    up = coverage.rank_by_gap(vals, "naik", 100.0)
    assert up["kode"].to_list() == ["a", "c", "b"] and up["selisih"].to_list()[:2] == [80.0, 70.0]
    assert coverage.rank_by_gap(vals, "naik", None)["selisih"].null_count() == 3


def test_desa_pustu_layer_no_data_without_any_pustu():
    dtab = pl.DataFrame({"kode": ["d1", "d2"], "nama": ["D1", "D2"], "n_pustu": [1, 0]})
    ind = indicators.get("desa_dengan_pustu")
    with_pustu = indicators.compute(ind, coverage.desa_pustu_values(dtab, district_pustu=5))
    assert with_pustu["nilai"].to_list() == [100.0, 0.0]
    without = indicators.compute(ind, coverage.desa_pustu_values(dtab, district_pustu=0))
    assert without["nilai"].to_list() == [None, None]


def test_rollout_split_and_figure():
    ro = pl.DataFrame({"nama": ["P1", "P2"], "tahap": [1, 2], "mulai": [dt.date(2024, 7, 1), None]})
    started, belum = coverage.rollout_split(ro)
    assert started["nama"].to_list() == ["P1"] and belum["nama"].to_list() == ["P2"]
    fig = coverage.rollout_figure(started, "en")
    assert fig.layout.xaxis.title.text == "ILP start"           # labels in the reader's language
    assert coverage.rollout_figure(belum.clear(), "id") is None


def test_checklist_on_fixture(fixture_con):
    df = db.run(fixture_con, "quality/checklist_kab", kab=KAB)
    its = checklist.items(df)
    got = {i.item: (i.rows, i.period_from, i.period_to) for i in its}
    # fixture: 2 kecamatan + 4 desa; 8 faskes; 9 tenaga rows; SPM Jan-Mar 2026; measurements Feb+Aug, recap Feb
    assert got["wilayah"] == (6, None, None) and got["faskes"][0] == 8 and got["batas_desa"][0] == 4
    assert got["spm"] == (4, "2026-01", "2026-03") and got["stunting"][1:] == ("2026-02", "2026-08")
    assert all(i.done for i in its) and checklist.first_missing(its) is None
    assert checklist.latest_period(df) == "2026-08"        # 'data per' = the data's own latest period
    assert its[0].label.text("en").startswith("Area code list")


def test_checklist_next_step_when_missing(fixture_con):
    df = db.run(fixture_con, "quality/checklist_kab", kab="11.11")   # a district with nothing loaded
    its = checklist.items(df)
    assert [i.rows for i in its] == [0] * 10
    first = checklist.first_missing(its)
    assert first.item == "wilayah" and "'wilayah'" in first.next_step.text("id")
    assert checklist.latest_period(df) is None


# ---------------------------------------------------------------- the planner's map

def test_controls_only_where_they_change_the_map():
    c = coverage.controls
    assert c(indicators.get("pustu_lengkap")) == coverage.Controls(ronde=False, tahun=False, sasaran=False)
    assert c(indicators.get("posyandu_per_1000_balita")) == coverage.Controls(ronde=False, tahun=True, sasaran=True)
    assert c(indicators.get("spm01")) == coverage.Controls(ronde=False, tahun=True, sasaran=True)
    assert c(indicators.get("stunting_prevalensi")) == coverage.Controls(ronde=True, tahun=False, sasaran=False)
    assert coverage.has_desa_layer(indicators.get("stunting_prevalensi"))
    assert coverage.has_desa_layer(indicators.get("desa_dengan_pustu"))
    assert not coverage.has_desa_layer(indicators.get("pustu_lengkap"))


def test_ranking_by_value_without_target():
    v = pl.DataFrame({"kode": ["a", "b", "c"], "nilai": [3.0, None, 1.0]})
    r, kind = coverage.ranking(v, "naik", None)
    assert kind == "nilai" and r["kode"].to_list() == ["c", "a", "b"] and "selisih" not in r.columns
    r, kind = coverage.ranking(v, "turun", None)
    assert r["kode"].to_list() == ["a", "c", "b"]
    r, kind = coverage.ranking(v, "naik", 5.0)
    assert kind == "selisih" and r["selisih"].to_list() == [4.0, 2.0, None]


def test_desa_pustu_layer_two_classes():
    dtab = pl.DataFrame({"kode": ["d1", "d2", "d3"], "nama": ["A", "B", "C"], "n_pustu": [2, 0, None]})
    c, legend = coverage.desa_pustu_layer(dtab, 5, "id")
    assert c["kelas"].to_list() == [1, 0, 0]
    assert c["teks"].to_list() == ["Ada Pustu (2)", "Belum ada Pustu", "Belum ada Pustu"]
    assert [lbl for lbl, _ in legend] == ["Belum ada Pustu", "Ada Pustu"]
    c, _ = coverage.desa_pustu_layer(dtab, 0, "en")          # no Pustu in the whole list: no data, not 'none'
    assert c["kelas"].to_list() == [-1, -1, -1] and c["nilai"].null_count() == 3


def test_area_panel_rank_gap_and_facilities():
    from ilp import charts
    ind = indicators.get("desa_dengan_pustu")                  # higher is better, target 100
    v = pl.DataFrame({"kode": ["a", "b", "c", "d"], "nama": ["A", "B", "C", "D"], "pembilang": [3.0, 1.0, 3.0, None],
                      "penyebut": [4.0, 4.0, 4.0, None], "nilai": [75.0, 25.0, 75.0, None]})
    cl = charts.map_classes(ind, v, "id")
    p = coverage.area_panel(cl, "c", "naik", 100.0)
    assert (p.peringkat, p.dari, p.selisih, p.kelas_label) == (1, 3, 25.0, "70–<90%")  # tie with 'a' shares rank 1
    assert coverage.area_panel(cl, "b", "naik", 100.0).peringkat == 3
    d = coverage.area_panel(cl, "d", "naik", 100.0)
    assert d.nilai is None and d.peringkat is None and d.selisih is None
    assert coverage.area_panel(cl, "b", "naik", None).selisih is None
    assert coverage.area_panel(cl, "zz", "naik", None) is None
    fk = pl.DataFrame({"jenis": ["puskesmas", "pustu", "pustu", "posyandu", "pustu"], "rawat_inap": [True, None, None, None, None],
                       "kode_kec": ["a", "a", "a", "a", "b"], "kode_desa": ["a1", "a1", "a2", "a2", "b1"]})
    assert coverage.faskes_counts(fk, "a") == {"puskesmas_ranap": 1, "pustu": 2, "posyandu": 1}
    assert coverage.faskes_counts(fk, "a2", level="desa") == {"pustu": 1, "posyandu": 1}
    assert coverage.faskes_counts(None, "a") == {}


def test_indicator_details_from_registry():
    rows = dict(coverage.indicator_details(indicators.get("posyandu_per_desa"), "id"))
    assert rows["Penyebut"] == indicators.get("posyandu_per_desa").denominator_text("id")
    assert rows["Status"].startswith("Didefinisikan oleh proyek")
    assert rows["Target"].startswith("Tidak ada target")
    en = dict(coverage.indicator_details(indicators.get("stunting_prevalensi"), "en", source="e-PPGBM", target=14.2))
    assert en["Data source"] == "e-PPGBM" and en["Target"] == "14.2%" and en["Direction"] == "Lower is better"
    assert "WHO/UNICEF" in en["Legend rule (half-open classes)"]
