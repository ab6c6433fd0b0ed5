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
        raise GeoError(f"file tidak ditemukan: {p.name}", f"file not found: {p.name}")
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
        raise GeoError(f"format file peta {ext or '(tanpa ekstensi)'} tidak didukung; gunakan .geojson, "
                       ".zip (Shapefile) atau .gpkg",
                       f"map file format {ext or '(no extension)'} is not supported; use .geojson, "
                       ".zip (Shapefile) or .gpkg")
    try:
        gdf = pyogrio.read_dataframe(src, layer=layer)
    except Exception as e:  # pyogrio.errors.DataSourceError, DataLayerError, ...
        raise GeoError(f"file peta tidak bisa dibaca: {_short(e)}", f"map file cannot be read: {_short(e)}") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.isna().all():
        raise GeoError("file tidak berisi geometri (poligon batas wilayah)",
                       "the file holds no geometry (boundary polygons)")
    gdf = gdf.reset_index(drop=True)
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            gdf = gdf.set_crs(4326)
            gdf.attrs["catatan"] = ["file tanpa sistem koordinat (CRS); dianggap EPSG:4326 (bujur/lintang)"]
        else:
            raise GeoError(
                "file tidak menyertakan sistem koordinat (CRS, mis. file .prj) dan koordinatnya bukan derajat "
                "bujur/lintang; sertakan file .prj di dalam zip atau ekspor ulang ke EPSG:4326",
                "the file has no coordinate reference system (CRS, e.g. a .prj file) and its coordinates are "
                "not lon/lat degrees; include the .prj in the zip or export again in EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        projected = not gdf.crs.is_geographic
        declared, raw_bounds = gdf.crs.to_string(), tuple(float(x) for x in gdf.total_bounds)
        try:
            gdf = gdf.to_crs(4326)
        except Exception as e:
            raise GeoError(f"sistem koordinat file tidak bisa diubah ke EPSG:4326: {_short(e)}",
                           f"the file's CRS cannot be transformed to EPSG:4326: {_short(e)}") from None
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
        raise GeoError(f"file peta tidak bisa dibaca: {_short(e)}", f"map file cannot be read: {_short(e)}") from None
    poly = [str(n) for n, t in layers if t is None or "polygon" in str(t).lower()]
    if len(poly) == 1:
        return poly[0]
    if not poly and len(layers) == 1:
        return str(layers[0][0])
    names = ", ".join(str(n) for n, _ in layers)
    raise GeoError(f"GeoPackage berisi beberapa layer ({names}); pilih satu dengan opsi 'layer'",
                   f"the GeoPackage holds several layers ({names}); choose one with the 'layer' option")


def _unsafe_member(name: str) -> bool:
    n = name.replace("\\", "/")
    return (n.startswith("/") or bool(re.match(r"^[A-Za-z]:", n)) or ".." in n.split("/")
            or "\x00" in n)


def _check_zip(path: Path, max_bytes: int, layer: str | None) -> str:
    """Validate a zip and return the member to read (a .shp, .gpkg or .geojson)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise GeoError(f"file .zip rusak atau bukan arsip zip: {_short(e)}",
                       f"the .zip is broken or not a zip archive: {_short(e)}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise GeoError(f"arsip zip ditolak: terlalu banyak isi ({len(infos)} file)",
                           f"zip refused: too many members ({len(infos)} files)")
        for info in infos:
            if _unsafe_member(info.filename):
                raise GeoError(f"arsip zip ditolak: berisi jalur file berbahaya {info.filename!r} "
                               "('..' atau jalur absolut). Tidak ada data yang disimpan.",
                               f"zip refused: it holds a dangerous member path {info.filename!r} "
                               "('..' or an absolute path). Nothing was written.")
            if info.flag_bits & 0x1:
                raise GeoError("arsip zip ditolak: berisi file terenkripsi (berkata sandi)",
                               "zip refused: it holds encrypted (password-protected) members")
        declared = sum(i.file_size for i in infos)
        if declared > max_bytes:
            raise _zip_bomb(declared, path, max_bytes)
        # stream every member: the real uncompressed size, CRC-checked by zipfile
        total = 0
        try:
            for info in infos:
                if info.is_dir():
                    continue
                with zf.open(info) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        if total > max_bytes:
                            raise _zip_bomb(total, path, max_bytes)
        except GeoError:
            raise
        except Exception as e:  # BadZipFile (CRC), zlib.error, NotImplementedError (method)
            raise GeoError(f"arsip zip rusak: {_short(e)}", f"broken zip archive: {_short(e)}") from None
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
            raise GeoError("arsip zip tidak berisi Shapefile (.shp), GeoPackage atau GeoJSON",
                           "the zip holds no Shapefile (.shp), GeoPackage or GeoJSON")
        if len(cands) > 1:
            listed = ", ".join(PurePosixPath(n).stem for n in cands[:20])
            raise GeoError(f"arsip zip berisi beberapa layer ({listed}); pilih satu dengan opsi 'layer'",
                           f"the zip holds several layers ({listed}); choose one with the 'layer' option")
        member = cands[0]
        with zf.open(member) as f:
            _sniff(f.read(4096), PurePosixPath(member).suffix.lower(), member)
        if member.lower().endswith(".shp"):
            stem = member[:-4].lower()
            missing = [e for e in (".shx", ".dbf") if stem + e not in lower]
            if missing:
                raise GeoError(f"Shapefile di dalam zip tidak lengkap: file {', '.join(missing)} tidak ada",
                               f"the Shapefile in the zip is incomplete: {', '.join(missing)} missing")
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
        raise GeoError(f"isi file {PurePosixPath(name).name!r} bukan {ext} yang sah (format tidak sesuai ekstensinya)",
                       f"the content of {PurePosixPath(name).name!r} is not a valid {ext} (does not match its extension)")


def _zip_bomb(size: int, path: Path, limit: int) -> GeoError:
    comp = path.stat().st_size
    return GeoError(
        f"arsip zip ditolak: isinya terlalu besar setelah dibuka (lebih dari {limit / 1048576:.0f} MB dari "
        f"file {comp / 1048576:.1f} MB; kemungkinan 'zip bomb'). Tidak ada data yang disimpan.",
        f"zip refused: too large once unpacked (more than {limit / 1048576:.0f} MB from a "
        f"{comp / 1048576:.1f} MB file; possible zip bomb). Nothing was written.")


def _polygonal(g):
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
