"""Hostile and broken boundary files: implausible geometry refused with what looks wrong; a GeoPackage with several
layers imported by choosing the layer (option 'layer' on the boundaries kind, CLI --layer)."""
from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)

from ilp.ingest import runner

con = fixture_copy   # kab 99.02: kecamatan 99.02.01 = box(110.0, -7.0, 110.2, -6.8), 99.02.02 = box(110.2, -7.0, ...)


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))


def _geojson(path, boxes: dict, crs: str | None = None):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": k}, "geometry": shapely.geometry.mapping(shapely.box(*b))}
        for k, b in boxes.items()]}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(fc))
    return path


def _import(con, path, **opts):
    return runner.run_import(con, "boundaries", path, path.name, "uji", options={"level": "kecamatan", **opts})


def test_a_plausible_update_is_accepted(con, tmp_path):
    f = _geojson(tmp_path / "ok.geojson", {"99.02.01": (110.0, -7.0, 110.21, -6.8), "99.02.02": (110.2, -7.0, 110.4, -6.8)})
    res = _import(con, f)
    assert res.status == "berhasil", [p.text() for p in res.problems]


@pytest.mark.parametrize("boxes,crs,expect", [
    # latitude and longitude swapped
    ({"99.02.01": (-7.0, 110.0, -6.8, 110.2)}, None, "lintang dan bujur tertukar"),
    # degrees in a file that declares web mercator (metres): lands near 0,0
    ({"99.02.01": (110.0, -7.0, 110.2, -6.8)}, "urn:ogc:def:crs:EPSG::3857", "tampak derajat"),
    # plain nonsense far outside Indonesia
    ({"99.02.01": (10.0, 50.0, 10.2, 50.2)}, None, "di luar Indonesia"),
    # thousands of km from the kab/kota's other kecamatan (in Papua)
    ({"99.02.01": (138.0, -4.0, 138.2, -3.8)}, None, "km dari kecamatan lain"),
    # a sliver replacing a 490 km² polygon
    ({"99.02.01": (110.0, -7.0, 110.01, -6.99)}, None, "sangat berbeda"),
])
def test_implausible_geometry_refused(con, tmp_path, boxes, crs, expect):
    before = data_checksums(con)
    res = _import(con, _geojson(tmp_path / "x.geojson", boxes, crs))
    assert res.status == "gagal"
    text = "\n".join(p.text("id") for p in res.problems)
    assert expect in text, text
    p = [x for x in res.problems if x.msg.key.startswith("impor.batas.tidak_wajar.")]
    assert p and p[0].row == 1 and p[0].column == "kode"
    assert all(x.msg.text("en") != x.msg.key for x in p)
    assert data_checksums(con) == before


def test_geopackage_layer_choice(con, tmp_path):
    g = tmp_path / "dua_layer.gpkg"
    a = gpd.GeoDataFrame({"kode": ["99.02.01", "99.02.02"]},
                         geometry=[shapely.box(110.0, -7.0, 110.2, -6.8), shapely.box(110.2, -7.0, 110.4, -6.8)], crs=4326)
    a.to_file(g, layer="kecamatan", driver="GPKG")
    a.assign(geometry=[shapely.box(110.01, -6.99, 110.19, -6.81), shapely.box(110.21, -6.99, 110.39, -6.81)]).to_file(g, layer="kecamatan_lama", driver="GPKG")
    res = _import(con, g)
    assert res.status == "gagal" and "beberapa layer" in res.problems[0].text("id")
    assert "kecamatan_lama" in res.problems[0].text("en")
    res = _import(con, g, layer="kecamatan")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    from ilp.cli_import import build_parser, options_for
    args = build_parser().parse_args(["boundaries", str(g), "--layer", "kecamatan", "--level", "kecamatan"])
    assert options_for(args, "boundaries") == ({"layer": "kecamatan", "level": "kecamatan"}, [])
