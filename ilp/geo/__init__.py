"""Boundary files, area-code matching, topology-preserving simplification, GeoJSON for the map.

Pure core: never imports streamlit. Geometries are EPSG:4326 (lon/lat degrees) throughout.

    read_geo(path)                                   -> GeoDataFrame (EPSG:4326)
    match_features(gdf, wilayah, level, xwalk)       -> MatchResult(matched, unmatched, missing)
    simplify_topology(gdf, tolerance)                -> GeoDataFrame (shared borders kept)
    simplify_for_map(gdf, level)                     -> GeoDataFrame under the level's payload budget
    dissolve_kabkota(kec)                            -> kab/kota polygons of a province from its kecamatan
    map_geojson(geom)                                -> GeoJSON geometry text for Plotly (rings clockwise)
    to_geojson_feature_collection(rows)              -> FeatureCollection text (feature id = kode)
    place_points(lon, lat, polygons)                 -> polars frame: kode, aturan, jarak_m per point

Modules: `reading` (files, the zip guard), `matching` (code and name rules; names and codes are
normalised by ilp.names), `simplify` (shared-border simplification, GeoJSON for the map), `points`
(facilities in polygons, areas), `base` (constants, GeoError).

Winding order: Plotly's `px.choropleth` draws with d3-geo, which reads a ring wound
anti-clockwise (the RFC 7946 order) as "everything except this polygon" and floods the map.
`map_geojson` therefore winds exterior rings clockwise.
"""
from __future__ import annotations

from ilp.geo.base import (COORD_DECIMALS, EQUAL_AREA_CRS, FUZZY_THRESHOLD, LEVELS, MAP_BUDGET_BYTES,
                          MAP_BUDGET_PROVINSI_BYTES, MAP_TOLERANCE,
                          MAX_UNCOMPRESSED_BYTES, MAX_ZIP_MEMBERS, NEAREST_MAX_M, PARENT_LEVEL, GeoError)
from ilp.geo.geojson import to_geojson_feature_collection

# The GIS stack (geopandas, pyogrio, pyproj) loads on first use of a name below, not on `import ilp.geo`: a page
# that only draws stored boundaries (ilp.charts) starts without it.
_LAZY = {"MatchResult": "matching", "UnmatchedFeature": "matching", "match_features": "matching",
         "area_km2": "points", "place_points": "points", "read_geo": "reading",
         "dissolve_kabkota": "simplify", "map_geojson": "simplify", "payload_bytes": "simplify",
         "simplify_for_map": "simplify", "simplify_topology": "simplify"}


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'ilp.geo' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f"ilp.geo.{mod}"), name)
    globals()[name] = value
    return value


__all__ = [
    "GeoError", "MatchResult", "UnmatchedFeature", "read_geo",
    "match_features", "simplify_topology", "simplify_for_map", "dissolve_kabkota", "map_geojson", "payload_bytes",
    "to_geojson_feature_collection", "place_points", "area_km2", "MAX_UNCOMPRESSED_BYTES", "MAX_ZIP_MEMBERS",
    "MAP_BUDGET_BYTES", "MAP_BUDGET_PROVINSI_BYTES", "MAP_TOLERANCE", "NEAREST_MAX_M", "FUZZY_THRESHOLD", "EQUAL_AREA_CRS", "LEVELS",
    "PARENT_LEVEL", "COORD_DECIMALS",
]
