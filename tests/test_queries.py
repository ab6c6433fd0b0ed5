"""Every SQL file in queries/ has a header and runs against the fixture database; key answers are checked."""
import re

import polars as pl
import pytest

from ilp import db, prevalence, summary
from tests.conftest import KAB

PARAMS = {"kab": KAB, "kec": "99.02.01", "tahun": 2026, "bulan": 3, "sumber_sasaran": "PUSDATIN",
          "periode": "2026-02", "kode": ["99.02.01", "PK1", "spm04"], "jenis": None, "level": "kecamatan",
          "tabel": "faskes", "prov": "99"}  # a new $param needs an example value here (every query runs on the fixture)
ALL = sorted(db.queries())


def test_queries_found():
    assert len(ALL) >= 20


@pytest.mark.parametrize("key", ALL)
def test_header(key):
    q = db.query(key)
    for field in ("name", "title", "grain", "params", "source"):
        assert q.header.get(field), f"{key}: header '-- {field}:' missing"
    assert q.header["name"] == key.split("/")[-1]
    assert " | " in q.header["title"], "title must be 'Indonesian | English'"
    for p in q.params:
        assert f"${p}" in q.header["params"], f"{key}: ${p} not documented in the header"
    # lowercase SQL keywords (house style)
    body = "\n".join(l for l in q.sql.splitlines() if not l.strip().startswith("--"))
    assert not re.search(r"\b(SELECT|FROM|WHERE|GROUP BY)\b", body)


@pytest.mark.parametrize("key", ALL)
def test_runs_on_fixture(key, fixture_con):
    q = db.query(key)
    out = db.run(fixture_con, key, **{p: PARAMS[p] for p in q.params})
    assert isinstance(out, pl.DataFrame)


def test_unknown_param_is_an_error(fixture_con):
    with pytest.raises(TypeError):
        db.run(fixture_con, "wilayah/kecamatan")


def test_prevalence_counts_children_latest_valid(fixture_con):
    kec = db.run(fixture_con, "stunting/prevalensi_kecamatan", kab=KAB, sumber_sasaran="PUSDATIN")
    a = kec.filter((pl.col("kode") == "99.02.01") & (pl.col("periode") == "2026-02")).row(0, named=True)
    # 11 children a0..a10 + c0 (latest measurement normal); the flagged child is excluded
    assert a["diukur"] == 12
    # -2.0 exactly is not stunted (haz < -2); -3.5 is sangat pendek
    assert a["pendek"] == 2 and a["sangat_pendek"] == 1 and a["stunting"] == 3
    assert a["sasaran_balita"] == 30
    b = kec.filter((pl.col("kode") == "99.02.02") & (pl.col("periode") == "2026-08")).row(0, named=True)
    assert b["diukur"] == 0  # kecamatan without measurements still listed
    kab = prevalence.add_prevalence(db.run(fixture_con, "stunting/prevalensi_kab", kab=KAB, sumber_sasaran="PUSDATIN"))
    feb = kab.filter(pl.col("periode") == "2026-02").row(0, named=True)
    assert feb["diukur"] == 17 and feb["stunting"] == 3 and feb["pengukuran_diflag"] == 1
    assert feb["prevalensi_pct"] == pytest.approx(100 * 3 / 17)
    assert feb["cakupan_ukur_pct"] == pytest.approx(100 * 17 / 42)


def test_spm_not_clipped_and_ytd(fixture_con):
    cap = db.run(fixture_con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=2, sumber_sasaran="PUSDATIN")
    pk1 = cap.filter((pl.col("kode_puskesmas") == "PK1") & (pl.col("layanan") == "spm01")).row(0, named=True)
    assert pk1["pembilang"] == 55 and pk1["capaian_pct"] == pytest.approx(55.0)
    pk2 = cap.filter((pl.col("kode_puskesmas") == "PK2") & (pl.col("layanan") == "spm08")).row(0, named=True)
    assert pk2["capaian_pct"] == pytest.approx(140.0)
    dk = db.run(fixture_con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=2, sumber_sasaran="DUKCAPIL")
    assert dk.filter((pl.col("kode_puskesmas") == "PK1") & (pl.col("layanan") == "spm01"))["capaian_pct"][0] == pytest.approx(50.0)
    tr = db.run(fixture_con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")
    s1 = tr.filter(pl.col("layanan") == "spm01").sort("bulan")
    assert s1["pembilang_kumulatif"].to_list() == [30, 55, 95]


def test_network_counts(fixture_con):
    net = db.run(fixture_con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    a = net.filter(pl.col("kode") == "99.02.01").row(0, named=True)
    b = net.filter(pl.col("kode") == "99.02.02").row(0, named=True)
    assert (a["n_desa"], a["desa_dengan_pustu"], a["n_pustu"], a["pustu_lengkap"]) == (2, 2, 2, 1)
    assert (b["n_desa"], b["desa_dengan_pustu"], b["n_pustu"], b["pustu_lengkap"]) == (2, 1, 1, 0)
    assert a["puskesmas_ilp"] == 1 and b["puskesmas_ilp"] == 0
    assert a["n_kader"] == 8 and a["posyandu_ilp"] == 1 and a["sasaran_balita"] == 30
    tanpa = db.run(fixture_con, "ilp/desa_tanpa_pustu", kab=KAB)
    assert tanpa["kode"].to_list() == ["99.02.02.1001"]
    pt = db.run(fixture_con, "ilp/pustu_tenaga", kab=KAB)
    assert pt.filter(pl.col("kode_faskes") == "PU2")["perawat"][0] == 0  # latest snapshot wins


def test_priority_rule(fixture_con, monkeypatch):
    # this test is about the priority rule on the latest round (August: 1 of 4 desa, 1 of 2 Puskesmas),
    # so the round rule is relaxed to make that round complete (rounds: tests/test_rounds.py)
    monkeypatch.setenv("ILP_ROUND_MIN_SHARE", "0.2")
    run = lambda key, **p: db.run(fixture_con, key, **p)  # noqa: E731
    pr = summary.priority_kecamatan(run, KAB, n=0)
    # Beta has fewer desa with a Pustu and no fully staffed Pustu -> most in need despite lower stunting
    assert pr["kode"].to_list()[0] == "99.02.02"
    heads = {h["key"]: h for h in summary.headlines(run, KAB)}
    assert heads["desa_dengan_pustu"]["value"] == pytest.approx(75.0)
    # the district's RPJMD target (16.0 for 2026) is a survey figure: the routine card is judged by a routine
    # target ('stunting_prevalensi_rutin') or its own pace, never coloured against a survey target
    assert heads["stunting_rutin"]["target"] is None and "laju" in heads["stunting_rutin"]["basis"]
    assert heads["stunting_survei"]["target"] == 14.0  # national 2024 target


def test_fresh_database_has_reference_data(tmp_path):
    con = db.connect(tmp_path / "fresh.duckdb")
    assert con.execute("select count(*) from layanan_spm").fetchall()[0][0] == 12
    t = dict(con.execute("select tahun, nilai from target where tingkat = 'nasional'").fetchall())
    assert t == {2024: 14.0, 2025: 18.8, 2029: 14.2}
    # a user's own national row is not overwritten when the database is opened again
    con.execute("update target set dasar = 'milik pengguna' where tahun = 2025")
    con.close()
    con = db.connect(tmp_path / "fresh.duckdb")
    assert con.execute("select dasar from target where tahun = 2025").fetchall()[0][0] == "milik pengguna"


def test_indicator_without_data_is_no_data_not_zero():
    from ilp import indicators
    ind = indicators.get("desa_dengan_pustu")
    frame = pl.DataFrame({"kode": ["a", "b"], "nama": ["A", "B"], "desa_dengan_pustu": [0, 0],
                          "n_desa": [5, 7], "n_pustu": [0, 0]})
    assert indicators.compute(ind, frame)["nilai"].null_count() == 2
    frame = frame.with_columns(n_pustu=pl.Series([0, 1]), desa_dengan_pustu=pl.Series([0, 1]))
    assert indicators.compute(ind, frame)["nilai"].to_list() == [0.0, pytest.approx(100 / 7)]


def test_target_path_interpolates_and_keeps_legal_bases_apart():
    from ilp import targets
    pts = pl.DataFrame({"tingkat": ["nasional"] * 3, "tahun": [2024, 2025, 2029], "nilai": [14.0, 18.8, 14.2],
                        "dasar": ["Perpres 72/2021", "RPJMN 2025–2029", "RPJMN 2025–2029"]})
    path = targets.target_path(pts)
    assert path["tahun"].to_list() == list(range(2024, 2030))
    itp = path.filter(pl.col("interpolasi"))
    assert itp["tahun"].to_list() == [2026, 2027, 2028]
    assert itp["nilai"].to_list() == pytest.approx([17.65, 16.5, 15.35])
    assert set(itp["segmen"]) == {"RPJMN 2025–2029"}
    assert path.filter(pl.col("tahun") == 2024)["segmen"][0] == "Perpres 72/2021"


def test_trend_needs_three_rounds_and_never_projects_below_zero():
    from ilp import targets
    two = pl.DataFrame({"periode": ["2025-02", "2025-08"], "prevalensi_pct": [20.0, 10.0]})
    assert targets.trend(two)["slope_per_year"] is None
    steep = pl.DataFrame({"periode": ["2025-02", "2025-08", "2026-02"], "prevalensi_pct": [20.0, 12.0, 4.0]})
    tr = targets.trend(steep)
    assert tr["slope_per_year"] < 0 and tr["proj_value"] == 0.0
    assert min(targets.projection_line(tr, "2026-02")["nilai"].to_list()) >= 0
    slow = pl.DataFrame({"periode": ["2024-02", "2025-02", "2026-02"], "prevalensi_pct": [18.0, 17.0, 16.0]})
    assert targets.trend(slow)["year_goal"] == 2027  # 16.0 - 1/yr reaches 14.2 during 2027


def test_table_checksums_see_every_change(fixture_copy):
    before = db.table_checksums(fixture_copy)
    fixture_copy.execute("update faskes set nama = 'Pustu Satu Baru' where kode_faskes = 'PU1'")
    after = db.table_checksums(fixture_copy)
    assert before["faskes"] != after["faskes"]
    assert {k: v for k, v in before.items() if k != "faskes"} == {k: v for k, v in after.items() if k != "faskes"}


def test_query_row_cap_and_time_limit(fixture_con, monkeypatch):
    monkeypatch.setenv("ILP_QUERY_MAX_ROWS", "2")  # the fixture's meta table has 3 rows
    with pytest.raises(db.QueryError, match="melebihi batas 2 baris"):
        db.run(fixture_con, "wilayah/meta")
    monkeypatch.setenv("ILP_QUERY_MAX_ROWS", "200000")
    monkeypatch.setenv("ILP_QUERY_TIMEOUT_S", "0.5")
    slow = db.Query(key="uji/lambat", sql="select count(*) from range(3000000000) t(i) where i % 7 = 3")
    monkeypatch.setitem(db.queries(), "uji/lambat", slow)
    with pytest.raises(db.QueryError, match="batas waktu"):
        db.run(fixture_con, "uji/lambat")
    assert db.run(fixture_con, "wilayah/meta").height > 0  # the connection still works afterwards


# ---------------------------------------------------------------- the one writer and the reference seeds

def test_upsert_inserts_replaces_and_keeps_last_duplicate():
    con = db.connect(":memory:")
    try:
        f = pl.DataFrame({"key": ["a", "b", "a"], "value": ["1", "2", "3"]})
        assert db.upsert(con, "meta", f) == 2  # 'a' twice in one frame: the last row wins
        assert con.execute("select key, value from meta order by key").fetchall() == [("a", "3"), ("b", "2")]
        assert db.upsert(con, "meta", pl.DataFrame({"key": ["b"], "value": ["9"]})) == 1
        assert con.execute("select value from meta where key = 'b'").fetchall() == [("9",)]
        assert db.upsert(con, "meta", f.head(0)) == 0
    finally:
        con.close()


def test_upsert_refuses_unknown_table_or_column_and_writes_nothing():
    con = db.connect(":memory:")
    try:
        with pytest.raises(ValueError):
            db.upsert(con, "import_log; drop table meta", pl.DataFrame({"x": [1]}))
        with pytest.raises(ValueError, match="kolom"):
            db.upsert(con, "meta", pl.DataFrame({"key": ["a"], "nilai": ["1"]}))
        assert con.execute("select count(*) from meta").fetchall() == [(0,)]
    finally:
        con.close()


def test_upsert_joins_the_callers_transaction():
    con = db.connect(":memory:")
    try:
        con.execute("begin transaction")
        db.upsert(con, "meta", pl.DataFrame({"key": ["a"], "value": ["1"]}))
        con.execute("rollback")
        assert con.execute("select count(*) from meta").fetchall() == [(0,)]
    finally:
        con.close()


def test_reference_seeds_are_the_one_home_of_the_spm_services():
    from ilp import reference
    spm = reference.layanan_spm()
    assert reference.layanan_codes() == tuple(f"spm{i:02d}" for i in range(1, 13))
    assert spm["no"].to_list() == list(range(1, 13))
    assert spm.filter(pl.col("layanan") == "spm04")["nama_id"].item() == "Pelayanan kesehatan balita"
    assert reference.survei_nasional().filter(pl.col("tahun") == 2024)["prevalensi"].item() == 19.8
    assert reference.target_nasional().filter(pl.col("tahun") == 2029)["nilai"].item() == 14.2


def test_seeding_never_overwrites_imported_reference_rows():
    con = db.connect(":memory:")
    try:
        con.execute("update target set nilai = 13.0, dasar = 'impor' where tingkat = 'nasional' and tahun = 2029")
        db.seed_reference(con)  # only where missing: the user's row stays
        assert con.execute("select nilai, dasar from target where tahun = 2029").fetchall() == [(13.0, "impor")]
    finally:
        con.close()


def test_connecting_never_builds_the_demo(tmp_path):
    import sys
    sys.modules.pop("ilp.demo", None)
    con = db.connect(tmp_path / "kosong.duckdb")
    try:
        assert con.execute("select count(*) from wilayah").fetchall() == [(0,)]
        assert db.get_meta(con, "is_demo") is None
    finally:
        con.close()
    assert "ilp.demo" not in sys.modules  # db does not import the demo generator


# ---------------------------------------------------------------- rounds and recaps (fixture: conftest.build_rounds_fixture)

def _rows(df: pl.DataFrame, *cols: str) -> list[tuple]:
    return df.select(cols).rows()


def test_ronde_completeness_and_weighing_window(rounds_con):
    r = db.run(rounds_con, "stunting/ronde", kab=KAB)
    assert _rows(r, "periode", "jenis", "n_desa_lapor", "n_desa", "n_puskesmas_lapor", "n_puskesmas", "diukur") == [
        ("2024-06", "kampanye", 1, 4, 1, 3, 2),  # the serentak campaign is its own series
        ("2025-08", "ronde", 4, 4, 3, 3, 10),    # 25 July and 5 September fall in the August window
        # 17 children of the base fixture + desa Dua on 20 and 25 January + desa Empat on 10 March;
        # 19 January, 11 March and 15 May are in no round
        ("2026-02", "ronde", 4, 4, 3, 3, 20),
        ("2026-08", "ronde", 1, 4, 1, 3, 10),
    ]
    # sasaran of the periode's year (PUSDATIN spm04 per desa: 20 + 10 + 8 + 4); no 2025 sasaran -> missing, not 0
    assert _rows(r, "periode", "sasaran_balita")[1:] == [("2025-08", None), ("2026-02", 42.0), ("2026-08", 42.0)]


def test_ronde_classified(rounds_con):
    from ilp import rounds
    r = rounds.classify(db.run(rounds_con, "stunting/ronde", kab=KAB))
    assert _rows(r.filter(pl.col("jenis") == "ronde"), "periode", "status") == [
        ("2025-08", "lengkap"), ("2026-02", "lengkap"), ("2026-08", "sementara")]
    assert r.filter(pl.col("periode") == "2026-08")["share_desa"].item() == pytest.approx(0.25)
    assert rounds.complete_periods(r) == ["2025-08", "2026-02"]


def test_rekap_kecamatan_sums_two_puskesmas_and_uses_the_finest_level(rounds_con):
    k = db.run(rounds_con, "stunting/rekap_kecamatan", kab=KAB)
    cols = ("kode", "periode", "diukur", "stunting", "pendek", "sangat_pendek", "n_unit_lapor", "jenis_unit", "sumber")
    assert _rows(k, *cols) == [
        ("99.02.01", "2025-02", None, None, None, None, 0, "kecamatan", None),  # did not report: missing, not 0
        ("99.02.02", "2025-02", 30, 3, 3, 0, 1, "kecamatan", "fixture"),
        # desa rows and a Puskesmas row in the same periode: only the desa rows (finest level) count
        ("99.02.01", "2025-08", 6, 1, 1, 0, 1, "desa", "fixture"),
        ("99.02.02", "2025-08", 4, 1, 1, 0, 1, "desa", "fixture"),
        # Alpha has PK1 (12: 3 + 1) and PK3 (8: 1 + 1)
        ("99.02.01", "2026-02", 20, 6, 4, 2, 2, "puskesmas", "fixture; laporan PK3"),
        ("99.02.02", "2026-02", 5, 0, 0, 0, 1, "puskesmas", "fixture"),
        ("99.02.01", "2026-08", 10, 1, 1, 0, 1, "puskesmas", "rekap Puskesmas"),
        ("99.02.02", "2026-08", None, None, None, None, 0, "puskesmas", None),
    ]
    assert k.filter(pl.col("kode") == "99.02.01")["nama"].unique().to_list() == ["Alpha"]


def test_rekap_kab_series_with_puskesmas_completeness_and_file(rounds_con):
    from ilp import rounds
    k = db.run(rounds_con, "stunting/rekap_kab", kab=KAB)
    cols = ("periode", "diukur", "stunting", "n_puskesmas_lapor", "n_puskesmas", "n_unit_lapor", "jenis_unit",
            "sumber", "nama_file")
    assert _rows(k, *cols) == [
        ("2025-02", 30, 3, 1, 3, 1, "kecamatan", "fixture", None),  # PK2 stands in the reporting kecamatan
        ("2025-08", 10, 2, 2, 3, 2, "desa", "fixture", None),       # desa Satu -> PK1, desa Tiga -> PK2
        ("2026-02", 25, 6, 3, 3, 3, "puskesmas", "fixture; laporan PK3", None),
        ("2026-08", 10, 1, 1, 3, 1, "puskesmas", "rekap Puskesmas", "rekap_agustus.xlsx"),
    ]
    c = rounds.classify(k)
    assert _rows(c, "periode", "status") == [("2025-02", "sementara"), ("2025-08", "sementara"),
                                              ("2026-02", "lengkap"), ("2026-08", "sementara")]
    assert c["share_desa"].null_count() == 4  # recaps: completeness by Puskesmas only
    assert rounds.complete_periods(c) == ["2026-02"]


def test_rekap_queries_on_the_base_fixture(fixture_con):
    k = db.run(fixture_con, "stunting/rekap_kab", kab=KAB)
    assert _rows(k, "periode", "diukur", "stunting", "n_puskesmas_lapor", "n_puskesmas") == [("2026-02", 17, 4, 2, 2)]
    assert db.run(fixture_con, "stunting/rekap_kab", kab="98.01").height == 0  # another district: nothing


# ---------------------------------------------------------------- facts computed at import (issue 14)

# the questions that read the fact tables (through stg_ukur_ronde / stg_stunting_desa / stg_stunting_puskesmas)
FACT_QUERIES = ["stunting/prevalensi_kab", "stunting/prevalensi_kecamatan", "stunting/prevalensi_desa",
                "stunting/prevalensi_desa_kab", "stunting/prevalensi_puskesmas", "stunting/ronde",
                "quality/checks/ukur_ronde_unik"]


def _facts_vs_live(con, params=PARAMS):
    """Each fact-reading question, once on the fact tables and once on the live rule (fakta.shadow)."""
    from ilp import fakta
    return {key: fakta.facts_and_live(con, db.query(key).sql, {p: params[p] for p in db.query(key).params})
            for key in FACT_QUERIES}


def test_facts_equal_the_live_rule_on_the_fixtures(fixture_con, rounds_con):
    from ilp import fakta
    for con in (fixture_con, rounds_con):
        assert fakta.fresh(con)
        n = con.execute("select count(*) from fakta_ukur_ronde").fetchall()[0][0]
        assert n > 0
        for key, (a, b) in _facts_vs_live(con).items():
            assert a.equals(b), key


def test_facts_equal_the_live_rule_on_the_demo(demo_db):
    from ilp import fakta
    con = db.connect(demo_db, read_only=True)
    try:
        assert fakta.fresh(con)
        params = dict(PARAMS, kab="99.01", kec="99.01.01", periode="2025-08")
        for key, (a, b) in _facts_vs_live(con, params).items():
            assert a.height > 0 or key.startswith("quality/"), key
            assert a.equals(b), key
    finally:
        con.close()


# district questions whose rule is a staging view (or table macro) over every kab/kota, shared with the province
# page's provinsi/semua_* form, and the fact tables each scans
SHARED_RULE_SCANS = {"stunting/prevalensi_kab": {"fakta_stunting_desa", "fakta_diflag"},
                     "stunting/prevalensi_kecamatan": {"fakta_stunting_desa"},
                     "stunting/ronde": {"fakta_stunting_desa", "fakta_stunting_puskesmas"}}


def _scans(node, out):
    """(table, filters as text) of every table scan in a DuckDB JSON plan."""
    extra = node.get("extra_info", {})
    if "Table" in extra:
        out.append((extra["Table"].split(".")[-1], str(extra.get("Filters", ""))))
    for child in node.get("children", []):
        _scans(child, out)
    return out


@pytest.mark.parametrize("key", sorted(SHARED_RULE_SCANS))
def test_district_filter_reaches_the_facts_scan(fixture_copy, key):
    """The rule is computed for every kab/kota in the view; the district question's kab filter must still be applied
    where the facts are scanned (pushed through the view's aggregates, joins and per-kab/kota windows), never after
    an aggregate over the whole province. A second kab/kota's rows are added first: on facts of one kab/kota only,
    DuckDB's column statistics prove the filter always true and drop it."""
    import json
    con = fixture_copy
    con.execute("insert into fakta_stunting_desa select * replace ('99.09.01.2001' as kode_desa, '99.09.01' as kode_kec, "
                "'99.09' as kode_kab) from fakta_stunting_desa limit 1")
    con.execute("insert into fakta_diflag select * replace ('99.09' as kode_kab) from fakta_diflag limit 1")
    con.execute("insert into fakta_stunting_puskesmas select * replace ('99.09' as kode_kab) "
                "from fakta_stunting_puskesmas limit 1")
    q = db.query(key)
    body = "\n".join(l for l in q.sql.splitlines() if not l.strip().startswith("--"))
    plan = json.loads(con.execute("explain (format json) " + body, {p: PARAMS[p] for p in q.params}).fetchall()[0][1])
    scans = [s for root in plan for s in _scans(root, [])]
    facts = [(table, f) for table, f in scans if table.startswith("fakta_")]
    assert {table for table, _ in facts} == SHARED_RULE_SCANS[key], scans
    assert all(f"kode_kab = '{KAB}'" in f for _, f in facts), facts


def test_fixture_facts_by_hand(fixture_con):
    """Round 2026-02 of the base fixture: desa 2001 has 12 children (c0 counted once at its latest, the flagged
    child left out): HAZ -2.1 and -2.9 pendek, -3.5 sangat pendek (-2.0 is not below -2); desa 1001 has 5, none
    stunted. August: 10 children, 1 stunted (-2.2)."""
    got = db.fetch_pl(fixture_con, "select kode_desa, periode, diukur, pendek, sangat_pendek, stunting "
                                   "from fakta_stunting_desa order by periode, kode_desa")
    assert got.rows() == [("99.02.01.2001", "2026-02", 12, 2, 1, 3), ("99.02.02.1001", "2026-02", 5, 0, 0, 0),
                          ("99.02.01.2001", "2026-08", 10, 1, 0, 1)]


def test_a_write_outside_an_import_is_never_shown_stale(fixture_copy):
    from ilp import fakta
    fixture_copy.execute("delete from pengukuran where kode_desa = '99.02.02.1001'")
    assert not fakta.fresh(fixture_copy)
    k = db.run(fixture_copy, "stunting/prevalensi_kab", kab=KAB, sumber_sasaran="PUSDATIN")
    assert k.filter(pl.col("periode") == "2026-02")["diukur"].item() == 12   # the live rule, not the stale 17
    fakta.ensure(fixture_copy)
    assert fakta.fresh(fixture_copy)
    assert fixture_copy.execute("select sum(diukur) from fakta_stunting_desa where periode = '2026-02'").fetchall() == [(12,)]


def test_import_refreshes_the_facts_in_its_transaction(fixture_copy, tmp_path, monkeypatch):
    """An e-PPGBM import writes its children's rounds into the facts; a failed one changes no fact."""
    from ilp import fakta
    from ilp.ingest import runner
    from tests.conftest import data_checksums
    from tests.test_eppgbm import good_rows, write_csv
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "up"))
    monkeypatch.setenv("ILP_SALT_FILE", str(tmp_path / "salt" / "salt"))
    before = fixture_copy.execute("select count(*) from fakta_ukur_ronde").fetchall()[0][0]
    f = write_csv(tmp_path / "ppgbm.csv", good_rows())
    res = runner.run_import(fixture_copy, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil"
    assert fakta.fresh(fixture_copy)
    live = db.fetch_pl(fixture_copy, "select count(*) as n from stg_ukur_ronde_hitung")["n"].item()
    after = fixture_copy.execute("select count(*) from fakta_ukur_ronde").fetchall()[0][0]
    assert after == live > before
    for key, (a, b) in _facts_vs_live(fixture_copy).items():
        assert a.equals(b), key
    # a failed import (the hook raises inside the transaction) leaves the facts as they were
    sums = data_checksums(fixture_copy)
    monkeypatch.setattr(runner, "_after_insert_hook", lambda: (_ for _ in ()).throw(RuntimeError("gagal uji")))
    f2 = write_csv(tmp_path / "ppgbm2.csv", [dict(r, **{"Tanggal Pengukuran": "15/08/2025"}) for r in good_rows()])
    assert runner.run_import(fixture_copy, "eppgbm", f2, f2.name, "uji").status == "gagal"
    assert data_checksums(fixture_copy) == sums


def test_touched_kabs():
    from ilp import fakta
    t = {"pengukuran": pl.DataFrame({"kode_desa": ["35.23.01.2001", "33.29.02.2002", None]}),
         "sasaran": pl.DataFrame({"kode_unit": ["11.01.01.2001"]})}
    assert fakta.touched_kabs(t) == ["33.29", "35.23"]
    assert fakta.touched_kabs({"faskes": pl.DataFrame({"kode_kec": ["61.12.03"]})}) == ["61.12"]
    assert fakta.touched_kabs({"layanan_spm": pl.DataFrame({"x": [1]})}) == []   # a table the facts do not read
    # SPM numerators name a Puskesmas, not an area: without a connection to look it up, every kab/kota
    assert fakta.touched_kabs({"fakta_spm": pl.DataFrame({"kode_puskesmas": ["PK1"]})}) is None
    assert fakta.touched_kabs({}, replaced=["wilayah_kerja"]) is None


# ---------------------------------------------------------------- counting once (issue 11 item 7)

def test_a_desa_in_two_catchments_counts_once(fixture_copy):
    """Desa Satu (99.02.01.2001, kecamatan Alpha) also in the catchment of PK2 (which stands in Beta): its 12
    children of 2026-02 count in PK1 only (the catchment Puskesmas in the desa's own kecamatan), not twice."""
    from ilp import fakta
    fixture_copy.execute("insert into wilayah_kerja values ('PK2', '99.02.01.2001', 'uji')")
    fakta.ensure(fixture_copy)
    pk = db.run(fixture_copy, "stunting/prevalensi_puskesmas", kab=KAB).filter(pl.col("periode") == "2026-02")
    assert sorted(pk.select("kode_puskesmas", "diukur", "stunting").rows()) == [("PK1", 12, 3), ("PK2", 5, 0)]
    assert pk["diukur"].sum() == 17        # = the children of the round, each once
    r = db.run(fixture_copy, "stunting/ronde", kab=KAB)
    assert r.filter(pl.col("periode") == "2026-02")["diukur"].item() == 17
    dp = db.fetch_pl(fixture_copy, "select * from stg_desa_puskesmas where kode_desa = '99.02.01.2001'")
    assert dp.select("kode_puskesmas", "n_puskesmas").rows() == [("PK1", 2)]


def test_partial_sasaran_denominator_is_flagged(fixture_copy):
    """Kecamatan Beta: sasaran for desa Tiga (8) and Empat (4); without Empat's row the 8 is a partial
    denominator (1 of 2 desa), flagged, never passed off as the kecamatan's sasaran."""
    k = db.run(fixture_copy, "stunting/prevalensi_kecamatan", kab=KAB, sumber_sasaran="PUSDATIN")
    beta = k.filter((pl.col("kode") == "99.02.02") & (pl.col("periode") == "2026-02"))
    assert beta.select("sasaran_balita", "n_desa", "n_desa_sasaran", "sasaran_parsial").rows() == [(12.0, 2, 2, False)]
    fixture_copy.execute("delete from sasaran where kode_unit = '99.02.02.2002'")
    k = db.run(fixture_copy, "stunting/prevalensi_kecamatan", kab=KAB, sumber_sasaran="PUSDATIN")
    beta = k.filter((pl.col("kode") == "99.02.02") & (pl.col("periode") == "2026-02"))
    assert beta.select("sasaran_balita", "n_desa", "n_desa_sasaran", "sasaran_parsial").rows() == [(8.0, 2, 1, True)]
    none = db.run(fixture_copy, "stunting/prevalensi_kecamatan", kab=KAB, sumber_sasaran="DUKCAPIL")
    assert none["sasaran_parsial"].is_null().all()   # no desa sasaran of that source at all: missing, not partial


def test_a_database_from_an_older_version_is_brought_up_to_date_before_reading(fixture_db, tmp_path):
    """The app only reads: a file written by an older version (a staging view or fact table missing) is set up
    once on a short writable connection when first opened read-only, then read."""
    import shutil
    p = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, p)
    c = db.connect(p)
    c.execute("drop view stg_diflag")
    c.execute("delete from skema")
    c.close()
    con = db.connect(p, read_only=True)
    try:
        k = db.run(con, "stunting/prevalensi_kab", kab=KAB, sumber_sasaran="PUSDATIN")
        assert k["periode"].to_list() == ["2026-02", "2026-08"]
        assert con.execute("select stamp from skema").fetchall() == [(db.schema_stamp(),)]
    finally:
        con.close()
