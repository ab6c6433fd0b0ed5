"""FeatureCollection text for the map from stored geometry text (batas_wilayah.geojson). Light on purpose: numpy and
polars only, no geopandas, so a page that only draws stored boundaries does not load the GIS stack."""
from __future__ import annotations

import json
import math
from typing import Iterable, Mapping

import numpy as np
import polars as pl


def _json_value(v):
    if v is None:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def to_geojson_feature_collection(rows) -> str:
    """FeatureCollection text from rows with 'kode', 'geojson' (geometry text) and any properties.

    rows: a polars DataFrame or an iterable of mappings. Feature id = kode; the kode is also put
    in properties (for featureidkey='properties.kode'). Geometry text is inserted as is (it
    comes from batas_wilayah.geojson); rows with an empty geometry are skipped.
    """
    if isinstance(rows, pl.DataFrame):
        return _feature_collection_frame(rows)
    it: Iterable[Mapping] = rows
    parts = []
    for r in it:
        geom = r.get("geojson")
        kode = r.get("kode")
        if not geom or kode is None:
            continue
        geom = str(geom).strip()
        if not geom.startswith("{"):
            raise ValueError(f"geojson for {kode!r} is not a GeoJSON geometry object")
        props = {k: _json_value(v) for k, v in r.items() if k not in ("geojson", "geom_wkb")}
        props["kode"] = str(kode)
        parts.append('{"type":"Feature","id":' + json.dumps(str(kode)) + ',"properties":'
                     + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
                     + ',"geometry":' + geom + "}")
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def _feature_collection_frame(df: pl.DataFrame) -> str:
    """to_geojson_feature_collection for a polars frame, built by column expressions (no per-row Python):
    the map's payload for a province's desa is built in milliseconds."""
    if "geojson" not in df.columns or "kode" not in df.columns:
        raise ValueError("rows need 'kode' and 'geojson' columns")
    geom = pl.col("geojson").cast(pl.String).str.strip_chars()
    d = df.with_columns(kode=pl.col("kode").cast(pl.String), geojson=geom).filter(
        pl.col("kode").is_not_null() & pl.col("geojson").is_not_null() & (pl.col("geojson") != ""))
    bad = d.filter(~pl.col("geojson").str.starts_with("{"))
    if bad.height:
        raise ValueError(f"geojson for {bad['kode'][0]!r} is not a GeoJSON geometry object")
    if d.height == 0:
        return '{"type":"FeatureCollection","features":[]}'
    props = [c for c in d.columns if c not in ("geojson", "geom_wkb", "kode")]
    clean = []
    for c in props:  # JSON has no NaN/inf and no dates: those become null / text, as _json_value does
        dt = d.schema[c]
        if dt.is_float():
            clean.append(pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c))
        elif dt.is_numeric() or dt in (pl.String, pl.Boolean, pl.Null):
            clean.append(pl.col(c))
        else:
            clean.append(pl.col(c).cast(pl.String))
    prop_json = pl.struct(*clean, pl.col("kode")).struct.json_encode() if props else \
        pl.struct(pl.col("kode")).struct.json_encode()
    feats = d.select(pl.concat_str(
        pl.lit('{"type":"Feature","id":'), pl.struct(pl.col("kode")).struct.json_encode().str.slice(8).str.head(-1),
        pl.lit(',"properties":'), prop_json, pl.lit(',"geometry":'), pl.col("geojson"), pl.lit("}")).alias("f"))
    return '{"type":"FeatureCollection","features":[' + feats["f"].str.join(",").item() + "]}"


