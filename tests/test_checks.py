"""Data tests (queries/quality/checks, ilp.checks): every rule holds on the fixtures and the demo, and each
rule catches a row that breaks it."""
import duckdb
import polars as pl
import pytest

from ilp import checks, db
from tests.conftest import KAB

EXPECTED = {"wilayah_induk", "batas_tanpa_wilayah", "faskes_tanpa_wilayah", "faskes_koordinat",
            "wilayah_kerja_kunci", "tenaga_tanpa_faskes", "sasaran_unit", "fakta_spm_kunci", "pengukuran_desa",
            "ukur_ronde_unik", "rekap_rentang", "survei_rentang"}


def test_every_check_is_found_and_titled():
    assert set(checks.names()) == EXPECTED
    for n in checks.names():
        q = db.query(checks.PREFIX + n)
        assert q.params == ("kab",), n


@pytest.mark.parametrize("kab", [None, KAB])
def test_checks_hold_on_the_fixtures(fixture_con, rounds_con, kab):
    for con in (fixture_con, rounds_con):
        bad = [(r.name, r.rows.height) for r in checks.run_checks(con, kab=kab) if not r.ok]
        assert bad == []


@pytest.mark.slow
def test_checks_hold_on_the_demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        res = checks.run_checks(con)
        assert [r.name for r in res if not r.ok] == []
        assert len(res) == len(EXPECTED)
    finally:
        con.close()


def _by_name(con, kab=KAB) -> dict[str, checks.CheckResult]:
    return {r.name: r for r in checks.run_checks(con, kab=kab)}


def test_each_rule_catches_what_breaks_it(fixture_copy):
    c = fixture_copy
    c.execute("insert into wilayah values ('99.02.09.2001', 'desa', 'Yatim', '99.02.09', '99.02', '99.02.09', 'desa', 'UJI')")
    c.execute("insert into faskes (kode_faskes, nama, jenis, kode_kec, kode_desa, kode_induk, lat, lon, aturan_lokasi, sumber) values "
              "('PX1', 'Pustu Salah Desa', 'pustu', '99.02.01', '99.02.02.1001', 'PK1', -6.9, 110.1, 'kode', 'uji'), "
              "('PX2', 'Pustu Induk Salah', 'pustu', '99.02.01', null, 'PY1', -6.9, 110.1, 'kode', 'uji'), "
              "('PX3', 'Pustu Di Laut', 'pustu', '99.02.01', null, 'PK1', 52.1, 4.3, 'kode', 'uji')")
    c.execute("insert into wilayah_kerja values ('PU1', '99.02.01.2001', 'uji')")  # a Pustu is not a Puskesmas
    c.execute("insert into tenaga values ('HILANG', 'bidan', 1, date '2026-06-30', 'uji', null)")
    c.execute("insert into sasaran values (2026, '99.02.01.2001', 'desa', 'spm99', 'PUSDATIN', 5, null), "
              "(2026, '99.02.07.2001', 'desa', 'spm04', 'PUSDATIN', 5, null)")
    c.execute("insert into fakta_spm values (2026, 4, 'PK1', '99.02.01.2009', 'spm01', 3, 'uji', null), "
              "(2026, 4, 'PKX', '', 'spm01', 3, 'uji', null)")
    c.execute("insert into rekap_stunting values ('2026-02', 'puskesmas', 'PKX', 5, 1, 0, null, null, null, 'uji', null), "
              "('2026-08', 'puskesmas', 'PK2', 5, 4, 3, null, null, null, 'uji', null), "
              "('2026-13', 'puskesmas', 'PK1', 5, 1, 0, null, null, null, 'uji', null)")
    c.execute("insert into survei_stunting values ('99.02', 'SKI', 2023, 20.0, 21.0, 25.0, 'uji', null), "
              "('98.01', 'SKI', 2023, 20.0, null, null, 'uji', null)")
    c.execute("insert into batas_wilayah select '99.02.08', 'kecamatan', geom_wkb, geojson, luas_km2, lat, lon, "
              "aturan_cocok, sumber, import_id from batas_wilayah where kode = '99.02.01'")
    r = _by_name(c)
    assert r["wilayah_induk"].rows["kode"].to_list() == ["99.02.09.2001"]
    assert r["batas_tanpa_wilayah"].rows["kode"].to_list() == ["99.02.08"]
    f = dict(r["faskes_tanpa_wilayah"].rows.select("kode_faskes", "masalah").rows())
    assert f == {"PX1": "kode_desa_di_kecamatan_lain", "PX2": "kode_induk"}
    assert r["faskes_koordinat"].rows["kode_faskes"].to_list() == ["PX3"]
    assert r["wilayah_kerja_kunci"].rows.select("kode_puskesmas", "masalah").rows() == [("PU1", "kode_puskesmas")]
    assert r["tenaga_tanpa_faskes"].rows.select("kode_faskes", "baris").rows() == [("HILANG", 1)]
    assert sorted(r["sasaran_unit"].rows.select("kode_unit", "masalah").rows()) == [
        ("99.02.01.2001", "layanan"), ("99.02.07.2001", "kode_unit")]
    assert sorted(r["fakta_spm_kunci"].rows.select("kode_puskesmas", "masalah").rows()) == [
        ("PK1", "kode_desa"), ("PKX", "kode_puskesmas")]
    assert sorted(r["rekap_rentang"].rows.select("periode", "kode_unit", "masalah").rows()) == [
        ("2026-02", "PKX", "kode_unit"), ("2026-08", "PK2", "jumlah"), ("2026-13", "PK1", "periode")]
    assert r["survei_rentang"].rows.select("kode_wilayah", "masalah").rows() == [("99.02", "selang")]
    # another district's survey row with an unknown code shows when every district is checked
    assert ("98.01", "kode_wilayah") in _by_name(c, kab=None)["survei_rentang"].rows.select("kode_wilayah", "masalah").rows()
    assert r["wilayah_induk"].title("id").startswith("Wilayah") and r["wilayah_induk"].title("en").startswith("Areas")


def test_measurement_rules(fixture_copy):
    c = fixture_copy
    c.execute("""insert into pengukuran (id_anak, jk, tgl_lahir, tgl_ukur, kode_desa, kode_posyandu, kode_puskesmas,
                 haz, flag_haz, sumber) values
                 ('z1', 1, date '2024-01-01', date '2026-02-05', '99.02.05.2001', null, null, 0.0, 0, 'DEMO'),
                 ('z2', 1, date '2024-01-01', date '2026-02-05', '99.02.01.2001', 'PYX', 'PK2', 0.0, 0, 'DEMO'),
                 ('z3', 1, date '2024-01-01', date '2026-02-06', '99.02.01.2001', null, 'PU1', 0.0, 0, 'DEMO'),
                 ('z4', 1, date '2024-01-01', date '2026-02-06', '98.05.01.2001', null, null, 0.0, 0, 'DEMO')""")
    rows = _by_name(c)["pengukuran_desa"].rows
    assert rows.select("kolom", "kode", "pengukuran").rows() == [
        ("kode_desa", "99.02.05.2001", 1), ("kode_posyandu", "PYX", 1), ("kode_puskesmas", "PU1", 1)]
    # a desa of another district (by its code) is not this district's problem, but shows for the whole database
    assert _by_name(c, kab=None)["pengukuran_desa"].rows.height == 4
    assert _by_name(c)["ukur_ronde_unik"].ok  # z2, z3 are two children; the staging view keeps one row each
