"""Peta Cakupan as a planner's map (AppTest on the demo and the fixture): selectors only where they change the
map, the side panel of a selected kecamatan, the desa Pustu layer with two classes, the district-wide desa layer,
no gap table for an indicator without a target, and the indicator details instead of 'Kueri: ...'."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _run(db_path, monkeypatch, query, lang="id"):
    monkeypatch.setenv("ILP_DB", str(db_path))
    monkeypatch.delenv("ILP_EDITORS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    # the view's parameters after the start page ran (Ringkasan binds its own indicator to ?ind=)
    if lang != "id":
        at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page("pages/peta.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _figs(at):
    import json
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_snapshot_indicator_has_no_period_selector(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "pustu_lengkap"})
    labels = [s.label for s in at.selectbox]
    assert "Tahun" not in labels and "Sumber sasaran (penyebut)" not in labels and "Ronde penimbangan" not in labels
    # target 100%: ranked by gap; the details panel names the project status and the legend rule
    assert any(s.value == "Peringkat kecamatan menurut selisih terhadap target" for s in at.subheader)
    md = " ".join(m.value for m in at.markdown)
    assert "Didefinisikan oleh proyek ini" in md and "Aturan legenda" in md and "Kueri:" not in md


def test_sasaran_indicator_keeps_year_and_source(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "posyandu_per_1000_balita"})
    labels = [s.label for s in at.selectbox]
    assert "Tahun" in labels and "Sumber sasaran (penyebut)" in labels


def test_no_gap_table_without_target(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "posyandu_per_desa"})
    heads = [s.value for s in at.subheader]
    assert "Peringkat kecamatan menurut nilai" in heads
    assert "Peringkat kecamatan menurut selisih terhadap target" not in heads


def test_selected_kecamatan_panel_and_two_class_pustu_layer(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "desa_dengan_pustu", "kec": "99.01.01", "faskes": "1"})
    heads = [s.value for s in at.subheader]
    assert any(h.startswith("Kecamatan ") for h in heads) and any(h.startswith("Desa/kelurahan di Kecamatan") for h in heads)
    md = " ".join(m.value for m in at.markdown)
    assert "Peringkat" in md and "dari" in md and "Fasilitas di kecamatan ini" in md and "Puskesmas" in md
    figs = _figs(at)
    desa = figs[-1]
    legend = [tr.get("name") for tr in desa["data"] if tr.get("showlegend") and tr.get("type") == "scattergeo"
              and tr.get("lon") == [None]]
    assert legend[:2] == ["Belum ada Pustu", "Ada Pustu"] and len(legend) <= 3   # two classes (+ no data)
    # every map sends its geometry once
    for f in figs:
        if f["data"] and f["data"][0].get("type") == "choropleth":
            assert sum(1 for tr in f["data"] if tr.get("geojson")) <= 2


def test_stunting_panel_trend_and_district_desa_layer(demo_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "stunting_prevalensi", "kec": "99.01.02"})
    labels = [s.label for s in at.selectbox]
    assert "Ronde penimbangan" in labels and "Tingkat peta" in labels and "Tahun" not in labels
    assert any("Tren kecamatan" in m.value for m in at.markdown)
    at = _run(demo_db, monkeypatch, {"ind": "stunting_prevalensi", "lapis": "desa"})
    main = _figs(at)[0]
    geo = next(tr for tr in main["data"] if tr.get("geojson"))
    assert len(geo["locations"]) > 100     # every desa of the district, not one kecamatan's


def test_peta_english_and_fixture(demo_db, fixture_db, monkeypatch):
    at = _run(demo_db, monkeypatch, {"ind": "desa_dengan_pustu", "kec": "99.01.01"}, lang="en")
    assert any("About this indicator" in e.label for e in at.expander)
    _run(fixture_db, monkeypatch, {"ind": "stunting_prevalensi", "kec": "99.02.01", "lapis": "desa"})
    _run(fixture_db, monkeypatch, {"ind": "desa_dengan_pustu", "lapis": "desa"})


def test_fasilitas_pustu_map_two_classes(demo_db, fixture_db, monkeypatch):
    for db_path in (demo_db, fixture_db):
        monkeypatch.setenv("ILP_DB", str(db_path))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("pages/fasilitas.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        figs = [f for f in _figs(at) if f["data"] and f["data"][0].get("type") == "choropleth"]
        assert len(figs) == 1
        legend = [tr.get("name") for tr in figs[0]["data"] if tr.get("lon") == [None]]
        assert legend[:2] == ["Belum ada Pustu", "Ada Pustu"]
        assert sum(1 for tr in figs[0]["data"] if tr.get("geojson")) == 1


def _table_texts(at) -> list:
    return [d.value for d in at.dataframe]


def test_peta_stunting_tables_readable_routine_target_and_quality_marks(demo_db, monkeypatch):
    """Issue 13/12: Peta tables with readable headers (no snake_case), counts as integers (no '1.121,0'), no
    'None'/'IK95%'; routine values never ranked against the survey target (the demo sets no routine target: no
    gap column); the quality mark in the ranking and in the side panel, linking to /mutu."""
    import re
    at = _run(demo_db, monkeypatch, {"ind": "stunting_prevalensi", "kec": "99.01.13"})
    frames = _table_texts(at)
    assert frames
    for df in frames:
        for c in df.columns:
            assert not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", str(c)), c
        cells = " ".join(str(v) for v in df.astype(str).to_numpy().ravel())
        assert "None" not in cells and "nan" not in cells and "IK95%" not in cells
    rank = frames[0]
    desa = frames[1]                                                   # the selected kecamatan's desa
    assert not {"Bobot eb", "Kode kec", "Prevalensi mentah pct", "Alasan sembunyi"} & set(desa.columns)
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*|–|disembunyikan.*", v) for v in desa["Balita diukur"])
    assert {"Pembilang", "Penyebut", "Mutu data"} <= set(rank.columns)
    assert "Target" not in rank.columns and "Selisih thd target" not in rank.columns
    for c in ("Pembilang", "Penyebut"):
        assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*|–", v) for v in rank[c]), list(rank[c])[:3]
    assert all(v.endswith("%") or v == "–" for v in rank["Nilai"])
    assert any(v.startswith("⚠") for v in rank["Mutu data"])
    heads = [s.value for s in at.subheader]
    assert "Peringkat kecamatan menurut nilai" in heads
    md = " ".join(m.value for m in at.markdown)
    marked = next(k for k, m in zip(rank["Kode"], rank["Mutu data"]) if m.startswith("⚠"))
    at = _run(demo_db, monkeypatch, {"ind": "stunting_prevalensi", "kec": marked})
    md = " ".join(m.value for m in at.markdown)
    assert "Mutu data: ⚠" in md                                        # side panel
    assert any("(/mutu)" in c.value for c in at.caption)
    text = md + " ".join(c.value for c in at.caption)
    assert "Kueri:" not in text and "IK95%" not in text and "None" not in text
