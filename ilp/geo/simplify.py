"""Topology-preserving simplification under a payload budget, and GeoJSON for the map (rings clockwise for Plotly)."""
from __future__ import annotations

import geopandas as gpd
import numpy as np

from ilp.geo.base import COORD_DECIMALS
from ilp.geo.coverage import (dissolve_by_kabkota, map_geojson, payload_bytes,  # noqa: F401 - re-exported
                              simplify_coverage, simplify_coverage_for_map)
from ilp.geo.geojson import _json_value, to_geojson_feature_collection  # noqa: F401 - re-exported


# ---------------------------------------------------------------- simplification

def simplify_topology(gdf: gpd.GeoDataFrame, tolerance: float, *, decimals: int = COORD_DECIMALS,
                      gap_width: float | None = None) -> gpd.GeoDataFrame:
    """Simplify polygons as one coverage, so neighbours keep one shared border (ilp.geo.coverage.simplify_coverage
    on the frame's geometry). Rows whose geometry is empty or not polygonal keep their geometry unchanged."""
    new = simplify_coverage(list(gdf.geometry.values), tolerance, decimals=decimals, gap_width=gap_width)
    return gdf.copy().set_geometry(gpd.GeoSeries(np.array(new, dtype=object), index=gdf.index, crs=gdf.crs))


def simplify_for_map(gdf: gpd.GeoDataFrame, level: str, *, max_bytes: int | None = None,
                     tolerance: float | None = None, scope: str = "kabkota") -> gpd.GeoDataFrame:
    """simplify_topology with the level's tolerance, doubled until the GeoJSON payload fits
    (ilp.geo.coverage.simplify_coverage_for_map: budget per kab/kota present, or one province-wide budget)."""
    kodes = list(gdf["kode"]) if "kode" in gdf.columns else None
    new, tol = simplify_coverage_for_map(list(gdf.geometry.values), kodes, level, max_bytes=max_bytes,
                                         tolerance=tolerance, scope=scope)
    out = gdf.copy().set_geometry(gpd.GeoSeries(np.array(new, dtype=object), index=gdf.index, crs=gdf.crs))
    out.attrs["tolerance"] = tol
    return out


# ---------------------------------------------------------------- GeoJSON for the map: ilp/geo/geojson.py


def dissolve_kabkota(kec: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The kab/kota layer of a province from its kecamatan (kode 'PP.KK.CC'): one polygon per kab/kota, the
    union of its kecamatan as a coverage (ilp.geo.coverage.dissolve_by_kabkota). Columns kode, geometry."""
    rows, geoms = dissolve_by_kabkota([str(k) for k in kec["kode"]], list(kec.geometry.values))
    return gpd.GeoDataFrame({"kode": rows}, geometry=geoms, crs=kec.crs)
