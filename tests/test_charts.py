"""Pure-function tests for ilp/charts.py: classes, colours, the one-geometry choropleth (payload), selection,
labels, facility markers, and the trend chart (targets at their year, legend cap, bands, clipped projection)."""
from __future__ import annotations

import json
from dataclasses import replace

import plotly.graph_objects as go
import polars as pl
import pytest
import shapely

from ilp import charts, geo, indicators
from ilp.i18n import t

IND = indicators.get("stunting_prevalensi")        # classes [0, 2.5, 10, 20, 30], lower is better
PUSTU = indicators.get("desa_dengan_pustu")         # classes [0, 50, 70, 90, 100], higher is better


def _geo(n: int = 3, with_points: bool = True) -> pl.DataFrame:
    rows = []
    for i in range(n):
        # a 65-vertex polygon, like a simplified kecamatan
        g = shapely.set_precision(shapely.Point(110.05 + 0.1 * i, -6.95).buffer(0.05, quad_segs=16), 1e-5)
        rows.append({"kode": f"99.02.{i + 1:02d}", "nama": f"Kec {i + 1}", "geojson": geo.map_geojson(g),
                     "lat": -6.95, "lon": 110.05 + 0.1 * i})
    df = pl.DataFrame(rows)
    return df if with_points else df.drop("lat", "lon")


def _vals(nilai: list) -> pl.DataFrame:
    n = len(nilai)
    return pl.DataFrame({"kode": [f"99.02.{i + 1:02d}" for i in range(n)], "nama": [f"Kec {i + 1}" for i in range(n)],
                         "nilai": nilai, "pembilang": [None if v is None else 1 for v in nilai],
                         "penyebut": [None if v is None else 10 for v in nilai]},
                        schema_overrides={"nilai": pl.Float64, "pembilang": pl.Int64, "penyebut": pl.Int64})


# ---------------------------------------------------------------- classes and colours

def test_class_colors_direction():
    # 5 classes on the 5-colour palette; 'turun' (lower is better): the lowest class is green
    assert charts.class_colors(IND) == ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
    assert charts.class_colors(PUSTU) == ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
    six = replace(PUSTU, classes=(0, 10, 20, 30, 40, 50))
    assert charts.class_colors(six) == charts._BAD_TO_GOOD
    three = replace(PUSTU, classes=(0, 50, 100))
    assert charts.class_colors(three) == ["#d73027", "#fee08b", "#1a9850"]


def test_map_classes_half_open_and_no_data():
    c = charts.map_classes(IND, _vals([2.4999, 2.5, 31.0, None, 150.0]), "id")
    assert c["kelas"].to_list() == [0, 1, 4, -1, 4]   # above the last break: last class, not clipped away
    assert c["warna"].to_list() == ["#1a9850", "#91cf60", "#d73027", charts.NO_DATA_COLOR, "#d73027"]
    assert c["kelas_label"][3] == t("umum.tidak_ada_data", "id")
    assert c["kelas_label"][1] == IND.labels("id")[1]


def test_two_classes_pustu_layer():
    v = pl.DataFrame({"kode": ["a", "b", "c"], "ada": [True, False, None]})
    c = charts.two_classes(v, "ada", ("Belum ada", "Ada"), "id")
    assert c["kelas"].to_list() == [1, 0, -1]
    assert c["warna"].to_list() == [charts.TWO_CLASS_COLORS[1], charts.TWO_CLASS_COLORS[0], charts.NO_DATA_COLOR]
    assert c["kelas_label"].to_list()[:2] == ["Ada", "Belum ada"]
    # a district whose list holds no Pustu: every desa 'no data', never 'no Pustu'
    assert charts.two_classes(v, "ada", ("Belum ada", "Ada"), "id", has_data=False)["kelas"].to_list() == [-1] * 3


def test_discrete_colorscale_steps():
    cs = charts.discrete_colorscale(["#a", "#b", "#c"])
    assert cs == [[0, "#a"], [1 / 3, "#a"], [1 / 3, "#b"], [2 / 3, "#b"], [2 / 3, "#c"], [1.0, "#c"]]


# ---------------------------------------------------------------- the choropleth

def _geo_traces(fig):
    return [tr for tr in fig.data if tr.type == "choropleth" and tr.geojson is not None]


def test_choropleth_one_geometry_colours_from_class():
    g = _geo(4)
    fig = charts.choropleth(IND, charts.map_classes(IND, _vals([1.0, 15.0, None, 35.0]), "id"), g, "id")
    main = _geo_traces(fig)
    assert len(main) == 1, "the FeatureCollection travels once"
    tr = main[0]
    assert list(tr.locations) == ["99.02.01", "99.02.02", "99.02.03", "99.02.04"]
    cs = tr.colorscale
    # colour at each area's z: class 0 green, class 2 yellow, no data grey, class 4 red

    def colour_at(z):
        pos = (z - tr.zmin) / (tr.zmax - tr.zmin)
        return next(c for (a, c), (b, _) in zip(cs[::2], cs[1::2]) if a <= pos <= b)
    assert [colour_at(z) for z in tr.z] == ["#1a9850", "#fee08b", charts.NO_DATA_COLOR, "#d73027"]
    assert fig.data[0].geojson is None and len(fig.data[0].locations) == 0  # the empty first trace (offline)
    # legend: every class, plus 'no data' because one area has none; the legend markers carry no geometry
    legend = [tr.name for tr in fig.data if tr.showlegend]
    assert legend == list(IND.labels("id")) + [t("umum.tidak_ada_data", "id")]
    assert "1,0%" in tr.text[0] and "1 / 10" in tr.text[0] and t("umum.tidak_ada_data", "id") in tr.text[2]


def test_choropleth_no_data_entry_only_when_needed():
    fig = charts.choropleth(IND, charts.map_classes(IND, _vals([1.0, 15.0, 3.0]), "id"), _geo(3), "id")
    assert t("umum.tidak_ada_data", "id") not in [tr.name for tr in fig.data if tr.showlegend]


def test_choropleth_payload_is_one_geojson():
    """Bytes of the figure ~ one FeatureCollection (was four: every class trace carried all of it)."""
    g = _geo(60)
    fc = geo.to_geojson_feature_collection(g.select("kode", "geojson"))
    vals = _vals([float(i % 40) for i in range(60)])
    fig = charts.choropleth(IND, charts.map_classes(IND, vals, "id"), g, "id", selected="99.02.07")
    size = len(fig.to_json())
    assert len(fc) < size < 1.3 * len(fc), (size, len(fc))   # hover text and z per area on one geometry copy
    first = json.loads(fc)["features"][10]["geometry"]["coordinates"][0][3]
    assert fig.to_json().count(json.dumps(first, separators=(",", ":"))) == 1  # each vertex is sent once


def test_choropleth_selection_outline_subset():
    g = _geo(3)
    fig = charts.choropleth(IND, charts.map_classes(IND, _vals([1.0, 2.0, 3.0]), "id"), g, "id", selected="99.02.02")
    sel = _geo_traces(fig)[-1]
    assert list(sel.locations) == ["99.02.02"] and [f["id"] for f in sel.geojson["features"]] == ["99.02.02"]
    assert sel.marker.line.width == charts.SELECTED_LINE["width"] and sel.hoverinfo == "skip"
    # an unknown or empty selection adds no outline
    assert len(_geo_traces(charts.choropleth(IND, charts.map_classes(IND, _vals([1.0, 2.0, 3.0]), "id"), g, "id",
                                             selected="99.99.99"))) == 1


def test_choropleth_legend_override_two_classes():
    v = pl.DataFrame({"kode": ["99.02.01", "99.02.02"], "ada": [True, False], "nilai": [100.0, 0.0],
                      "teks": ["Ada Pustu", "Belum ada Pustu"]})
    legend = [("Belum ada Pustu", charts.TWO_CLASS_COLORS[0]), ("Ada Pustu", charts.TWO_CLASS_COLORS[1])]
    fig = charts.choropleth(PUSTU, charts.two_classes(v, "ada", ("Belum ada Pustu", "Ada Pustu")), _geo(2), "id",
                            legend=legend)
    assert [tr.name for tr in fig.data if tr.showlegend] == ["Belum ada Pustu", "Ada Pustu"]
    tr = _geo_traces(fig)[0]
    assert "Ada Pustu" in tr.text[0] and "%" not in tr.text[0]


def test_label_texts_names_where_they_fit():
    g = _geo(3)
    c = charts.map_classes(IND, _vals([12.345, None, 3.0]), "id")
    lab = charts.label_texts(g, c, "id", names=True)
    assert lab["teks"].to_list() == ["Kec 1<br>12,3", "Kec 2", "Kec 3<br>3,0"]   # no value: the name, never 0
    assert charts.label_texts(g, c, "en", names=False)["teks"].to_list() == ["12.3", "3.0"]
    assert charts.label_texts(g, c, "id", names=True, max_names=2)["teks"].to_list() == ["12,3", "3,0"]
    assert charts.label_texts(_geo(3, with_points=False), c, "id").height == 0
    fig = charts.choropleth(IND, c, g, "id", labels=True)
    txt = [tr for tr in fig.data if tr.type == "scattergeo" and tr.mode == "text"]
    assert len(txt) == 1 and list(txt[0].text)[0] == "Kec 1<br>12,3"


def test_faskes_markers_dark_with_white_outline():
    fk = pl.DataFrame({"jenis": ["puskesmas", "puskesmas", "puskesmas", "pustu", "posyandu"],
                       "rawat_inap": [True, False, None, None, None], "nama": list("abcde"),
                       "lon": [110.0] * 5, "lat": [-7.0] * 5})
    assert [charts.faskes_key(j, r) for j, r in zip(fk["jenis"], fk["rawat_inap"])] == \
        fk.select(charts._faskes_key_expr())["jenis"].to_list()
    fig = charts.add_faskes_layer(go.Figure(), fk, "id")
    assert [tr.name for tr in fig.data] == [t(f"faskes.{k}", "id") for k in
                                             ("puskesmas_ranap", "puskesmas", "puskesmas_tanpa_jenis", "pustu", "posyandu")]
    for tr in fig.data:
        assert tr.marker.line.color == "#ffffff" and tr.marker.line.width >= 1.5
        r, g_, b = (int(tr.marker.color[i:i + 2], 16) for i in (1, 3, 5))
        assert 0.2126 * r + 0.7152 * g_ + 0.0722 * b < 90, tr.name   # dark on every fill


def test_geojson_feature_collection_frame_matches_rows():
    g = _geo(3).with_columns(nilai=pl.Series([1.5, float("nan"), None]))
    a = json.loads(geo.to_geojson_feature_collection(g))
    b = json.loads(geo.to_geojson_feature_collection(list(g.iter_rows(named=True))))
    assert a == b


# ---------------------------------------------------------------- the trend

PATH = pl.DataFrame({"tingkat": ["nasional"] * 3 + ["kabkota"] * 2, "tahun": [2024, 2025, 2029, 2025, 2026],
                     "nilai": [14.0, 18.8, 14.2, 20.0, 18.0], "interpolasi": [False, False, False, False, True],
                     "segmen": [1, 2, 2, 1, 1], "dasar": ["Perpres", "RPJMN", "RPJMN", "Perbup", "Perbup"]})
ROUTINE = pl.DataFrame({"periode": ["2024-02", "2024-08", "2025-02"], "prevalensi_pct": [22.0, 21.0, 19.5],
                        "ci_bawah": [20.0, 19.0, None], "ci_atas": [24.0, 23.0, None]})
SURVEY = pl.DataFrame({"tahun": [2022, 2023, 2023], "survei": ["SSGI", "SKI", "SKI"], "prevalensi": [24.0, 23.0, 21.5],
                       "tingkat": ["kabkota", "kabkota", "nasional"], "ci_bawah": [20.0, 19.0, 21.0],
                       "ci_atas": [28.0, 27.0, 22.0]})
PROJ = pl.DataFrame({"x": [2025.1, 2027.0, 2029.5], "nilai": [19.5, -3.0, 120.0], "bawah": [19.0, -5.0, 90.0],
                     "atas": [20.0, 2.0, 130.0]})
CROSS = pl.DataFrame({"periode": ["2024-08"], "prevalensi_pct": [18.0]})


def test_trend_targets_at_their_year():
    fig = charts.trend_figure(ROUTINE, SURVEY, PATH, lang="id")
    nat = [tr for tr in fig.data if tr.name == t("stunting.target_nasional", "id") and tr.mode == "lines+markers"]
    xs = sorted(x for tr in nat for x in tr.x)
    assert xs == [2024.5, 2025.5, 2029.5]         # mid-year, where the survey figure of that year sits
    survey = next(tr for tr in fig.data if tr.name == t("stunting.survei_kabkota", "id"))
    assert list(survey.x) == [2022.5, 2023.5]
    # the axis labels each year under its middle
    ax = fig.layout.xaxis
    assert list(ax.ticktext)[:2] == ["2022", "2023"] and list(ax.tickvals)[:2] == [2022.5, 2023.5]
    # hover numbers in the language's marks (ilp.fmt): 16,5 in Indonesian, 16.5 in English
    assert fig.layout.separators == ",." and charts.trend_figure(ROUTINE, SURVEY, PATH, lang="en").layout.separators == ".,"


def test_trend_legend_at_most_five_and_named_otherwise():
    fig = charts.trend_figure(ROUTINE, SURVEY, PATH, PROJ, "id", crosscheck=CROSS)
    shown = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert len(shown) == 5
    assert shown[0] == t("stunting.rutin", "id") and t("stunting.target_kabkota", "id") in shown
    # the two that lost their entry are written on the chart instead
    notes = {a.text: (a.x, a.y) for a in fig.layout.annotations}
    assert set(notes) == {t("stunting.target_nasional", "id"), t("stunting.survei_nasional", "id")}
    assert notes[t("stunting.target_nasional", "id")] == (2029.5, 14.2)   # the path's end, not its first segment's
    assert notes[t("stunting.survei_nasional", "id")] == (2023.5, 21.5)
    small = charts.trend_figure(ROUTINE, SURVEY.filter(pl.col("tingkat") == "kabkota"), PATH.head(0), lang="id")
    assert len([tr for tr in small.data if tr.showlegend is not False]) == 2 and not small.layout.annotations


def test_trend_bands_and_clipped_projection():
    fig = charts.trend_figure(ROUTINE, SURVEY, PATH, PROJ, "id")
    bands = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(bands) == 2                                      # routine CI and projection interval
    rut = bands[0]
    assert list(rut.x) == [2024 + 1.5 / 12, 2024 + 7.5 / 12, 2024 + 7.5 / 12, 2024 + 1.5 / 12]  # rounds with a CI
    assert list(rut.y) == [24.0, 23.0, 19.0, 20.0]
    proj = next(tr for tr in fig.data if tr.name == t("stunting.proyeksi", "id"))
    assert list(proj.y) == [19.5, 0.0, 100.0]
    assert min(bands[1].y) == 0.0 and max(bands[1].y) == 100.0
    # survey intervals: vertical bands, not error bars
    assert all(tr.error_y.array is None for tr in fig.data if tr.type == "scatter")
    sband = [tr for tr in fig.data if tr.mode == "lines" and tr.line.width == 12]
    assert len(sband) == 2 and list(sband[0].y) == [20.0, 28.0, None, 19.0, 27.0, None]


def test_trend_empty_inputs():
    e = pl.DataFrame(schema={"periode": pl.String, "prevalensi_pct": pl.Float64, "ci_bawah": pl.Float64,
                             "ci_atas": pl.Float64})
    fig = charts.trend_figure(e, SURVEY.head(0), PATH.head(0), lang="en")
    assert len(fig.data) == 0 and fig.layout.xaxis.dtick == 1


# ---------------------------------------------------------------- real districts: payload

@pytest.mark.parametrize("kab", ["35.23", "33.29", "61.12", "74.14", "21.72"])
def test_real_district_choropleth_payload(shared_data, kab):
    """The simplified desa layer of each real district, drawn as the app draws it: the figure is about one
    GeoJSON (under 1.5 MB), not four."""
    d = geo.read_geo(shared_data / "boundaries" / f"desa_{kab}.geojson")
    s = geo.simplify_for_map(d[["kode", "geometry"]], "desa")
    g = pl.DataFrame({"kode": list(s["kode"]), "nama": list(s["kode"]),
                      "geojson": [geo.map_geojson(x) for x in s.geometry.values]})
    vals = pl.DataFrame({"kode": g["kode"], "nama": g["nama"], "nilai": [float(i % 35) for i in range(g.height)]})
    fig = charts.choropleth(IND, charts.map_classes(IND, vals, "id"), g, "id", selected=g["kode"][0])
    fc = len(geo.to_geojson_feature_collection(g.select("kode", "geojson")))
    size = len(fig.to_json())
    assert size < 1.35 * fc + 300 * g.height, (kab, size, fc)
    assert size < 1_500_000, (kab, size)


def test_two_class_layer_prints_names_only_and_no_unit_title():
    v = pl.DataFrame({"kode": ["99.02.01", "99.02.02"], "ada": [True, False], "nilai": [100.0, 0.0],
                      "teks": ["Ada Pustu (1)", "Belum ada Pustu"]})
    c = charts.two_classes(v, "ada", ("Belum ada Pustu", "Ada Pustu"))
    assert charts.label_texts(_geo(2), c, "id", names=True)["teks"].to_list() == ["Kec 1", "Kec 2"]  # not '100,0'
    assert charts.label_texts(_geo(2), c, "id", names=False).height == 0
    fig = charts.choropleth(PUSTU, c, _geo(2), "id", legend=[("Belum ada Pustu", "#d73027"), ("Ada Pustu", "#1a9850")])
    assert fig.layout.legend.title.text == ""
    assert charts.choropleth(PUSTU, charts.map_classes(PUSTU, _vals([1.0, 2.0])), _geo(2)).layout.legend.title.text == "%"


def test_district_map_draws_only_district_facilities():
    fk = pl.DataFrame({"jenis": ["puskesmas", "pustu", "posyandu", "rumah_sakit"], "rawat_inap": [False, None, None, None],
                       "nama": list("abcd"), "lon": [110.0] * 4, "lat": [-7.0] * 4})
    fig = charts.choropleth(IND, charts.map_classes(IND, _vals([1.0])), _geo(1), "id", faskes=fk,
                            faskes_kinds=charts.DISTRICT_FASKES)
    drawn = [tr.name for tr in fig.data if tr.type == "scattergeo" and tr.mode == "markers" and tr.lon != (None,)]
    assert drawn == [t("faskes.puskesmas", "id"), t("faskes.rumah_sakit", "id")]


def test_labels_only_where_they_fit():
    # a 1° square, a 0.05° one and a 0.002° one on a map 500 px across 1.1°: ~455 px, ~23 px and ~1 px wide
    boxes = [shapely.box(110, -7, 111, -6), shapely.box(111.0, -7, 111.05, -6.95), shapely.box(111.08, -7, 111.082, -6.998)]
    g = pl.DataFrame({"kode": ["a", "b", "c"], "nama": ["Kenduruan", "Jatirogo", "Bancar"],
                      "geojson": [geo.map_geojson(x) for x in boxes], "lat": [-6.5, -6.97, -6.999],
                      "lon": [110.5, 111.02, 111.081]})
    v = pl.DataFrame({"kode": ["a", "b", "c"], "nilai": [12.0, 7.5, 3.0]})
    lab = charts.label_texts(g, v, "id", names=True, map_px=500, font_px=12)
    assert lab["teks"].to_list() == ["Kenduruan<br>12,0", "7,5"]   # the name does not fit b; nothing fits c
    assert charts.label_texts(g, v, "id", names=True)["teks"].to_list() == \
        ["Kenduruan<br>12,0", "Jatirogo<br>7,5", "Bancar<br>3,0"]   # no map size given: every label
