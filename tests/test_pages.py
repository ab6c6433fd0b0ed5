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
