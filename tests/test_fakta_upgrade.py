"""Issue 14: recomputing the facts is explicit and fast, never a hidden first question.

A database left by an older version (its skema stamp differs, or a fact table is missing) opened read-only gets
its schema brought up to date and nothing else: its facts stay stale, the questions read the live rule (the
same figures), and `fakta.fresh` says so (the app's banner). `python -m ilp perbarui-fakta` recomputes every
fact table in one transaction (dropped, recreated, filled for all kab/kota at once) and the figures do not
change; a failure leaves everything as it was."""
from __future__ import annotations

import shutil

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ilp import cli, db, fakta
from ilp.i18n import catalog
from tests.conftest import KAB

# questions over every fact table (through the stg_ views), with their parameters
_SPM = {"kab": KAB, "tahun": 2026, "bulan": 2, "sumber_sasaran": "PUSDATIN"}
QUESTIONS = (("quality/mutu_ringkas", {"kab": KAB}), ("quality/mutu_umur", {"kab": KAB}),
             ("quality/mutu_sebaran_haz", {"kab": KAB}), ("quality/mutu_cakupan_desa", {"kab": KAB}),
             ("quality/kualitas_pengukuran", {"kab": KAB}), ("spm/capaian_puskesmas", _SPM),
             ("spm/capaian_kecamatan", _SPM), ("spm/capaian_kab_bulanan", {"kab": KAB, "sumber_sasaran": "PUSDATIN"}),
             ("ilp/jaringan_kecamatan", {"kab": KAB, "tahun": 2026, "sumber_sasaran": "PUSDATIN"}))
# the fact tables the older version of `old_db` did not have
MISSING = ("fakta_mutu_haz", "fakta_spm_kumulatif", "fakta_jaringan_kecamatan", "fakta_jaringan_mulai")
_DROP = {t: f"drop table {t}" for t in MISSING}   # constant: names from above
_COUNT = {t: f"select count(*) from {t}" for t in fakta.TABLES}
# fact tables whose every column is counted or copied (no float sum): they must come back bit for bit
EXACT = ("fakta_ukur_ronde", "fakta_stunting_desa", "fakta_stunting_puskesmas", "fakta_diflag", "fakta_mutu_umur",
         "fakta_mutu_haz", "fakta_mutu_desa", "fakta_kualitas", "fakta_spm_kumulatif", "fakta_jaringan_kecamatan",
         "fakta_jaringan_mulai")
_ALL_ROWS = {t: f"select * from {t}" for t in fakta.TABLES}   # constant: names from ilp.fakta.TABLES


def _figures(con) -> dict[str, pl.DataFrame]:
    return {k: db.run(con, k, **params) for k, params in QUESTIONS}


def _same_figures(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> None:
    for k, _ in QUESTIONS:
        assert a[k].height > 0, k
        # counts exactly; SD / skewness / kurtosis to the last bits (the same aggregate summed in another order)
        assert_frame_equal(a[k], b[k], check_exact=False, rel_tol=1e-12, abs_tol=1e-12)


@pytest.fixture
def old_db(fixture_db, tmp_path):
    """The fixture as an older version left it: another skema stamp (also in its facts' stamp, queries/fakta/
    cap.sql) and fact tables it did not have (MISSING)."""
    p = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, p)
    c = db.connect(p)
    c.execute("update skema set stamp = 'older-version'")
    c.execute("update fakta_status set cap = regexp_replace(cap, ':[^:]*$', ':older-version')")
    for t in MISSING:
        c.execute(_DROP[t])
    c.close()
    return p


def test_old_database_opened_read_only_gets_no_fact_recompute(old_db, fixture_con, monkeypatch):

    def no_recompute(*a, **k):
        raise AssertionError("facts recomputed inside a read-only open")

    monkeypatch.setattr(fakta, "recompute", no_recompute)
    monkeypatch.setattr(fakta, "refresh", no_recompute)
    con = db.connect(old_db, read_only=True)
    try:
        # the schema is this version's (the missing tables are back, empty; the stamp is current) ...
        assert con.execute("select max(stamp) from skema").fetchall()[0][0] == db.schema_stamp()
        for t in MISSING:
            assert con.execute(_COUNT[t]).fetchall()[0][0] == 0, t
        # ... the facts are not: still stamped as the old version left them, and the banner's condition holds
        assert con.execute("select cap from fakta_status where kode_kab = '*'").fetchall()[0][0].endswith(
            ":older-version")
        assert not fakta.fresh(con)
        # the figures are the live rule's: those of the fresh fixture, not the empty table's
        _same_figures(_figures(con), _figures(fixture_con))
    finally:
        con.close()


def test_fresh_is_the_banner_condition(fixture_con, old_db, tmp_path):
    assert fakta.fresh(fixture_con)
    con = db.connect(old_db, read_only=True)
    try:
        assert not fakta.fresh(con)
    finally:
        con.close()
    # a database from before the facts: no fact tables, no stamp table -> stale, not an error
    import duckdb
    p = tmp_path / "before_facts.duckdb"
    c = duckdb.connect(str(p))
    c.execute("create table pengukuran (kode_desa varchar)")
    assert not fakta.fresh(c)
    c.close()
    # the banner text exists in both languages and names the command
    for lang in ("id", "en"):
        assert "perbarui-fakta" in catalog(lang)["fakta.banner_basi"]


def test_cli_perbarui_fakta_makes_the_facts_fresh_with_the_same_figures(old_db, fixture_con, capsys):
    assert cli.main(["perbarui-fakta", "--db", str(old_db)]) == 0
    out = capsys.readouterr().out
    for table in fakta.TABLES:   # progress, one line per table
        assert f"  {table}: " in out, table
    con = db.connect(old_db, read_only=True)
    try:
        assert fakta.fresh(con)
        for t in fakta.TABLES:
            assert con.execute(f"select count(*) from {t}").fetchall()[0][0] > 0, t
        for t in EXACT:
            a = db.fetch_pl(con, _ALL_ROWS[t])
            b = db.fetch_pl(fixture_con, _ALL_ROWS[t])
            assert_frame_equal(a.sort(a.columns, nulls_last=True), b.sort(b.columns, nulls_last=True)), t
        _same_figures(_figures(con), _figures(fixture_con))
        assert db.table_checksums(con)["pengukuran"] == db.table_checksums(fixture_con)["pengukuran"]
    finally:
        con.close()
    # already fresh: says so, recomputes nothing
    assert cli.main(["perbarui-fakta", "--db", str(old_db), "--lang", "en"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_perbarui_fakta_without_a_database(tmp_path, capsys):
    assert cli.main(["perbarui-fakta", "--db", str(tmp_path / "nope.duckdb")]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
    assert not (tmp_path / "nope.duckdb").exists()


def test_a_failed_recompute_changes_nothing(old_db, monkeypatch):
    con = db.connect(old_db, refresh_facts=False)
    try:
        before = db.table_checksums(con)
        real = fakta._sql

        def broken(name):   # the last fill fails after the others ran
            return "insert into fakta_kualitas select * from no_such_table" if name == "semua_kualitas" else real(name)

        monkeypatch.setattr(fakta, "_sql", broken)
        import duckdb
        with pytest.raises(duckdb.Error):
            fakta.perbarui(con)
        monkeypatch.setattr(fakta, "_sql", real)
        assert db.table_checksums(con) == before
        assert not fakta.fresh(con)
    finally:
        con.close()


def test_full_recompute_equals_the_per_kab_refresh(fixture_copy):
    """The all-at-once fill (semua_*.sql) and an import's per-kab/kota fill (isi_*.sql) write the same rows."""
    con = fixture_copy
    kabs = fakta.all_kab(con)
    assert kabs
    fakta.refresh(con, kabs)
    per_kab = {t: db.fetch_pl(con, _ALL_ROWS[t]) for t in fakta.TABLES}
    written = fakta.recompute(con)
    assert fakta.fresh(con)
    for t in fakta.TABLES:
        a, b = db.fetch_pl(con, _ALL_ROWS[t]), per_kab[t]
        assert written[t] == b.height > 0, t
        keys = [c for c in a.columns if not a[c].dtype.is_float()] + [c for c in a.columns if a[c].dtype.is_float()]
        assert_frame_equal(a.sort(keys, nulls_last=True), b.sort(keys, nulls_last=True),
                           check_exact=False, rel_tol=1e-12, abs_tol=1e-12)


def test_pages_show_the_live_figures_banner_until_the_facts_are_updated(old_db, fixture_db, monkeypatch):
    """Every page's header (ui.common.header -> facts_banner): a short note naming the command while the facts
    are stale, in the viewer's language; none on a database whose facts are fresh."""
    from tests.conftest import run_page
    at = run_page(old_db, "pages/fasilitas.py", monkeypatch)
    assert any("perbarui-fakta" in i.value and "dihitung langsung" in i.value for i in at.info), \
        [i.value for i in at.info]
    at = run_page(old_db, "pages/fasilitas.py", monkeypatch, lang="en")
    assert any("perbarui-fakta" in i.value and "computed live" in i.value for i in at.info)
    at = run_page(fixture_db, "pages/fasilitas.py", monkeypatch)
    assert not any("perbarui-fakta" in i.value for i in at.info)
