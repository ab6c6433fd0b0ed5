"""The Mutu Data page runs headless (AppTest) on the fixture, the demo (both languages, a unit from the URL) and an
empty district, shows verdicts and rules, and never shows nan/None/inf."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT, run_page

PAGE = "pages/mutu.py"
BAD = re.compile(r"\b(nan|NaN|None|inf)\b")


def _run(db_path, monkeypatch, lang="id", query=None):
    return run_page(db_path, PAGE, monkeypatch, lang, query, timeout=180)


def _texts(at) -> list[str]:
    out = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    for df in at.dataframe:
        v = df.value
        out += [str(x) for x in (v.to_pylist() if hasattr(v, "to_pylist") else v.to_dict("records"))]
    return out


def test_page_on_fixture(fixture_db, monkeypatch):
    at = _run(fixture_db, monkeypatch)
    assert any("Hasil pemeriksaan" in s.value for s in at.subheader)
    assert not [x for x in _texts(at) if BAD.search(x)]


def test_page_run_does_not_build_the_excel_report(fixture_db, monkeypatch):
    """The Excel report is generated when its button is clicked, not on every run of the page (issue 14: it was
    58 of the 60 s of a round change on a big kabupaten)."""
    from ilp.mutu import report
    built = []
    monkeypatch.setattr(report, "xlsx_bytes", lambda frames: built.append(1) or b"")
    at = _run(fixture_db, monkeypatch)
    assert any("Hasil pemeriksaan" in s.value for s in at.subheader)
    assert built == []


def test_page_on_demo_names_the_faulty_puskesmas(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch)
    assert any("DATA CONTOH" in w.value for w in at.warning)
    texts = " ".join(_texts(at))
    assert "tinggi dibulatkan" in texts and "sebaran TB/U tidak wajar" in texts
    assert "cara ukur tidak sesuai umur" in texts and "umur menumpuk di 12/24/36/48 bulan" in texts
    assert "WHO/UNICEF 2019" in texts and "SMART" in texts
    assert not [x for x in _texts(at) if BAD.search(x)]


def test_page_demo_unit_from_url_english(demo_db, monkeypatch):
    from functools import partial

    from ilp import db, mutu
    con = db.connect(demo_db, read_only=True)
    try:
        m = mutu.marks(partial(db.run, con), "99.01")
    finally:
        con.close()
    pkm = m.filter(m["checks"].list.contains("digit_tinggi") & (m["tingkat"] == "puskesmas")).row(0, named=True)
    at = _run(demo_db, monkeypatch, lang="en", query={"tingkat": "puskesmas", "unit": pkm["kode"]})
    assert any(pkm["nama"] in s.value and "Checks" in s.value for s in at.subheader)
    texts = " ".join(_texts(at))
    assert "Heights rounded (DPS" in texts and "Needs attention" in texts
    assert any("SAMPLE DATA" in w.value for w in at.warning)


@pytest.fixture
def empty_db(fixture_db, tmp_path):
    import shutil

    from ilp import db
    p = tmp_path / "empty.duckdb"
    shutil.copy(fixture_db, p)
    con = db.connect(p)
    con.execute("delete from pengukuran")
    con.execute("delete from rekap_stunting")
    con.close()
    return p


def test_page_without_measurements(empty_db, monkeypatch):
    at = _run(empty_db, monkeypatch)
    assert any("Belum ada data pengukuran" in i.value for i in at.info)


def test_page_imports_neither_polars_nor_plotly():
    import ast
    tree = ast.parse((ROOT / PAGE).read_text(encoding="utf-8"))
    mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    mods |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not mods & {"polars", "plotly", "duckdb"}
