"""Ringkasan and Stunting under AppTest: recap-only, child-level and sparse districts; a new indicator
added as one registry declaration appears on Ringkasan and in the map choices."""
from __future__ import annotations

import shutil

import pytest

from ilp import db, indicators
from tests.conftest import run_page


def _run(db_path, page, monkeypatch, lang="id", query=None):
    return run_page(db_path, page, monkeypatch, lang, query)


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info] \
        + [w.value for w in at.warning] + [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def recap_db(fixture_db, tmp_path_factory):
    """Code list, boundaries, Puskesmas and a Puskesmas recap only (no child measurements)."""
    p = tmp_path_factory.mktemp("recap") / "recap.duckdb"
    shutil.copy(fixture_db, p)
    con = db.connect(p)
    con.execute("delete from pengukuran")
    con.close()
    return p


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ringkasan_recap_only(recap_db, monkeypatch, lang):
    at = _run(recap_db, "pages/ringkasan.py", monkeypatch, lang=lang)
    txt = _text(at)
    assert ("rekap Puskesmas" if lang == "id" else "Puskesmas recap") in txt
    assert ("23,5%" if lang == "id" else "23.5%") in txt          # 4 stunted of 17 measured
    assert "None" not in txt and "nan%" not in txt


def test_stunting_page_recap_only(recap_db, monkeypatch):
    at = _run(recap_db, "pages/stunting.py", monkeypatch, query={"kec": "99.02.01"})
    txt = _text(at)
    assert "rekap Puskesmas" in txt and "Februari 2026" in txt
    assert any(m.value == "23,5%" for m in at.metric)
    assert "data anak (e-PPGBM)" in txt                              # no desa detail from a recap


def test_stunting_page_with_both_sources(fixture_db, monkeypatch):
    at = _run(fixture_db, "pages/stunting.py", monkeypatch)
    txt = _text(at)
    assert "e-PPGBM" in txt


def test_pages_on_empty_district(fixture_db, tmp_path, monkeypatch):
    p = tmp_path / "empty.duckdb"
    shutil.copy(fixture_db, p)
    con = db.connect(p)
    for table in ("pengukuran", "rekap_stunting", "survei_stunting"):
        con.execute("delete from " + table)  # noqa: S608 - fixed table names
    con.close()
    at = _run(p, "pages/stunting.py", monkeypatch)
    assert any("Belum ada data stunting rutin" in i.value for i in at.info)
    _run(p, "pages/ringkasan.py", monkeypatch)


@pytest.fixture
def extra_indicator(tmp_path, monkeypatch):
    """A temporary registry: the real one plus one new declaration."""
    reg = tmp_path / "indicators.toml"
    reg.write_text(indicators.REGISTRY_FILE.read_text(encoding="utf-8") + '''
[posyandu_per_desa_uji]
nama_id = "Posyandu per desa (uji registri)"
nama_en = "Posyandu per desa (registry test)"
klaster = "Manajemen (jejaring)"
query = "ilp/jaringan_kecamatan"
numerator = "n_posyandu"
denominator = "n_desa"
denominator_id = "desa + kelurahan"
denominator_en = "desa + kelurahan"
scale = 1
unit = ""
direction = "naik"
classes = [0, 1, 2]
class_labels_id = ["<1", "1–<2", "≥2"]
class_labels_en = ["<1", "1–<2", "≥2"]
official = false
period_kind = "snapshot"
headline = true
''', encoding="utf-8")
    monkeypatch.setattr(indicators, "REGISTRY_FILE", reg)
    indicators.registry.cache_clear()
    yield "posyandu_per_desa_uji"
    monkeypatch.undo()
    indicators.registry.cache_clear()


def test_new_indicator_is_one_declaration(extra_indicator, fixture_db, monkeypatch):
    assert extra_indicator in indicators.map_choices()
    assert extra_indicator in indicators.headline_ids()
    at = _run(fixture_db, "pages/ringkasan.py", monkeypatch, query={"ind": extra_indicator})
    box = next(s for s in at.selectbox if s.key == "w_ind")
    assert "Posyandu per desa (uji registri)" in box.options
    assert box.value == extra_indicator
    # fixture: Alpha 2 Posyandu / 2 desa = 1.0, Beta 1 / 2 = 0.5
    from ilp import content
    m = content.build(lambda k, **p: db.run(db.connect(fixture_db, read_only=True), k, **p), "99.02",
                      map_indicator=extra_indicator)
    assert dict(zip(m.map.classed["kode"], m.map.classed["nilai"])) == {"99.02.01": 1.0, "99.02.02": 0.5}
    # ... and it is a headline card: 3 Posyandu / 4 desa over the district, no target in the table or registry
    card = next(c for c in m.cards if c["key"] == extra_indicator)
    assert card["value"] == pytest.approx(0.75) and card["status"] == "abu" and card["project"]


def _headers_and_cells(at):
    import re
    for d in at.dataframe:
        df = d.value
        for c in df.columns:
            assert not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", str(c)), c
        yield list(df.columns), " ".join(str(v) for v in df.astype(str).to_numpy().ravel())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_stunting_page_readable_without_survey_target_on_routine(demo_db, monkeypatch, lang):
    """Issue 13: no 'IK95%'/'None', no internal column names; the per-kecamatan target table has no target or gap
    column when the district set no ROUTINE target (the demo sets none), and its pace columns are labelled."""
    at = _run(demo_db, "pages/stunting.py", monkeypatch, lang=lang)
    text = _text(at)
    assert "IK95%" not in text and "CI95" not in text and "None" not in text and "Kueri" not in text
    tables = list(_headers_and_cells(at))
    assert all("None" not in cells and "nan" not in cells for _, cells in tables)
    pace = "Laju turun (%/tahun)" if lang == "id" else "Rate of decline (%/year)"
    heads = next(h for h, _ in tables if pace in h)
    assert ("Target" not in heads) and all("Aarr" not in h for h in heads)
    if lang == "en":
        assert "balita diukur" not in text and "Rentang" not in text


def test_ringkasan_priority_has_quality_column(demo_db, monkeypatch):
    at = _run(demo_db, "pages/ringkasan.py", monkeypatch)
    tables = list(_headers_and_cells(at))
    assert any("Mutu data" in h for h, _ in tables)
    assert any("(/mutu)" in c.value for c in at.caption)
    # the map names its kecamatan (charts.choropleth labels): a text trace on the first map
    import json
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(tr.get("mode", "").startswith("text") for tr in figs[0]["data"])
