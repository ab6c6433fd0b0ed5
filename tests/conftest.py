"""Shared fixtures: a small hand-made fixture database with known answers, and the shared data folder."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from ilp import db, fakta

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
KAB = "99.02"


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory, monkeypatch):
    """The one environment fixture: tests never write the database, uploads or the NIK salt outside
    their temporary folders, and run under the documented defaults (a test that needs another value
    sets it with monkeypatch)."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("ILP_DB", str(base / "no-database-chosen" / "ilp.duckdb"))
    monkeypatch.setenv("ILP_UPLOADS", str(base / "uploads"))
    monkeypatch.delenv("ILP_ROUND_MIN_SHARE", raising=False)  # the documented default rule, whatever the shell says
    if "ILP_SALT_FILE" not in __import__("os").environ:
        monkeypatch.setenv("ILP_SALT_FILE", str(base / "salt" / "salt"))


@pytest.fixture(scope="session", autouse=True)
def _component_scan_once():
    """Every AppTest scans all installed distributions for Streamlit v2 component manifests (~0.15 s
    each, ~50 AppTests in the fast loop); the installed packages do not change during a session, so the
    scan runs once and its answer is reused."""
    import functools

    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:   # a Streamlit without v2 components: nothing to share
        yield
        return
    original = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(original)
    yield
    manifest_scanner.scan_component_manifests = original


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data tidak tersedia")
    return SHARED


def _square(x0, y0, s=0.1):
    # clockwise outer ring, as plotly's geo choropleth expects (see ilp.geo.map_geojson)
    ring = [[x0, y0], [x0, y0 + s], [x0 + s, y0 + s], [x0 + s, y0], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def build_fixture(con) -> None:
    """Kab 99.02 'Kabupaten Uji': 2 kecamatan, 4 desa (1 kelurahan), 2 Puskesmas, known measurements."""
    from shapely import from_geojson, to_wkb

    # layanan_spm, national targets and the national survey series are seeded by db.connect
    w = pl.DataFrame({
        "kode": ["99", "99.02", "99.02.01", "99.02.02", "99.02.01.2001", "99.02.01.2002", "99.02.02.1001", "99.02.02.2002"],
        "level": ["provinsi", "kabkota", "kecamatan", "kecamatan", "desa", "desa", "desa", "desa"],
        "nama": ["Provinsi Uji", "Kabupaten Uji", "Alpha", "Beta", "Satu", "Dua", "Tiga", "Empat"],
        "parent": [None, "99", "99.02", "99.02", "99.02.01", "99.02.01", "99.02.02", "99.02.02"],
        "kode_kab": [None, "99.02", "99.02", "99.02", "99.02", "99.02", "99.02", "99.02"],
        "kode_kec": [None, None, None, None, "99.02.01", "99.02.01", "99.02.02", "99.02.02"],
        "jenis": ["provinsi", "kabupaten", "kecamatan", "kecamatan", "desa", "desa", "kelurahan", "desa"],
        "versi": ["UJI"] * 8,
    })
    con.execute("insert into wilayah by name select * from w")
    geoms = {"99.02.01": _square(110.0, -7.0, 0.2), "99.02.02": _square(110.2, -7.0, 0.2),
             "99.02.01.2001": _square(110.0, -7.0), "99.02.01.2002": _square(110.1, -7.0),
             "99.02.02.1001": _square(110.2, -7.0), "99.02.02.2002": _square(110.3, -7.0)}
    b = pl.DataFrame({
        "kode": list(geoms), "level": ["kecamatan" if k.count(".") == 2 else "desa" for k in geoms],
        "geom_wkb": [to_wkb(from_geojson(g)) for g in geoms.values()], "geojson": list(geoms.values()),
        "luas_km2": [1.0] * 6, "lat": [-6.95] * 6, "lon": [110.05] * 6, "aturan_cocok": ["kode"] * 6,
        "sumber": ["fixture"] * 6, "import_id": [None] * 6}).with_columns(pl.col("import_id").cast(pl.String))
    con.execute("insert into batas_wilayah by name select * from b")
    fk = pl.DataFrame({
        "kode_faskes": ["PK1", "PK2", "PU1", "PU2", "PU3", "PY1", "PY2", "PY3"],
        "nama": ["Puskesmas Alpha", "Puskesmas Beta", "Pustu Satu", "Pustu Dua", "Pustu Empat",
                 "Posyandu Satu", "Posyandu Dua", "Posyandu Tiga"],
        "jenis": ["puskesmas", "puskesmas", "pustu", "pustu", "pustu", "posyandu", "posyandu", "posyandu"],
        "rawat_inap": [True, False, None, None, None, None, None, None],
        "kode_kec": ["99.02.01", "99.02.02", "99.02.01", "99.02.01", "99.02.02", "99.02.01", "99.02.01", "99.02.02"],
        "kode_desa": ["99.02.01.2001", "99.02.02.1001", "99.02.01.2001", "99.02.01.2002", "99.02.02.2002",
                      "99.02.01.2001", "99.02.01.2002", "99.02.02.1001"],
        "kode_induk": [None, None, "PK1", "PK1", "PK2", "PK1", "PK1", "PK2"],
        "lat": [-6.95] * 8, "lon": [110.05] * 8, "aturan_lokasi": ["kode"] * 8, "sumber": ["fixture"] * 8,
    })
    con.execute("insert into faskes by name select * from fk")
    wk = pl.DataFrame({"kode_puskesmas": ["PK1", "PK1", "PK2", "PK2"],
                       "kode_desa": ["99.02.01.2001", "99.02.01.2002", "99.02.02.1001", "99.02.02.2002"],
                       "sumber": ["fixture"] * 4})
    con.execute("insert into wilayah_kerja by name select * from wk")
    d = dt.date(2026, 6, 30)
    te = pl.DataFrame({
        "kode_faskes": ["PU1", "PU1", "PU2", "PU2", "PU3", "PY1", "PY2", "PY3"],
        "jenis_tenaga": ["perawat", "bidan", "perawat", "bidan", "bidan", "kader", "kader", "kader"],
        "jumlah": [1, 1, 0, 1, 2, 5, 3, 4], "per_tanggal": [d] * 8, "sumber": ["fixture"] * 8})
    con.execute("insert into tenaga by name select * from te")
    # an older snapshot that must be ignored (PU2 used to have a perawat)
    con.execute("insert into tenaga values ('PU2', 'perawat', 1, date '2025-01-01', 'fixture', null)")
    con.execute("insert into ilp_puskesmas values ('PK1', 1, date '2024-07-01', true, 'fixture', null), "
                "('PK2', 2, null, false, 'fixture', null)")
    con.execute("insert into ilp_posyandu values ('PY1', true, true, date '2026-06-30', 'fixture', null), "
                "('PY2', false, true, date '2026-06-30', 'fixture', null), ('PY3', true, false, date '2026-06-30', 'fixture', null)")
    # sasaran and SPM: PK1 spm01 sasaran 100, Jan+Feb 30+25 -> 55%; PK2 spm08 sasaran 50, 70 -> 140% (not clipped)
    con.execute("""insert into sasaran values
        (2026, 'PK1', 'puskesmas', 'spm01', 'PUSDATIN', 100, null),
        (2026, 'PK2', 'puskesmas', 'spm08', 'PUSDATIN', 50, null),
        (2026, 'PK1', 'puskesmas', 'spm01', 'DUKCAPIL', 110, null),
        (2026, '99.02.01.2001', 'desa', 'spm04', 'PUSDATIN', 20, null),
        (2026, '99.02.01.2002', 'desa', 'spm04', 'PUSDATIN', 10, null),
        (2026, '99.02.02.1001', 'desa', 'spm04', 'PUSDATIN', 8, null),
        (2026, '99.02.02.2002', 'desa', 'spm04', 'PUSDATIN', 4, null)""")
    con.execute("""insert into fakta_spm values
        (2026, 1, 'PK1', '', 'spm01', 30, 'fixture', null),
        (2026, 2, 'PK1', '', 'spm01', 25, 'fixture', null),
        (2026, 3, 'PK1', '', 'spm01', 40, 'fixture', null),
        (2026, 1, 'PK2', '', 'spm08', 70, 'fixture', null)""")
    # measurements, round 2026-02: desa 2001: 12 children: 3 pendek, 1 sangat pendek, 8 normal;
    # plus child c0 measured twice in the round (latest counts: normal), one flagged child (excluded).
    rows = []
    def m(cid, desa, day, haz, flag=0):
        rows.append(dict(id_anak=cid, jk=1, tgl_lahir=dt.date(2024, 1, 1), tgl_ukur=dt.date(2026, 2, day),
                         berat_kg=11.0, tinggi_cm=85.0, cara_ukur="H", kode_desa=desa, kode_posyandu=None,
                         kode_puskesmas=None, zs_tbu_lapor=haz, umur_hari=700, haz=haz, waz=0.0, whz=0.0,
                         baz=0.0, flag_haz=flag, flag_waz=0, flag_whz=0, flag_baz=0, sumber="DEMO", import_id=None))
    m("c0", "99.02.01.2001", 3, -2.5)
    m("c0", "99.02.01.2001", 20, -1.0)
    for i, z in enumerate([-2.1, -2.9, -2.0, -3.5, -1.0, 0.0, 0.5, -1.5, -1.9, 1.0, 0.2]):
        m(f"a{i}", "99.02.01.2001", 10, z)
    m("flagged", "99.02.01.2001", 10, -7.2, flag=1)
    for i in range(5):
        m(f"b{i}", "99.02.02.1001", 11, -0.5)
    # August round in desa 2001: 10 children, 1 stunted
    for i in range(10):
        rows.append(dict(rows[2], id_anak=f"a{i}", tgl_ukur=dt.date(2026, 8, 10), haz=-2.2 if i == 0 else 0.0))
    pg = pl.DataFrame(rows)
    con.execute("insert into pengukuran by name select * from pg")
    con.execute("""insert or replace into survei_stunting values
        ('99.02', 'SSGI', 2024, 21.0, 18.0, 24.0, 'fixture', null),
        ('00', 'SSGI', 2024, 19.8, null, null, 'fixture', null)""")
    con.execute("insert into target values ('stunting_prevalensi', 2026, 'kabkota', '99.02', 16.0, 'RPJMD Uji', null, null)")
    con.execute("""insert into rekap_stunting values
        ('2026-02', 'puskesmas', 'PK1', 12, 3, 1, 4, 33.3, null, 'fixture', null),
        ('2026-02', 'puskesmas', 'PK2', 5, 0, 0, 1, 20.0, 'pendek + sangat pendek (0) ≠ stunting dilaporkan (1)', 'fixture', null)""")
    db.set_meta(con, "kode_kab", KAB)
    db.set_meta(con, "nama_kab", "Kabupaten Uji")
    db.set_meta(con, "data_per", "2026-08-31")
    fakta.refresh(con)   # the facts, as an import or the demo build writes them


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fixture") / "fixture.duckdb"
    con = db.connect(path)
    build_fixture(con)
    con.close()
    return path


def open_copy(src: Path, dst: Path):
    """Copy a template database file (built by db.connect, so its schema, seeds and facts are current) and
    open the copy read-write. db.connect would re-run the idempotent schema script, staging views, seeds and
    fact check on every copy (~0.2 s each, a few hundred times a run); the copy is checked to carry this
    version's schema stamp instead, which is what makes skipping that work equivalent."""
    import shutil

    import duckdb
    shutil.copy(src, dst)
    c = duckdb.connect(str(dst))
    stamp = c.execute("select max(stamp) from skema").fetchall()[0][0]
    if stamp != db.schema_stamp():   # a template from another schema version: the full open
        c.close()
        c = db.connect(dst)
    return c


def writable_copy(src: Path, dst: Path):
    """Copy a template database file and yield a read-write connection to the copy (closed afterwards)."""
    c = open_copy(src, dst)
    yield c
    c.close()


def run_page(db_path, page, monkeypatch, lang="id", query=None, timeout=120, home_first=False):
    """The app under AppTest on `db_path`, opened on `page` (with `lang` and URL `query`); no exception.
    The page is opened directly, as a link to it does (the router runs once, on that page); `home_first` runs
    the default page (Ringkasan, the most expensive one) first and then switches, for a test about moving
    between pages in one session."""
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ILP_DB", str(db_path))
    monkeypatch.delenv("ILP_EDITORS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if lang != "id":
        at.query_params["lang"] = lang
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if home_first:
        at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def fixture_copy(fixture_db, tmp_path):
    """A writable copy of the fixture database, one per test."""
    yield from writable_copy(fixture_db, tmp_path / "db.duckdb")


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """Template for the import tests, built once per session: a new database (schema, seeds) with the few
    wilayah / faskes / layanan_spm rows of tests/make_bad_corpus.py. Take `corpus_con` for a writable copy
    (a file copy costs a fraction of setting a new database up)."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    import make_bad_corpus as mbc
    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    con = db.connect(path)
    mbc.load_fixture(con)
    fakta.refresh(con)   # the facts, as an import writes them (copies then read them, not the live rules)
    con.close()
    return path


@pytest.fixture
def corpus_con(corpus_db, tmp_path):
    """A writable copy of the corpus template (see corpus_db), one per test, at tmp_path / 'ilp.duckdb'."""
    yield from writable_copy(corpus_db, tmp_path / "ilp.duckdb")


def data_checksums(con) -> dict[str, str]:
    """Per-table checksums of the data tables (the import log may grow on a refused import)."""
    out = db.table_checksums(con)
    out.pop("import_log", None)
    return out


@pytest.fixture()
def fixture_con(fixture_db):
    """A read-only connection to the session's fixture database (shared by every test: a test that writes
    takes fixture_copy)."""
    con = db.connect(fixture_db, read_only=True)
    yield con
    con.close()


DEMO_SEED = int(__import__("os").environ.get("ILP_DEMO_TEST_SEED", "2024"))  # another seed can be tried by hand


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The full demo district, built ONCE per test session: (path, row counts per table). Open it
    read-only, or take `demo_copy` to write."""
    from ilp import demo
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    counts = demo.build(path, seed=DEMO_SEED)
    return path, counts


@pytest.fixture(scope="session")
def demo_db(demo_build) -> Path:
    """Path of the session's demo district (see demo_build)."""
    return demo_build[0]


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    """A writable copy of the demo database, one per test (import tests on the demo)."""
    yield from writable_copy(demo_db, tmp_path / "demo.duckdb")


_DEMO_FIXTURES = frozenset(("demo_build", "demo_db", "demo_copy"))


def pytest_collection_modifyitems(config, items):
    """A test that needs the full demo district is `slow` (pytest -m "not slow and not browser" is the
    fast inner loop): the marker follows the fixture, so it cannot be forgotten."""
    for item in items:
        if _DEMO_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def build_rounds_fixture(con) -> None:
    """The fixture district plus what the round and recap contracts need (answers in tests/test_queries.py):
    a third Puskesmas PK3 in kecamatan Alpha (catchment: desa Dua), so Alpha has two Puskesmas;
    rounds 2025-08 and 2026-02 with every desa and Puskesmas reporting, 2026-08 with one desa (provisional);
    the June 2024 serentak campaign; measurements on the edges of the weighing window; recaps per Puskesmas
    (2026-02: all three; 2026-08: PK1 only, from an import), per desa and per Puskesmas in the same periode
    (2025-08: only the desa rows count) and per kecamatan (2025-02)."""
    build_fixture(con)
    con.execute("insert into faskes (kode_faskes, nama, jenis, rawat_inap, kode_kec, kode_desa, lat, lon, aturan_lokasi, sumber) "
                "values ('PK3', 'Puskesmas Alpha Dua', 'puskesmas', false, '99.02.01', '99.02.01.2002', -6.95, 110.05, 'kode', 'fixture')")
    con.execute("delete from wilayah_kerja where kode_puskesmas = 'PK1' and kode_desa = '99.02.01.2002'")
    con.execute("insert into wilayah_kerja values ('PK3', '99.02.01.2002', 'fixture')")
    rows = []

    def m(cid, desa, day, haz, sumber="DEMO"):
        rows.append(dict(id_anak=cid, jk=2, tgl_lahir=dt.date(2023, 1, 1), tgl_ukur=day, berat_kg=11.0, tinggi_cm=85.0,
                         cara_ukur="H", kode_desa=desa, kode_posyandu=None, kode_puskesmas=None, zs_tbu_lapor=haz,
                         umur_hari=900, haz=haz, waz=0.0, whz=0.0, baz=0.0, flag_haz=0, flag_waz=0, flag_whz=0,
                         flag_baz=0, sumber=sumber, import_id=None))
    # 2025-08: all four desa; 20 July .. 10 September is the window
    for i, z in enumerate([-2.5, 0.0, 0.0, 0.0]):
        m(f"r{i}", "99.02.01.2001", dt.date(2025, 8, 12), z)
    for i in range(3):
        m(f"s{i}", "99.02.01.2002", dt.date(2025, 7, 25), -1.0)
    for i in range(2):
        m(f"t{i}", "99.02.02.1001", dt.date(2025, 9, 5), -3.2 if i == 0 else 0.0)
    m("u0", "99.02.02.2002", dt.date(2025, 8, 1), 0.0)
    # 2026-02: desa Dua measured on 20 and 25 January (in the window), desa Empat on 10 March (in the window)
    m("s0", "99.02.01.2002", dt.date(2026, 1, 20), -2.2)
    m("s1", "99.02.01.2002", dt.date(2026, 1, 25), 0.0)
    m("u0", "99.02.02.2002", dt.date(2026, 3, 10), 0.0)
    # outside every window: 19 January, 11 March, 15 May -> in no round
    m("x0", "99.02.01.2002", dt.date(2026, 1, 19), -2.5)
    m("x1", "99.02.01.2002", dt.date(2026, 3, 11), -2.5)
    m("x2", "99.02.02.2002", dt.date(2026, 5, 15), -2.5)
    # the June 2024 Intervensi Serentak: a campaign, not a round
    m("k0", "99.02.02.1001", dt.date(2024, 6, 12), -2.4, "SERENTAK_2024")
    m("k1", "99.02.02.1001", dt.date(2024, 6, 13), 0.0, "SERENTAK_2024")
    pg = pl.DataFrame(rows)
    con.execute("insert into pengukuran by name select * from pg")
    con.execute("insert into import_log values ('imp-agustus', timestamp '2026-09-01 10:00:00', 'uji', 'rekap', "
                "'rekap_agustus.xlsx', 'abc', 1, 1, 0, 'berhasil', null)")
    con.execute("""insert into rekap_stunting values
        ('2026-02', 'puskesmas', 'PK3', 8, 1, 1, 2, null, null, 'laporan PK3', null),
        ('2026-08', 'puskesmas', 'PK1', 10, 1, 0, 1, null, null, 'rekap Puskesmas', 'imp-agustus'),
        ('2025-08', 'desa', '99.02.01.2001', 6, 1, 0, null, null, null, 'fixture', null),
        ('2025-08', 'desa', '99.02.02.1001', 4, 1, 0, null, null, null, 'fixture', null),
        ('2025-08', 'puskesmas', 'PK1', 100, 10, 5, null, null, null, 'fixture', null),
        ('2025-02', 'kecamatan', '99.02.02', 30, 3, 0, null, null, null, 'fixture', null)""")
    fakta.refresh(con)


@pytest.fixture(scope="session")
def rounds_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rounds") / "rounds.duckdb"
    con = db.connect(path)
    build_rounds_fixture(con)
    con.close()
    return path


@pytest.fixture()
def rounds_con(rounds_db):
    con = db.connect(rounds_db, read_only=True)
    yield con
    con.close()
