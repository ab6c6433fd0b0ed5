"""SPM year to date and the ILP network per kecamatan computed at import (issue 14).

The SPM questions (queries/spm/capaian_{puskesmas,kecamatan,kab_bulanan}.sql) read fakta_spm_kumulatif (the
cumulative numerator per Puskesmas x layanan x tahun x bulan), the network question (queries/ilp/
jaringan_kecamatan.sql) reads fakta_jaringan_kecamatan and fakta_jaringan_mulai (Puskesmas per ILP start date:
"started by today" is decided when asked). They are written by ilp/fakta.py from the rules queries/staging/
stg_{spm_kumulatif,jaringan_kecamatan,jaringan_mulai}_hitung.sql. The figures must be the live rule's: by hand on
the fixture, after imports of SPM numerators, facilities and staffing through the real import path, after a hand
write (the questions then read the live rule); a database from before these tables: tests/test_fakta_upgrade.py."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ilp import db, fakta
from ilp.ingest import runner
from tests.conftest import KAB

NEW_TABLES = ("fakta_spm_kumulatif", "fakta_jaringan_kecamatan", "fakta_jaringan_mulai")
_COUNT = {t: f"select count(*) from {t}" for t in NEW_TABLES}   # constant: names from above


def _asks(kab: str = KAB, tahun: int = 2026, kecs=("99.02.01", "99.02.02")) -> list[tuple[str, dict]]:
    out = []
    for bulan in (1, 2, 3, 4, 5, 12):
        for sumber in ("PUSDATIN", "DUKCAPIL"):
            p = dict(kab=kab, tahun=tahun, bulan=bulan, sumber_sasaran=sumber)
            out += [("spm/capaian_puskesmas", p), ("spm/capaian_kecamatan", p)]
    out += [("spm/capaian_kab_bulanan", dict(kab=kab, sumber_sasaran="PUSDATIN")),
            ("ilp/jaringan_kecamatan", dict(kab=kab, tahun=tahun, sumber_sasaran="PUSDATIN")),
            ("ilp/jaringan_desa_kab", dict(kab=kab))]
    out += [("ilp/jaringan_desa", dict(kec=k)) for k in kecs]
    return out


def _assert_facts_equal_live(con, asks=None) -> None:
    """Each question once on the fact tables and once on the live rule (fakta.shadow): the same frame."""
    assert fakta.fresh(con)
    for key, params in asks or _asks():
        q = db.query(key)
        a, b = fakta.facts_and_live(con, q.sql, {p: params[p] for p in q.params})
        assert a.equals(b), (key, params, a, b)


def _row(frame: pl.DataFrame, **where) -> dict:
    f = frame
    for k, v in where.items():
        f = f.filter(pl.col(k) == v)
    assert f.height == 1, (where, f)
    return f.row(0, named=True)


# ---------------------------------------------------------------- by hand, on the fixture

def test_spm_year_to_date_facts_by_hand(fixture_con):
    """Fixture: PK1 (Alpha) spm01 reported Jan 30, Feb 25, Mar 40; PK2 (Beta) spm08 Jan 70. Sasaran PUSDATIN: PK1 spm01
    100, PK2 spm08 50; DUKCAPIL: PK1 spm01 110."""
    con = fixture_con
    f = db.fetch_pl(con, "select * from fakta_spm_kumulatif where kode_puskesmas = 'PK1' and layanan = 'spm01' "
                         "order by bulan")
    assert f["bulan"].to_list() == list(range(1, 13))
    assert f["jumlah_bulan"].to_list() == [30, 25, 40] + [None] * 9          # a month with no report is missing, not 0
    assert f["pembilang"].to_list() == [30, 55, 95] + [95] * 9
    assert f["bulan_terakhir"].to_list() == [1, 2, 3] + [3] * 9
    assert set(f["kode_kab"]) == {KAB} and set(f["kode_kec"]) == {"99.02.01"}
    assert con.execute(_COUNT["fakta_spm_kumulatif"]).fetchall() == [(24,)]   # 2 Puskesmas x 1 service x 12 months

    p = db.run(con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=2, sumber_sasaran="PUSDATIN")
    r = _row(p, kode_puskesmas="PK1", layanan="spm01")
    assert (r["pembilang"], r["sasaran"], r["bulan_terakhir"], r["capaian_pct"]) == (55, 100, 2, pytest.approx(55.0))
    r = _row(p, kode_puskesmas="PK2", layanan="spm08")
    assert (r["pembilang"], r["capaian_pct"]) == (70, pytest.approx(140.0))         # above 100%: not clipped
    r = _row(p, kode_puskesmas="PK2", layanan="spm01")                              # nothing reported, no sasaran
    assert (r["pembilang"], r["sasaran"], r["bulan_terakhir"], r["capaian_pct"]) == (0, None, None, None)
    d = db.run(con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=12, sumber_sasaran="DUKCAPIL")
    r = _row(d, kode_puskesmas="PK1", layanan="spm01")
    assert (r["pembilang"], r["sasaran"], r["sumber_sasaran"], r["bulan_terakhir"]) == (95, 110, "DUKCAPIL", 3)
    assert r["capaian_pct"] == pytest.approx(100 * 95 / 110)

    k = db.run(con, "spm/capaian_kecamatan", kab=KAB, tahun=2026, bulan=3, sumber_sasaran="PUSDATIN")
    assert k.height == 2 * 12                                                        # every kecamatan x service
    r = _row(k, kode="99.02.01", layanan="spm01")
    assert (r["pembilang"], r["sasaran"], r["capaian_pct"]) == (95, 100, pytest.approx(95.0))
    r = _row(k, kode="99.02.02", layanan="spm08")
    assert (r["pembilang"], r["sasaran"], r["capaian_pct"]) == (70, 50, pytest.approx(140.0))
    assert _row(k, kode="99.02.02", layanan="spm01")["capaian_pct"] is None

    b = db.run(con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")
    assert b.select("layanan", "bulan", "pembilang_kumulatif").rows() == [
        ("spm01", 1, 30), ("spm01", 2, 55), ("spm01", 3, 95), ("spm08", 1, 70)]
    assert b["capaian_pct"].to_list() == pytest.approx([30.0, 55.0, 95.0, 140.0])


def test_network_facts_by_hand(fixture_con):
    """Fixture: Alpha has PK1 (rawat inap, ILP since 2024-07-01), Pustu PU1 (perawat 1 + bidan 1) and PU2 (the latest
    snapshot has perawat 0: an older one had 1), Posyandu PY1 (ILP, 5 kader) and PY2 (not ILP, 3 kader); Beta has PK2
    (status row, not started), Pustu PU3 (bidan 2 only), Posyandu PY3 (ILP, 4 kader). Sasaran balita 20 + 10, 8 + 4."""
    con = fixture_con
    net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    cols = ["kode", "n_desa", "desa_dengan_pustu", "n_pustu", "pustu_lengkap", "pustu_ada_data_tenaga", "n_puskesmas",
            "n_puskesmas_ranap", "puskesmas_ilp", "puskesmas_ada_status", "n_poskesdes", "n_posyandu", "posyandu_ilp",
            "posyandu_ada_status", "n_kader", "posyandu_ada_data_kader", "sasaran_balita"]
    assert net.select(cols).rows() == [
        ("99.02.01", 2, 2, 2, 1, 2, 1, 1, 1, 1, 0, 2, 1, 2, 8, 2, 30.0),
        ("99.02.02", 2, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 4, 1, 12.0)]
    assert net["nama"].to_list() == ["Alpha", "Beta"]
    # the start dates are kept, not today's count
    assert con.execute("select kode_kec, mulai, n_puskesmas from fakta_jaringan_mulai order by all").fetchall() == [
        ("99.02.01", dt.date(2024, 7, 1), 1)]
    # the desa questions: one rule (stg_jaringan_desa), the kecamatan one a filter of the district one
    kab = db.run(con, "ilp/jaringan_desa_kab", kab=KAB)
    assert kab.select("kode", "n_pustu", "perawat", "bidan", "n_posyandu", "kader", "posyandu_ilp").rows() == [
        ("99.02.01.2001", 1, 1, 1, 1, 5, 1), ("99.02.01.2002", 1, 0, 1, 1, 3, 0),
        ("99.02.02.1001", 0, None, None, 1, 4, 1), ("99.02.02.2002", 1, None, 2, 0, None, 0)]
    for kec in ("99.02.01", "99.02.02"):
        one = db.run(con, "ilp/jaringan_desa", kec=kec)
        assert one.equals(kab.filter(pl.col("kode_kec") == kec).drop("kode_kec")), kec


def test_facts_equal_the_live_rule_on_the_fixture(fixture_con):
    for t in NEW_TABLES:
        assert fixture_con.execute(_COUNT[t]).fetchall()[0][0] > 0, t
    _assert_facts_equal_live(fixture_con)
    _assert_facts_equal_live(fixture_con, _asks(kab="98.77", kecs=("98.77.01",)))   # no such district: no rows either way


def test_facts_equal_the_live_rule_on_the_demo(demo_db):
    con = db.connect(demo_db, read_only=True)
    try:
        kecs = [r[0] for r in con.execute("select kode from wilayah where level = 'kecamatan' and kode_kab = '99.01' "
                                          "order by 1 limit 3").fetchall()]
        for t in NEW_TABLES:
            assert con.execute(_COUNT[t]).fetchall()[0][0] > 0, t
        _assert_facts_equal_live(con, _asks(kab="99.01", kecs=kecs))
    finally:
        con.close()


# ---------------------------------------------------------------- through the import

def _csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_an_spm_import_refreshes_the_year_to_date(fixture_copy, tmp_path):
    """Two numerators imported the way Kelola Data does it: PK1 spm01 in May (April left unreported) and PK2 spm08
    in April. The year to date moves on; April stays missing for spm01 (no flat 0); the facts equal the live rule."""
    con = fixture_copy
    f = _csv(tmp_path / "spm.csv", "tahun,bulan,kode_puskesmas,kode_desa,layanan,jumlah,sumber\n"
                                   "2026,5,PK1,,spm01,10,uji\n2026,4,PK2,,spm08,5,uji\n")
    res = runner.run_import(con, "spm", f, f.name, "uji")
    assert res.status == "berhasil", res.problems
    assert fakta.fresh(con)
    b = db.run(con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")
    assert b.select("layanan", "bulan", "pembilang_kumulatif").rows() == [
        ("spm01", 1, 30), ("spm01", 2, 55), ("spm01", 3, 95), ("spm01", 5, 105), ("spm08", 1, 70), ("spm08", 4, 75)]
    p = db.run(con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=4, sumber_sasaran="PUSDATIN")
    r = _row(p, kode_puskesmas="PK1", layanan="spm01")
    assert (r["pembilang"], r["bulan_terakhir"]) == (95, 3)   # April: up to March, May not yet
    assert _row(p, kode_puskesmas="PK2", layanan="spm08")["capaian_pct"] == pytest.approx(150.0)
    _assert_facts_equal_live(con)


def test_rows_naming_a_facility_touch_its_kab(fixture_copy):
    """fakta_spm, tenaga, ilp_puskesmas and ilp_posyandu name a facility, not an area: the import touches the
    kab/kota of the facility's kecamatan (faskes); a code not in faskes touches nothing; no connection = every kab."""
    con = fixture_copy
    for table, col, code in (("fakta_spm", "kode_puskesmas", "PK1"), ("tenaga", "kode_faskes", "PU3"),
                             ("ilp_puskesmas", "kode_puskesmas", "PK2"), ("ilp_posyandu", "kode_posyandu", "PY1")):
        assert fakta.touched_kabs({table: pl.DataFrame({col: [code, None]})}, con=con) == [KAB], table
        assert fakta.touched_kabs({table: pl.DataFrame({col: ["TIDAK-ADA"]})}, con=con) == [], table
        assert fakta.touched_kabs({table: pl.DataFrame({col: [code]})}) is None, table
    assert fakta.touched_kabs({"tenaga": pl.DataFrame({"kode_faskes": ["PU1"]}),
                               "pengukuran": pl.DataFrame({"kode_desa": ["35.23.01.2001"]})}, con=con) == ["35.23", KAB]
    assert fakta.touched_kabs({}, replaced=["fakta_spm"], con=con) is None


def test_every_input_of_a_fact_table_says_which_kab_its_rows_touch():
    """The inputs each fact table reads (fakta.FACTS) are exactly those an import's rows are mapped to a kab/kota from
    (fakta.INPUTS by area code, fakta.INPUTS_FASKES by facility): an input missing there would never refresh."""
    read = set().union(*(ins for _, _, ins in fakta.FACTS))
    assert read == set(fakta.INPUTS) | set(fakta.INPUTS_FASKES)
    assert not set(fakta.INPUTS) & set(fakta.INPUTS_FASKES)


def test_an_import_refreshes_only_the_facts_that_read_its_tables(fixture_copy, monkeypatch):
    """An SPM import recomputes the SPM year to date of its kab/kota, not the per-child stunting facts (minutes on
    a large district); staffing refreshes the network; a facility list everything that reads faskes."""
    con = fixture_copy
    ran: list[str] = []
    real = fakta._exec
    monkeypatch.setattr(fakta, "_exec", lambda c, name, **p: (ran.append(name), real(c, name, **p))[1])
    cases = ((("fakta_spm", "kode_puskesmas", "PK1"),), ["hapus_spm_kumulatif", "isi_spm_kumulatif"]), \
            ((("tenaga", "kode_faskes", "PU1"),), ["hapus_jaringan_kecamatan", "hapus_jaringan_mulai",
                                                     "isi_jaringan_kecamatan", "isi_jaringan_mulai"]), \
            ((("faskes", "kode_kec", "99.02.01"),), [f"{v}_{n}" for v in ("hapus", "isi") for _, n, _ in fakta.FACTS])
    for tables, expected in cases:
        ran.clear()
        con.execute("begin transaction")
        frames = {t: pl.DataFrame({c: [v]}) for t, c, v in tables}
        assert fakta.refresh_for_import(con, frames) == [KAB]
        con.execute("commit")
        assert ran == expected + ["cap_simpan"], tables
        assert fakta.fresh(con)


def test_facility_and_staffing_imports_refresh_the_network(fixture_copy, tmp_path):
    """A staffing import (PU2 gets a perawat again: Alpha's Pustu both complete) and a facility import (a new
    Posyandu in Beta, a closed Pustu in Alpha) through the real import path: the network facts follow."""
    con = fixture_copy
    f = _csv(tmp_path / "tenaga.csv", "kode_faskes,jenis_tenaga,jumlah,per_tanggal,sumber\nPU2,perawat,1,2026-07-01,uji\n")
    res = runner.run_import(con, "tenaga", f, f.name, "uji")
    assert res.status == "berhasil", res.problems
    net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    assert _row(net, kode="99.02.01")["pustu_lengkap"] == 2
    _assert_facts_equal_live(con)

    f = _csv(tmp_path / "faskes.csv",
             "kode_faskes,nama,jenis,kode_kec,kode_desa,aktif\n"
             "PY4,Posyandu Empat,posyandu,99.02.02,99.02.02.2002,ya\n"
             "PU1,Pustu Satu,pustu,99.02.01,99.02.01.2001,tidak\n")
    res = runner.run_import(con, "faskes", f, f.name, "uji")
    assert res.status == "berhasil", res.problems
    assert fakta.fresh(con)
    net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    alpha, beta = _row(net, kode="99.02.01"), _row(net, kode="99.02.02")
    assert (alpha["n_pustu"], alpha["pustu_lengkap"], alpha["desa_dengan_pustu"]) == (1, 1, 1)
    assert (beta["n_posyandu"], beta["posyandu_ada_status"], beta["n_kader"], beta["posyandu_ada_data_kader"]) == (2, 1, 4, 1)
    _assert_facts_equal_live(con)


# ---------------------------------------------------------------- stale facts, old databases, today's date

def test_a_hand_write_shows_the_live_rule(fixture_copy):
    """A value changed by hand (no row count changes): the stamp sees it, the questions read the live rule, and a
    writable connect (fakta.ensure) recomputes the facts."""
    con = fixture_copy
    con.execute("update fakta_spm set jumlah = 50 where kode_puskesmas = 'PK1' and bulan = 1")
    assert not fakta.fresh(con)
    p = db.run(con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=2, sumber_sasaran="PUSDATIN")
    assert _row(p, kode_puskesmas="PK1", layanan="spm01")["pembilang"] == 75             # live, not the stale 55
    k = db.run(con, "spm/capaian_kecamatan", kab=KAB, tahun=2026, bulan=2, sumber_sasaran="PUSDATIN")
    assert _row(k, kode="99.02.01", layanan="spm01")["pembilang"] == 75
    assert db.run(con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")["pembilang_kumulatif"][0] == 50
    fakta.ensure(con)
    assert con.execute("select pembilang from fakta_spm_kumulatif where kode_puskesmas = 'PK1' and bulan = 2"
                       ).fetchall() == [(75,)]
    _assert_facts_equal_live(con)

    con.execute("update tenaga set jumlah = 1 where kode_faskes = 'PU2' and jenis_tenaga = 'perawat' "
                "and per_tanggal = date '2026-06-30'")
    assert not fakta.fresh(con)
    net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    assert _row(net, kode="99.02.01")["pustu_lengkap"] == 2                              # live, not the stale 1
    con.execute("update faskes set aktif = false where kode_faskes = 'PY3'")
    net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
    assert _row(net, kode="99.02.02")["n_posyandu"] == 0
    fakta.ensure(con)
    _assert_facts_equal_live(con)


def test_puskesmas_ilp_is_decided_when_asked(fixture_copy):
    """A Puskesmas counts as ILP once its start date has passed. The facts keep the date: the same facts give 1 or 0
    for Beta depending on the viewer's today (here two time zones 25 hours apart: the date in Kiritimati has already
    begun there and not yet in Pago Pago), with no import in between."""
    con = fixture_copy
    tomorrow_somewhere = con.execute("select (now() at time zone 'Pacific/Kiritimati')::date").fetchall()[0][0]
    con.execute("begin transaction")
    con.execute("update ilp_puskesmas set mulai = $d where kode_puskesmas = 'PK2'", {"d": tomorrow_somewhere})
    assert fakta.refresh_for_import(con, {"ilp_puskesmas": pl.DataFrame({"kode_puskesmas": ["PK2"]})}) == [KAB]
    con.execute("commit")
    assert fakta.fresh(con)
    assert con.execute("select kode_kec, mulai, n_puskesmas from fakta_jaringan_mulai order by all").fetchall() == [
        ("99.02.01", dt.date(2024, 7, 1), 1), ("99.02.02", tomorrow_somewhere, 1)]
    seen = {}
    try:
        for tz, sql in (("Pacific/Pago_Pago", "set global TimeZone = 'Pacific/Pago_Pago'"),
                        ("Pacific/Kiritimati", "set global TimeZone = 'Pacific/Kiritimati'")):
            con.execute(sql)
            net = db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN")
            seen[tz] = _row(net, kode="99.02.02")["puskesmas_ilp"]
    finally:
        con.execute("reset global TimeZone")
    assert seen == {"Pacific/Pago_Pago": 0, "Pacific/Kiritimati": 1}
    assert fakta.fresh(con)


def test_a_facility_moved_to_another_kab_refreshes_both(fixture_copy, tmp_path):
    """Pustu PU1 (kecamatan Alpha of 99.02) is listed again in kecamatan 99.03.01 of another kab/kota: the network
    facts of 99.02 no longer count it (before the fix only the kab/kota it entered was refreshed, so 99.02 kept it
    while the stamp said fresh), 99.03 counts it, and both equal the live rule."""
    con = fixture_copy
    before = _row(db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN"), kode="99.02.01")
    f = _csv(tmp_path / "wil.csv", "kode,nama,level\n99.03,Kabupaten Sebelah,kabkota\n99.03.01,Gamma,kecamatan\n"
                                   "99.03.01.2001,Desa Gamma,desa\n")
    res = runner.run_import(con, "wilayah", f, f.name, "uji")
    assert res.status == "berhasil", res.problems
    assert fakta.kabs_left(con, {"faskes": pl.DataFrame({"kode_faskes": ["PU1", "TIDAK-ADA", None]})}) == [KAB]
    f = _csv(tmp_path / "faskes.csv", "kode_faskes,nama,jenis,kode_kec,kode_desa,aktif\n"
                                      "PU1,Pustu Satu,pustu,99.03.01,99.03.01.2001,ya\n")
    res = runner.run_import(con, "faskes", f, f.name, "uji")
    assert res.status == "berhasil", res.problems
    assert fakta.fresh(con)
    alpha = _row(db.run(con, "ilp/jaringan_kecamatan", kab=KAB, tahun=2026, sumber_sasaran="PUSDATIN"), kode="99.02.01")
    assert alpha["n_pustu"] == before["n_pustu"] - 1
    gamma = _row(db.run(con, "ilp/jaringan_kecamatan", kab="99.03", tahun=2026, sumber_sasaran="PUSDATIN"),
                 kode="99.03.01")
    assert gamma["n_pustu"] == 1
    _assert_facts_equal_live(con)
    _assert_facts_equal_live(con, _asks(kab="99.03", kecs=("99.03.01",)))
