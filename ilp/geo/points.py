"""Facilities in polygons (with a nearest-polygon fallback) and areas in an equal-area projection."""
from __future__ import annotations

from typing import Sequence

import geopandas as gpd
import numpy as np
import polars as pl
import shapely
from pyproj import Transformer

from ilp.geo.base import EQUAL_AREA_CRS, NEAREST_MAX_M
from ilp.geo.reading import _polygonal


# ---------------------------------------------------------------- points in polygons

def _utm_for(lon: float, lat: float) -> str:
    zone = int((lon + 180) // 6) + 1
    zone = min(max(zone, 1), 60)
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"


def place_points(lon: Sequence[float | None], lat: Sequence[float | None], polygons: gpd.GeoDataFrame, *,
                 max_distance_m: float = NEAREST_MAX_M, kode_col: str = "kode") -> pl.DataFrame:
    """The polygon each point lies in, else the nearest within max_distance_m.

    Returns one row per point, in order: kode (null = none), aturan ('titik_dalam_poligon' |
    'poligon_terdekat' | null) and jarak_m (0 inside, metres to the polygon for the fallback).
    A point on a shared border goes to the polygon that contains it properly, else the first.
    Distances use the UTM zone of the polygons' centre (good to a few % across a province).
    """
    lon_a = np.array([np.nan if v is None else float(v) for v in lon], dtype=float)
    lat_a = np.array([np.nan if v is None else float(v) for v in lat], dtype=float)
    n = len(lon_a)
    kode = [None] * n
    rule = [None] * n
    dist = [None] * n
    geoms = np.array([_polygonal(g) for g in polygons.geometry.values], dtype=object)
    okp = np.array([g is not None for g in geoms])
    codes = np.array(polygons[kode_col].tolist(), dtype=object)[okp]
    geoms = geoms[okp]
    fin = np.isfinite(lon_a) & np.isfinite(lat_a)
    if not len(geoms) or not fin.any():
        return pl.DataFrame({"kode": kode, "aturan": rule, "jarak_m": dist},
                            schema={"kode": pl.String, "aturan": pl.String, "jarak_m": pl.Float64})
    pts = shapely.points(np.where(fin, lon_a, 0.0), np.where(fin, lat_a, 0.0))
    tree = shapely.STRtree(geoms)
    pi, gi = tree.query(pts, predicate="intersects")
    best: dict[int, tuple[int, int]] = {}
    for a, b in zip(pi, gi):
        if not fin[a]:
            continue
        prop = 0 if shapely.contains_properly(geoms[b], pts[a]) else 1
        if a not in best or (prop, b) < best[a]:
            best[a] = (prop, b)
    for a, (_, b) in best.items():
        kode[a], rule[a], dist[a] = codes[b], "titik_dalam_poligon", 0.0
    rest = [i for i in range(n) if fin[i] and kode[i] is None]
    if rest and max_distance_m > 0:
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        crs = _utm_for((minx + maxx) / 2, (miny + maxy) / 2)
        tf = Transformer.from_crs(4326, crs, always_xy=True)
        gm = shapely.transform(geoms, lambda xy: np.column_stack(tf.transform(xy[:, 0], xy[:, 1])))
        x, y = tf.transform(lon_a[rest], lat_a[rest])
        pm = shapely.points(x, y)
        tm = shapely.STRtree(gm)
        (qi, qg), d = tm.query_nearest(pm, max_distance=max_distance_m, return_distance=True, all_matches=False)
        for a, b, dd in zip(qi, qg, d):
            i = rest[a]
            kode[i], rule[i], dist[i] = codes[b], "poligon_terdekat", float(dd)
    return pl.DataFrame({"kode": kode, "aturan": rule, "jarak_m": dist},
                        schema={"kode": pl.String, "aturan": pl.String, "jarak_m": pl.Float64})


def area_km2(geoms) -> np.ndarray:
    """Area in km² in an equal-area projection (EPSG:6933)."""
    s = gpd.GeoSeries(list(geoms), crs=4326).to_crs(EQUAL_AREA_CRS)
    return (s.area / 1e6).to_numpy()
