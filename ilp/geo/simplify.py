"""Topology-preserving simplification under a payload budget, and GeoJSON for the map (rings clockwise for Plotly)."""
from __future__ import annotations

from typing import Iterable

import geopandas as gpd
import numpy as np
import shapely

from ilp.geo.base import (COORD_DECIMALS, MAP_BUDGET_BYTES, MAP_BUDGET_PROVINSI_BYTES, MAP_TOLERANCE,
                          MAP_TOLERANCE_PROVINSI)
from ilp.geo.geojson import _json_value, to_geojson_feature_collection  # noqa: F401 - re-exported
from ilp.geo.reading import _polygonal


# ---------------------------------------------------------------- simplification

def simplify_topology(gdf: gpd.GeoDataFrame, tolerance: float, *, decimals: int = COORD_DECIMALS,
                      gap_width: float | None = None) -> gpd.GeoDataFrame:
    """Simplify polygons as one coverage, so neighbours keep one shared border.

    1. shapely.coverage_clean: overlaps between neighbours are given to one of them, gaps
       narrower than gap_width (default: tolerance) are closed, shared edges made identical.
    2. shapely.coverage_simplify(tolerance): Visvalingam–Whyatt on shared edges once, so no
       gaps or overlaps appear (tolerance in degrees, ~ sqrt of the area of removed triangles).
    3. Coordinates rounded to `decimals` (set_precision keeps polygons valid).
    Rows whose geometry is empty or not polygonal keep their geometry unchanged.
    """
    out = gdf.copy()
    geoms = np.array([_polygonal(g) for g in gdf.geometry.values], dtype=object)
    ok = np.array([g is not None for g in geoms])
    if not ok.any():
        return out
    work = geoms[ok]
    gw = tolerance if gap_width is None else gap_width
    try:
        work = shapely.coverage_clean(work, gap_width=gw)
    except Exception:  # GEOS could not clean: fall back to simplifying as given
        pass
    simp = shapely.coverage_simplify(work, tolerance) if tolerance > 0 else work
    grid = 10.0 ** -decimals
    rounded = shapely.set_precision(simp, grid)
    res = []
    for r, s, g0 in zip(rounded, simp, geoms[ok]):
        r = _polygonal(r)
        if r is None:  # collapsed by cleaning/rounding (a sliver): keep a rounded copy of the original
            r = _polygonal(shapely.set_precision(shapely.simplify(g0, tolerance), grid)) or g0
        res.append(r)
    new = np.array(list(gdf.geometry.values), dtype=object)
    new[ok] = np.array(res + [None], dtype=object)[:-1]
    return out.set_geometry(gpd.GeoSeries(new, index=gdf.index, crs=gdf.crs))


def map_geojson(geom) -> str:
    """GeoJSON geometry text for the map: exterior rings clockwise (d3-geo / Plotly order)."""
    return shapely.to_geojson(shapely.orient_polygons(geom, exterior_cw=True))


def payload_bytes(geoms: Iterable) -> int:
    return sum(len(map_geojson(g)) for g in geoms if g is not None)


def simplify_for_map(gdf: gpd.GeoDataFrame, level: str, *, max_bytes: int | None = None,
                     tolerance: float | None = None, scope: str = "kabkota") -> gpd.GeoDataFrame:
    """simplify_topology with the level's tolerance, doubled until the GeoJSON payload fits.

    Budget: MAP_BUDGET_BYTES[level] per kab/kota present (from a 'kode' column), unless max_bytes.
    scope="provinsi": a province-wide layer (level 'kabkota' or 'kecamatan') under one budget,
    MAP_BUDGET_PROVINSI_BYTES[level] (a province's kecamatan under 500 KB), from a coarser tolerance.
    """
    if scope == "provinsi":
        tol = MAP_TOLERANCE_PROVINSI[level] if tolerance is None else tolerance
        max_bytes = MAP_BUDGET_PROVINSI_BYTES[level] if max_bytes is None else max_bytes
    else:
        tol = MAP_TOLERANCE[level] if tolerance is None else tolerance
    if max_bytes is None:
        n_kab = len({str(k)[:5] for k in gdf["kode"]}) if "kode" in gdf.columns and len(gdf) else 1
        max_bytes = MAP_BUDGET_BYTES[level] * max(n_kab, 1)
    out = simplify_topology(gdf, tol)
    for _ in range(8):
        if payload_bytes(out.geometry.values) <= max_bytes:
            break
        tol *= 2
        out = simplify_topology(gdf, tol)
    out.attrs["tolerance"] = tol
    return out


# ---------------------------------------------------------------- GeoJSON for the map: ilp/geo/geojson.py


def dissolve_kabkota(kec: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The kab/kota layer of a province from its kecamatan (kode 'PP.KK.CC'): one polygon per kab/kota, the
    union of its kecamatan as a coverage (their shared borders vanish, no slivers). Columns kode, geometry."""
    kab = kec["kode"].astype(str).str[:5]
    rows, geoms = [], []
    for k, idx in kec.groupby(kab).groups.items():
        parts = [_polygonal(g) for g in kec.geometry.loc[idx].values]
        parts = [p for p in parts if p is not None]
        if not parts:
            continue
        try:
            u = shapely.coverage_union_all(parts)
        except Exception:  # not a clean coverage: the general union
            u = shapely.union_all(parts)
        rows.append(k)
        geoms.append(_polygonal(u) or u)
    return gpd.GeoDataFrame({"kode": rows}, geometry=geoms, crs=kec.crs)
