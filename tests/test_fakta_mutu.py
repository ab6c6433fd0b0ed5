"""Data-quality (Mutu) facts computed at import (issue 14): the Mutu questions read fakta_mutu,
fakta_mutu_umur, fakta_mutu_haz, fakta_mutu_desa and fakta_kualitas, written per kab/kota by ilp/fakta.py from
the rules queries/staging/stg_{mutu_ringkas,mutu_umur,mutu_haz,mutu_desa,kualitas}_hitung.sql. The facts must
give exactly the live rule's figures: on the fixtures, on a district with known faults, and after an
incremental import of a second kab/kota (which must leave the first one's facts alone)."""
from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from ilp import db, fakta
from tests.conftest import KAB

# the questions that read the Mutu facts (through the stg_mutu_* / stg_kualitas views)
MUTU_QUERIES = ("quality/mutu_ringkas", "quality/mutu_umur", "quality/mutu_sebaran_haz",
                "quality/mutu_cakupan_desa", "quality/kualitas_pengukuran")
MUTU_TABLES = ("fakta_mutu", "fakta_mutu_umur", "fakta_mutu_haz", "fakta_mutu_desa", "fakta_kualitas")
_ROWS_9902 = {t: f"select * from {t} where kode_kab = '99.02'" for t in MUTU_TABLES}  # constant: names from above
_COUNT = {t: f"select count(*) from {t}" for t in MUTU_TABLES}
_EMPTY = {t: f"delete from {t}" for t in MUTU_TABLES}


def _facts_and_live(con, kab: str) -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """Each Mutu question for `kab`, once on the fact tables and once on the live rule (fakta.shadow)."""
    return {key: fakta.facts_and_live(con, db.query(key).sql, {"kab": kab}) for key in MUTU_QUERIES}


def _assert_same(con, kab: str, nonempty: bool = True) -> None:
    for key, (a, b) in _facts_and_live(con, kab).items():
        if nonempty:
            assert a.height > 0, key
        # counts exactly; SD / skewness / kurtosis to the last few bits (the same aggregate, summed in another order)
        assert_frame_equal(a, b, check_exact=False, rel_tol=1e-12, abs_tol=1e-12)


def test_mutu_facts_equal_the_live_rule_on_the_fixtures(fixture_con, rounds_con):
    for con in (fixture_con, rounds_con):
        assert fakta.fresh(con)
        for t in MUTU_TABLES:
            assert con.execute(_COUNT[t]).fetchall()[0][0] > 0, t
        _assert_same(con, KAB)
        _assert_same(con, "98.77", nonempty=False)   # a district with no data: no rows either way


def test_mutu_facts_equal_the_live_rule_on_the_demo(demo_db):
    con = db.connect(demo_db, read_only=True)
    try:
        assert fakta.fresh(con)
        _assert_same(con, "99.01")
    finally:
        con.close()


def _add_mutu_district(con) -> None:
    from tests.test_mutu import build_mutu
    build_mutu(con)


def test_mutu_facts_by_hand_and_after_an_incremental_import_of_a_second_kab(fixture_copy):
    """Kab 98.01 (tests/test_mutu.py build_mutu: 120 + 120 children and 2 flagged in round 2026-02, one child of
    PA measured twice) added to the fixture's kab 99.02 the way an import does it: rows written and the facts of
    the kab/kota touched refreshed in the same transaction (fakta.refresh_for_import). Only 98.01 is recomputed;
    99.02's facts stay as they were; both equal the live rule."""
    con = fixture_copy
    before = {t: db.fetch_pl(con, _ROWS_9902[t]) for t in MUTU_TABLES}
    con.execute("begin transaction")
    _add_mutu_district(con)
    kode_desa = db.fetch_pl(con, "select distinct kode_desa from pengukuran where kode_desa like '98.01.%'")
    assert fakta.refresh_for_import(con, {"pengukuran": kode_desa}) == ["98.01"]
    con.execute("commit")
    assert fakta.fresh(con)
    for t in MUTU_TABLES:   # 99.02 untouched (same rows, in any order)
        after = db.fetch_pl(con, _ROWS_9902[t])
        assert_frame_equal(after.sort(after.columns, nulls_last=True),
                           before[t].sort(before[t].columns, nulls_last=True)), t
    _assert_same(con, "98.01")
    _assert_same(con, KAB)
    # by hand, from the fact table: the kab in round 2026-02 has 242 children (120 PA + 120 PB + 2 flagged), the
    # earlier of child 0's two measurements is one ganda, 2 flagged HAZ; PA's 120 all on a whole centimetre
    r = db.run(con, "quality/mutu_ringkas", kab="98.01")
    kab = r.filter((pl.col("tingkat") == "kabkota") & (pl.col("periode") == "2026-02")).row(0, named=True)
    assert (kab["n"], kab["ganda"], kab["flag_haz"], kab["laki"] + kab["perempuan"]) == (242, 1, 2, 242)
    pa = r.filter((pl.col("tingkat") == "puskesmas") & (pl.col("kode") == "PA")).row(0, named=True)
    assert (pa["n"], pa["tinggi_d0"], pa["ganda"]) == (120, 120, 1)
    umur = db.run(con, "quality/mutu_umur", kab="98.01").filter(pl.col("tingkat") == "puskesmas")
    assert dict(umur.filter(pl.col("kode") == "PA").select("umur_bulan", "n").rows()) == {11: 10, 12: 40, 13: 10, 30: 60}
    desa = db.run(con, "quality/mutu_cakupan_desa", kab="98.01")
    assert sorted(desa.select("kode_desa", "diukur").rows()) == [("98.01.01.2001", 120), ("98.01.02.2001", 122)]
    k = db.run(con, "quality/kualitas_pengukuran", kab="98.01")
    assert k.select("periode", "pengukuran", "anak", "haz_diflag").rows() == [("2026-02", 243, 242, 2)]


def test_a_write_outside_an_import_shows_the_live_mutu_rule(fixture_copy):
    """Measurements deleted by hand: the facts are stale, the question reads the live rule (never the stale
    count); a writable connect (fakta.ensure) recomputes them."""
    con = fixture_copy
    n0 = db.run(con, "quality/kualitas_pengukuran", kab=KAB)["pengukuran"].sum()
    gone = con.execute("select count(*) from pengukuran where kode_desa = '99.02.02.1001'").fetchall()[0][0]
    assert gone > 0
    con.execute("delete from pengukuran where kode_desa = '99.02.02.1001'")
    assert not fakta.fresh(con)
    assert db.run(con, "quality/kualitas_pengukuran", kab=KAB)["pengukuran"].sum() == n0 - gone
    assert not db.run(con, "quality/mutu_cakupan_desa", kab=KAB).filter(
        (pl.col("kode_desa") == "99.02.02.1001") & (pl.col("diukur") > 0)).height
    fakta.ensure(con)
    assert fakta.fresh(con)
    assert con.execute("select sum(pengukuran) from fakta_kualitas where kode_kab = $k", {"k": KAB}).fetchall()[0][0] \
        == n0 - gone
    _assert_same(con, KAB)


def test_a_new_version_of_the_rules_recomputes_the_facts(fixture_db, tmp_path):
    """The schema stamp is part of the facts' data stamp: a file set up by another version (its skema stamp
    differs) is never shown its old facts. A read-only open brings only the schema up to date (no recompute
    inside a viewer's question: tests/test_fakta_upgrade.py), so the questions read the live rule; a writable
    connect (an import) recomputes them, not left empty or stale."""
    import shutil
    p = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, p)
    c = db.connect(p)
    # as the version before the Mutu facts left it: their tables new and empty, its stamp without the schema's
    for t in MUTU_TABLES:
        c.execute(_EMPTY[t])
    c.execute("update fakta_status set cap = regexp_replace(cap, ':[^:]*$', '')")
    c.execute("update skema set stamp = 'older-version'")
    c.close()
    con = db.connect(p, read_only=True)   # schema brought up to date on a short writable connection first
    try:
        assert not fakta.fresh(con)
        assert con.execute("select count(*) from fakta_mutu").fetchall()[0][0] == 0
        assert db.run(con, "quality/mutu_ringkas", kab=KAB).height > 0   # the live rule, never the empty table
    finally:
        con.close()
    db.connect(p).close()                 # an import's writable connection refreshes the facts
    con = db.connect(p, read_only=True)
    try:
        assert fakta.fresh(con)
        assert con.execute("select count(*) from fakta_mutu").fetchall()[0][0] > 0
        _assert_same(con, KAB)
    finally:
        con.close()


def test_ukur_ronde_unik_finds_a_child_counted_twice(fixture_copy):
    """The uniqueness check of stg_ukur_ronde (hash pre-grouping, then the keys): nothing on the facts; one row
    with baris = 2 for a child whose round appears twice (a cursor whose stg_ukur_ronde repeats one child)."""
    con = fixture_copy
    assert db.run(con, "quality/checks/ukur_ronde_unik", kab=KAB).height == 0
    anak, per = con.execute("select id_anak, periode from fakta_ukur_ronde where kode_kab = $k order by id_anak, periode "
                            "limit 1", {"k": KAB}).fetchall()[0]
    cur = con.cursor()
    cur.execute("create temp table dua as select * from main.fakta_ukur_ronde where id_anak = $a and periode = $p",
                {"a": anak, "p": per})
    cur.execute("create temp view stg_ukur_ronde as select * from main.fakta_ukur_ronde union all select * from dua")
    sql = db.query("quality/checks/ukur_ronde_unik").sql
    for kab in (KAB, None):
        got = db.fetch_pl(cur, sql, {"kab": kab})
        assert got.select("kode_kab", "id_anak", "periode", "baris").rows() == [(KAB, anak, per, 2)]
    assert db.fetch_pl(cur, sql, {"kab": "98.77"}).height == 0
    cur.close()
