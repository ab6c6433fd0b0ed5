"""Each page runs under streamlit.testing.v1.AppTest without an exception, in both languages."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["pages/ringkasan.py", "pages/peta.py", "pages/stunting.py", "pages/fasilitas.py",
         "pages/spm.py", "pages/kelola.py"]


def _run(db_path, page, monkeypatch, lang="id", query=None):
    monkeypatch.setenv("ILP_DB", str(db_path))
    monkeypatch.delenv("ILP_EDITORS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang != "id":
        at.query_params["lang"] = lang
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_on_fixture(page, fixture_db, monkeypatch):
    _run(fixture_db, page, monkeypatch)


@pytest.fixture(scope="module")
def sparse_db(fixture_db, tmp_path_factory):
    """A real district as it first arrives: code list, boundaries and Puskesmas only."""
    import shutil

    from ilp import db
    p = tmp_path_factory.mktemp("sparse") / "sparse.duckdb"
    shutil.copy(fixture_db, p)
    con = db.connect(p)
    for table in ("pengukuran", "rekap_stunting", "fakta_spm", "sasaran", "tenaga", "ilp_puskesmas", "ilp_posyandu",
                  "survei_stunting", "meta"):
        con.execute("delete from " + table)  # noqa: S608 - fixed table names
    con.execute("delete from faskes where jenis <> 'puskesmas'")
    con.execute("delete from target where tingkat = 'kabkota'")
    con.close()
    return p


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"ind": "stunting_prevalensi", "kec": "99.02.01", "faskes": "1"},
                                   {"ind": "desa_dengan_pustu", "kec": "99.02.02"}, {"ind": "spm08"}])
def test_page_on_sparse_district(page, query, sparse_db, monkeypatch):
    _run(sparse_db, page, monkeypatch, query=query)


@pytest.mark.parametrize("page", PAGES)
def test_page_on_demo(page, demo_db, monkeypatch):
    at = _run(demo_db, page, monkeypatch)
    assert any("DATA CONTOH" in w.value for w in at.warning), "demo banner missing"


@pytest.mark.parametrize("page", PAGES)
def test_page_english(page, demo_db, monkeypatch):
    at = _run(demo_db, page, monkeypatch, lang="en")
    assert any("SAMPLE DATA" in w.value for w in at.warning)


def test_drilldown_via_url(demo_db, monkeypatch):
    at = _run(demo_db, "pages/peta.py", monkeypatch,
              query={"ind": "desa_dengan_pustu", "kec": "99.01.01", "faskes": "1"})
    assert any("99.01.01" in str(s.value) or "Desa/kelurahan di Kecamatan" in s.value for s in at.subheader)
    at2 = _run(demo_db, "pages/stunting.py", monkeypatch, query={"kec": "99.01.02"})
    assert any("Kecamatan" in s.value for s in at2.subheader)


def test_kelola_needs_editor(fixture_db, monkeypatch):
    from ilp.passwords import hash_password, verify
    at = _run(fixture_db, "pages/kelola.py", monkeypatch)
    assert any("Belum ada editor" in i.value for i in at.info)  # explains how to add one
    assert not at.get("file_uploader")                           # and offers no upload
    monkeypatch.setenv("ILP_EDITORS", "dinkes=" + hash_password("rahasia-uji"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/kelola.py")
    at.run()
    assert [t.label for t in at.text_input][:2] == ["Nama pengguna / Username", "Kata sandi / Password"]
    assert not at.get("file_uploader")
    h = hash_password("rahasia-uji")
    assert verify("rahasia-uji", h) and not verify("salah", h) and "rahasia" not in h
    # a logged-in editor (session) sees the import kinds and the uploader
    at.session_state["editor"] = "dinkes"
    at.run()
    assert not at.exception
    assert any("dinkes" in s.value for s in at.success)
    assert any("eppgbm" in str(o) for sb in at.selectbox for o in sb.options)
    assert at.get("file_uploader")
    # the district-target editor saves through the validated import path and logs it
    at.button(key="target_save").click()
    at.run()
    assert not at.exception
    assert any("diimpor" in s.value for s in at.success), [s.value for s in at.success] + [e.value for e in at.error]
