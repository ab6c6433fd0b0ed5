"""Reading boundary files (GeoJSON, GeoPackage, zipped Shapefile; any CRS -> EPSG:4326), with the zip guard."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from ilp import names
from ilp.geo.base import GeoError, MAX_UNCOMPRESSED_BYTES, MAX_ZIP_MEMBERS
from ilp.geo.coverage import polygonal
from ilp.ingest.base import Msg
from ilp.ingest.zipguard import ZipRefused, guard_zip


def _g(key: str, **params) -> Msg:
    """A boundary-file message (ilp/locales/*/impor.toml, [impor.geo])."""
    return Msg(f"impor.geo.{key}", params)


# ---------------------------------------------------------------- reading

def read_geo(path: str | Path, *, layer: str | None = None, max_uncompressed: int | None = None,
             ext: str | None = None) -> gpd.GeoDataFrame:
    """Read GeoJSON (.geojson/.json), a zipped Shapefile (.zip) or a GeoPackage (.gpkg) in EPSG:4326.

    A .zip is checked before GDAL sees it: members with '..' or absolute paths, encrypted
    members, too many members, or more than `max_uncompressed` bytes once unpacked (counted
    while streaming, CRC-checked, so lying size headers are caught) are refused.
    A file without a CRS is taken as EPSG:4326 when its coordinates look like lon/lat, else refused.
    Invalid polygons are repaired (make_valid, polygonal part kept). Raises GeoError.
    ext: the format to assume ('.zip', ...) when the saved file's own name has no useful extension.
    """
    p = Path(path)
    ext = (ext or p.suffix).lower()
    if not p.exists():
        raise GeoError(_g("tidak_ditemukan", nama=p.name))
    if ext in (".geojson", ".json"):
        with open(p, "rb") as f:
            _sniff(f.read(4096), ".geojson", p.name)
        src = str(p)
    elif ext == ".gpkg":
        with open(p, "rb") as f:
            _sniff(f.read(4096), ".gpkg", p.name)
        src = str(p)
        layer = layer or _pick_layer(src)
    elif ext == ".zip":
        limit = MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
        member = _check_zip(p, limit, layer)
        src = f"/vsizip/{p.resolve().as_posix()}/{member}"
        if member.lower().endswith(".gpkg"):
            layer = layer or _pick_layer(src)
        else:
            layer = None
    elif ext == ".shp":
        with open(p, "rb") as f:
            _sniff(f.read(4096), ".shp", p.name)
        src = str(p)
    else:
        raise GeoError(_g("format", ext=ext or "-"))
    try:
        gdf = pyogrio.read_dataframe(src, layer=layer)
    except Exception as e:  # pyogrio.errors.DataSourceError, DataLayerError, ...
        raise GeoError(_g("tidak_terbaca", sebab=_short(e))) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.isna().all():
        raise GeoError(_g("tanpa_geometri"))
    gdf = gdf.reset_index(drop=True)
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            gdf = gdf.set_crs(4326)
            gdf.attrs["catatan"] = [_g("crs_dianggap")]
        else:
            raise GeoError(_g("tanpa_crs"))
    elif gdf.crs.to_epsg() != 4326:
        projected = not gdf.crs.is_geographic
        declared, raw_bounds = gdf.crs.to_string(), tuple(float(x) for x in gdf.total_bounds)
        try:
            gdf = gdf.to_crs(4326)
        except Exception as e:
            raise GeoError(_g("crs_gagal", sebab=_short(e))) from None
        if projected:  # for the plausibility check: degrees in a file that declares metres (EPSG:3857 ...)
            gdf.attrs["crs_asal"], gdf.attrs["batas_asal"] = declared, raw_bounds
    geoms = gdf.geometry.values
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if bad.any():
        fixed = np.array([_polygonal(g) for g in shapely.make_valid(geoms[bad])], dtype=object)
        geoms = geoms.copy()
        geoms[bad] = fixed
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=4326))
    return gdf


def _short(e: Exception) -> str:
    s = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    # never echo server paths back to the user
    s = re.sub(r"(/vsizip/)?(/[^\s:'\"]+)+", lambda m: Path(m.group(0)).name, s)
    return s[:200]


def _pick_layer(src: str) -> str | None:
    try:
        layers = pyogrio.list_layers(src)
    except Exception as e:
        raise GeoError(_g("tidak_terbaca", sebab=_short(e))) from None
    poly = [str(n) for n, t in layers if t is None or "polygon" in str(t).lower()]
    if len(poly) == 1:
        return poly[0]
    if not poly and len(layers) == 1:
        return str(layers[0][0])
    names = ", ".join(str(n) for n, _ in layers)
    raise GeoError(_g("layer_banyak", daftar=names))


def _check_zip(path: Path, max_bytes: int, layer: str | None) -> str:
    """Validate a zip and return the member to read (a .shp, .gpkg or .geojson)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise GeoError(_g("zip_bukan", sebab=_short(e))) from None
    with zf:
        try:
            infos = guard_zip(zf, max_members=MAX_ZIP_MEMBERS, max_total=max_bytes, stream=True,
                              compressed_size=path.stat().st_size)
        except ZipRefused as e:
            raise GeoError(e.msg) from None
        names = [i.filename for i in infos if not i.is_dir()
                 and not i.filename.startswith("__MACOSX/") and not PurePosixPath(i.filename).name.startswith("._")]
        lower = {n.lower(): n for n in names}
        cands = [n for n in names if n.lower().endswith(".shp")]
        cands = cands or [n for n in names if n.lower().endswith((".gpkg", ".geojson", ".json"))]
        if layer:
            chosen = [n for n in cands if PurePosixPath(n).stem.lower() == str(layer).lower()]
            if chosen:
                cands = chosen
        if not cands:
            raise GeoError(_g("zip_kosong"))
        if len(cands) > 1:
            listed = ", ".join(PurePosixPath(n).stem for n in cands[:20])
            raise GeoError(_g("zip_layer_banyak", daftar=listed))
        member = cands[0]
        with zf.open(member) as f:
            _sniff(f.read(4096), PurePosixPath(member).suffix.lower(), member)
        if member.lower().endswith(".shp"):
            stem = member[:-4].lower()
            missing = [e for e in (".shx", ".dbf") if stem + e not in lower]
            if missing:
                raise GeoError(_g("shp_tidak_lengkap", hilang=", ".join(missing)))
        return member


def _sniff(head: bytes, ext: str, name: str) -> None:
    """The file must really be what its extension says: GDAL picks its driver from the content,
    and some drivers (VRT, CSV with paths, ...) read other files on the server."""
    ok = {
        ".geojson": lambda h: h.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"),
        ".json": lambda h: h.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"),
        ".gpkg": lambda h: h.startswith(b"SQLite format 3\x00"),
        ".shp": lambda h: h[:4] == b"\x00\x00\x27\x0a",
    }.get(ext)
    if ok is None or not ok(head):
        raise GeoError(_g("bukan_format", nama=repr(PurePosixPath(name).name), ext=ext))


_polygonal = polygonal   # the one definition is ilp.geo.coverage.polygonal (no GIS stack needed)
