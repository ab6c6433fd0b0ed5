"""Polygon coverages with shapely and numpy only (no geopandas/pandas, ~1-6 s to import on a busy server): the
polygonal part of a geometry, topology-preserving simplification under a payload budget, the kab/kota dissolve, and
GeoJSON text for the map. ilp/geo/simplify.py wraps these for GeoDataFrames (the boundaries import); the province
page (ilp.provinsi) calls them directly, so its first load does not import the GIS stack."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import shapely

from ilp.geo.base import (COORD_DECIMALS, MAP_BUDGET_BYTES, MAP_BUDGET_PROVINSI_BYTES, MAP_TOLERANCE,
                          MAP_TOLERANCE_PROVINSI)


def polygonal(g):
    """The polygonal part of a geometry (None when there is none)."""
    if g is None or g.is_empty:
        return None
    t = g.geom_type
    if t in ("Polygon", "MultiPolygon"):
        return g
    if t == "GeometryCollection" or t.startswith("Multi"):
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        parts = [q for p in parts for q in shapely.get_parts(p)]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return None


def map_geojson(geom) -> str:
    """GeoJSON geometry text for the map: exterior rings clockwise (d3-geo / Plotly order)."""
    return shapely.to_geojson(shapely.orient_polygons(geom, exterior_cw=True))


def payload_bytes(geoms: Iterable) -> int:
    return sum(len(map_geojson(g)) for g in geoms if g is not None)


def simplify_coverage(geoms: Sequence, tolerance: float, *, decimals: int = COORD_DECIMALS,
                      gap_width: float | None = None) -> list:
    """Simplify polygons as one coverage, so neighbours keep one shared border (same order and length as `geoms`).

    1. shapely.coverage_clean: overlaps between neighbours are given to one of them, gaps
       narrower than gap_width (default: tolerance) are closed, shared edges made identical.
    2. shapely.coverage_simplify(tolerance): Visvalingam–Whyatt on shared edges once, so no
       gaps or overlaps appear (tolerance in degrees, ~ sqrt of the area of removed triangles).
    3. Coordinates rounded to `decimals` (set_precision keeps polygons valid).
    Geometries that are empty or not polygonal are returned unchanged.
    """
    given = list(geoms)
    polys = np.array([polygonal(g) for g in given], dtype=object)
    ok = np.array([g is not None for g in polys], dtype=bool)
    if not ok.any():
        return given
    work = polys[ok]
    gw = tolerance if gap_width is None else gap_width
    try:
        work = shapely.coverage_clean(work, gap_width=gw)
    except Exception:  # GEOS could not clean: fall back to simplifying as given
        pass
    simp = shapely.coverage_simplify(work, tolerance) if tolerance > 0 else work
    grid = 10.0 ** -decimals
    rounded = shapely.set_precision(simp, grid)
    res = []
    for r, g0 in zip(rounded, polys[ok]):
        r = polygonal(r)
        if r is None:  # collapsed by cleaning/rounding (a sliver): keep a rounded copy of the original
            r = polygonal(shapely.set_precision(shapely.simplify(g0, tolerance), grid)) or g0
        res.append(r)
    it = iter(res)
    return [next(it) if keep else g for keep, g in zip(ok, given)]


def simplify_coverage_for_map(geoms: Sequence, kodes: Sequence[str] | None, level: str, *,
                              max_bytes: int | None = None, tolerance: float | None = None,
                              scope: str = "kabkota") -> tuple[list, float]:
    """simplify_coverage with the level's tolerance, doubled until the GeoJSON payload fits; (geometries, tolerance).

    Budget: MAP_BUDGET_BYTES[level] per kab/kota present (from `kodes`), unless max_bytes.
    scope="provinsi": a province-wide layer (level 'kabkota' or 'kecamatan') under one budget,
    MAP_BUDGET_PROVINSI_BYTES[level] (a province's kecamatan under 500 KB), from a coarser tolerance.
    """
    if scope == "provinsi":
        tol = MAP_TOLERANCE_PROVINSI[level] if tolerance is None else tolerance
        max_bytes = MAP_BUDGET_PROVINSI_BYTES[level] if max_bytes is None else max_bytes
    else:
        tol = MAP_TOLERANCE[level] if tolerance is None else tolerance
    if max_bytes is None:
        n_kab = len({str(k)[:5] for k in kodes}) if kodes is not None and len(kodes) else 1
        max_bytes = MAP_BUDGET_BYTES[level] * max(n_kab, 1)
    out = simplify_coverage(geoms, tol)
    for _ in range(8):
        if payload_bytes(out) <= max_bytes:
            break
        tol *= 2
        out = simplify_coverage(geoms, tol)
    return out, tol


def dissolve_by_kabkota(kodes: Sequence[str], geoms: Sequence) -> tuple[list[str], list]:
    """The kab/kota layer of a province from its kecamatan (kode 'PP.KK.CC'): (kab/kota codes in order, one polygon
    each), the union of its kecamatan as a coverage (their shared borders vanish, no slivers)."""
    groups: dict[str, list] = {}
    for k, g in zip(kodes, geoms):
        groups.setdefault(str(k)[:5], []).append(g)
    rows, out = [], []
    for k in sorted(groups):
        parts = [p for p in (polygonal(g) for g in groups[k]) if p is not None]
        if not parts:
            continue
        try:
            u = shapely.coverage_union_all(parts)
        except Exception:  # not a clean coverage: the general union
            u = shapely.union_all(parts)
        rows.append(k)
        out.append(polygonal(u) or u)
    return rows, out
