"""Boundary files, area-code matching, topology-preserving simplification, GeoJSON for the map.

Pure core: never imports streamlit. Geometries are EPSG:4326 (lon/lat degrees) throughout.

    read_geo(path)                                   -> GeoDataFrame (EPSG:4326)
    normalise_name(s)                                -> 'tanjung pinang barat'
    name_key(s)                                      -> 'tanjungpinangbarat' (what the matcher compares)
    match_features(gdf, wilayah, level, xwalk)       -> MatchResult(matched, unmatched, missing)
    simplify_topology(gdf, tolerance)                -> GeoDataFrame (shared borders kept)
    simplify_for_map(gdf, level)                     -> GeoDataFrame under the level's payload budget
    map_geojson(geom)                                -> GeoJSON geometry text for Plotly (rings clockwise)
    to_geojson_feature_collection(rows)              -> FeatureCollection text (feature id = kode)
    place_points(lon, lat, polygons)                 -> polars frame: kode, aturan, jarak_m per point

Winding order: Plotly's `px.choropleth` draws with d3-geo, which reads a ring wound
anti-clockwise (the RFC 7946 order) as "everything except this polygon" and floods the map.
`map_geojson` therefore winds exterior rings clockwise.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, NamedTuple, Sequence

import geopandas as gpd
import numpy as np
import polars as pl
import pyogrio
import shapely
from pyproj import Transformer

LEVELS = ("kecamatan", "desa")
PARENT_LEVEL = {"kecamatan": "kabkota", "desa": "kecamatan"}

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # largest total uncompressed size accepted from a .zip
MAX_ZIP_MEMBERS = 1_000
COORD_DECIMALS = 5                           # ~1.1 m at the equator
MAP_TOLERANCE = {"kecamatan": 0.0005, "desa": 0.0003}   # degrees (~55 m / ~33 m), coverage simplification
MAP_BUDGET_BYTES = {"kecamatan": 300_000, "desa": 1_500_000}  # map payload per kab/kota
NEAREST_MAX_M = 2_000.0                      # place_points: nearest-polygon fallback radius
FUZZY_THRESHOLD = 90.0                       # rapidfuzz ratio (0-100) for 'nama_fuzzy'
EQUAL_AREA_CRS = "EPSG:6933"                 # for luas_km2

_CODE_RE = {
    "kabkota": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
_NODOT_LEN = {"kabkota": 4, "kecamatan": 6, "desa": 10}
_BPS_LEN = {"kabkota": 4, "kecamatan": 7, "desa": 10}


class GeoError(ValueError):
    """A boundary file that cannot be used; `pesan` is Indonesian, `message` English."""

    def __init__(self, pesan: str, message: str):
        super().__init__(pesan)
        self.pesan = pesan
        self.message = message


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
        try:
            gdf = gdf.to_crs(4326)
        except Exception as e:
            raise GeoError(f"sistem koordinat file tidak bisa diubah ke EPSG:4326: {_short(e)}",
                           f"the file's CRS cannot be transformed to EPSG:4326: {_short(e)}") from None
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


# ---------------------------------------------------------------- names and codes

_PREFIXES = ("kecamatan", "kelurahan", "kabupaten", "kec", "kel", "kab", "desa", "ds", "kota")
_PREFIX_RE = re.compile(r"^(?:" + "|".join(_PREFIXES) + r")\b\.?\s*")
_ABBREV = {"tj": "tanjung", "tg": "tanjung", "kp": "kampung", "sei": "sungai", "sg": "sungai",
           "pd": "pondok", "kr": "karang", "ps": "pasar"}


def normalise_name(s) -> str:
    """Comparison form of an area name.

    Lower case, accents removed, leading administrative prefixes removed ("Kec.", "Kecamatan",
    "Desa", "Ds.", "Kel.", "Kelurahan", "Kab.", "Kabupaten", "Kota"; only when a name remains),
    punctuation to spaces, common abbreviations spelt out (Tj./Tg. → tanjung, Kp. → kampung,
    Sei/Sg. → sungai, Pd. → pondok, Kr. → karang, Ps. → pasar), spaces collapsed:
    "Kec. Tanjung-Pinang  Barat" → "tanjung pinang barat".
    The matcher compares `name_key` (this without spaces), so "TANJUNGPINANG BARAT" and
    "Tanjung Pinang Barat" are the same name.
    """
    if s is None:
        return ""
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    s = s.replace("\u00a0", " ").strip()
    while True:
        m = _PREFIX_RE.match(s)
        if not m or not s[m.end():].strip(" .,-_"):
            break
        s = s[m.end():]
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return " ".join(_ABBREV.get(w, w) for w in s.split())


def name_key(s) -> str:
    """normalise_name without spaces: the key names are matched on."""
    return normalise_name(s).replace(" ", "")


def code_to_dotted(v, level: str) -> str | None:
    """'352301' or '35.23.01' → '35.23.01' when it has the shape of a `level` code, else None."""
    if v is None:
        return None
    s = _as_text(v)
    if s is None:
        return None
    if _CODE_RE[level].match(s):
        return s
    if s.isdigit() and len(s) == _NODOT_LEN[level]:
        return ".".join([s[0:2], s[2:4], s[4:6], s[6:10]][: {4: 2, 6: 3, 10: 4}[len(s)]])
    return None


def _as_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        if v.is_integer():
            return str(int(v))
    s = str(v).strip()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s or None


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class UnmatchedFeature:
    index: int            # 0-based feature index in the file (report as index + 1)
    column: str | None    # property the feature was identified by (name or code column)
    value: str | None     # its value
    pesan: str            # Indonesian reason
    message: str          # English reason


class MatchResult(NamedTuple):
    matched: gpd.GeoDataFrame              # fitur (0-based index), kode, aturan_cocok, kolom, nilai, geometry
    unmatched: list[UnmatchedFeature]
    missing: list[tuple[str, str]]         # (kode, nama) of wilayah at that level without a polygon


@dataclass
class _Cand:
    kode: str
    rule: str
    column: str | None
    value: str | None


def _column_values(gdf: gpd.GeoDataFrame) -> dict[str, list[str | None]]:
    out = {}
    for c in gdf.columns:
        if c == gdf.geometry.name:
            continue
        s = gdf[c]
        if s.dtype.kind in "fiub" or s.dtype == object or "str" in str(s.dtype).lower():
            out[str(c)] = [None if (v is None or (isinstance(v, float) and not math.isfinite(v))) else _as_text(v)
                           for v in s.tolist()]
    return out


def _rate(values: list[str | None], hit) -> float:
    vals = [v for v in values if v is not None]
    if not vals:
        return 0.0
    return sum(1 for v in vals if hit(v)) / len(vals)


def match_features(gdf: gpd.GeoDataFrame, wilayah: pl.DataFrame, level: str,
                   xwalk: pl.DataFrame | None = None, *, parents: gpd.GeoDataFrame | None = None,
                   fuzzy_threshold: float = FUZZY_THRESHOLD, merge_same_code: bool = False) -> MatchResult:
    """Match boundary features to wilayah codes at `level` ('kecamatan' or 'desa').

    wilayah: rows of the wilayah table (kode, nama, level; the kabkota and, for desa, kecamatan
    rows give the parent names; other columns are ignored). xwalk: rows of xwalk_bps_dagri (kode_bps, level, kode_dagri).
    parents: optional polygons (kode + geometry) of the parent level, used only to tell apart
    areas with the same name inside one kab/kota (a desa layer without kecamatan columns).

    Per feature, the first rule that gives one code wins:
      kode       a property whose values are Kemendagri codes of this level (with or without dots)
      kode_bps   a property of BPS codes, through the crosswalk
      nama       the normalised name, inside the parent given by the feature (parent code or name
                 column, or the parent polygon the feature lies in), else unique in its kab/kota,
                 else unique among all given wilayah
      nama_fuzzy rapidfuzz ratio >= fuzzy_threshold, one-to-one (each the other's only best),
                 among features and codes left over, same parent/kab scope
    Features whose code column holds a well-formed code of a kab/kota that is not in `wilayah`
    (a provincial or national file) are skipped: their indices are in matched.attrs['di_luar'].
    Two features resolving to one kode are never silently merged: all of them are reported
    unmatched (unless merge_same_code=True and every one of them carries that exact code, when
    their geometries are united into one feature).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    w = wilayah.select("kode", "nama", "level")
    lev = w.filter(pl.col("level") == level)
    kode_nama = dict(zip(lev["kode"].to_list(), lev["nama"].to_list()))
    kode_parent = {k: k.rsplit(".", 1)[0] for k in kode_nama}
    kode_kab = {k: k[:5] for k in kode_nama}
    plev = PARENT_LEVEL[level]
    par = w.filter(pl.col("level") == plev)
    parent_codes = set(par["kode"].to_list())
    parent_by_key: dict[str, list[str]] = {}
    for k, n in zip(par["kode"].to_list(), par["nama"].to_list()):
        parent_by_key.setdefault(name_key(n), []).append(k)
    kab_by_key: dict[str, list[str]] = {}
    kab = w.filter(pl.col("level") == "kabkota")
    for k, n in zip(kab["kode"].to_list(), kab["nama"].to_list()):
        kab_by_key.setdefault(name_key(n), []).append(k)

    # BPS → Kemendagri (only pairs whose Kemendagri side is a known code)
    bps_map: dict[str, dict[str, list[str]]] = {"kabkota": {}, "kecamatan": {}, "desa": {}}
    if xwalk is not None and xwalk.height:
        for b, lv, d in zip(xwalk["kode_bps"].to_list(), xwalk["level"].to_list(), xwalk["kode_dagri"].to_list()):
            if lv in bps_map and b and d:
                bps_map[lv].setdefault(str(b).strip(), []).append(d)

    def bps_resolve(v: str, lv: str, known: set | dict) -> list[str]:
        if not (v.isdigit() and len(v) == _BPS_LEN[lv]):
            return []
        return sorted({d for d in bps_map[lv].get(v, []) if d in known})

    by_key: dict[str, list[str]] = {}
    for k, n in kode_nama.items():
        by_key.setdefault(name_key(n), []).append(k)

    cols = _column_values(gdf)
    n_feat = len(gdf)

    # --- detect columns
    # A column holds Kemendagri codes when some values are known codes and it reads better that way
    # than as BPS codes (a 10-digit desa code has the same length in both systems).
    rates = {c: (_rate(v, lambda s: code_to_dotted(s, level) in kode_nama),
                 _rate(v, lambda s: bool(bps_resolve(s, level, kode_nama))),
                 _rate(v, lambda s: code_to_dotted(s, level) is not None)) for c, v in cols.items()}
    code_cols = [c for c, (k, b, shp) in sorted(rates.items(), key=lambda t: -t[1][0])
                 if k > 0 and k >= b and (shp >= 0.8 or k >= 0.2)]
    bps_cols = [c for c, (k, b, shp) in sorted(rates.items(), key=lambda t: -t[1][1])
                if b > 0 and b > k and c not in code_cols]
    used = set(code_cols) | set(bps_cols)
    name_rates = sorted(((c, _rate(v, lambda s: name_key(s) in by_key)) for c, v in cols.items()
                         if c not in used and not any(code_to_dotted(x, lv) for x in v[:50] if x for lv in _CODE_RE)),
                        key=lambda t: -t[1])
    name_col = name_rates[0][0] if name_rates and name_rates[0][1] > 0 else None
    if name_col is None:  # report unmatched features by a likely name column anyway
        guess = [c for c in cols if re.search(r"nam|name|wadm|desa|kec|kel", c, re.I) and c not in used]
        name_col_report = guess[0] if guess else None
    else:
        name_col_report = name_col
    # parent info: codes (Kemendagri or BPS) or names of the parent level
    pcode_cols = [c for c, v in cols.items() if c not in used and c != name_col
                  and _rate(v, lambda s: code_to_dotted(s, plev) in parent_codes
                            or bool(bps_resolve(s, plev, parent_codes))) >= 0.5]
    pname_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pcode_cols
                  and _rate(v, lambda s: name_key(s) in parent_by_key) >= 0.5]
    kcode_cols, kname_cols = [], []
    if plev != "kabkota":
        kab_codes = set(kab["kode"].to_list())
        kcode_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pcode_cols
                      and _rate(v, lambda s: code_to_dotted(s, "kabkota") in kab_codes
                                or bool(bps_resolve(s, "kabkota", kab_codes))) >= 0.5]
        kname_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pname_cols
                      and c not in kcode_cols and _rate(v, lambda s: name_key(s) in kab_by_key) >= 0.5]

    # spatial parent (only for telling apart duplicate names)
    spatial_parent: list[str | None] = [None] * n_feat
    if parents is not None and len(parents):
        pts = shapely.point_on_surface(gdf.geometry.values)
        placed = place_points(shapely.get_x(pts), shapely.get_y(pts), parents, max_distance_m=0)
        spatial_parent = placed["kode"].to_list()

    def feature_parent(i: int) -> tuple[str | None, str | None]:
        """(parent kode, kab kode) the feature's own properties point to."""
        p = None
        for c in pcode_cols:
            v = cols[c][i]
            if v is None:
                continue
            d = code_to_dotted(v, plev)
            if d in parent_codes:
                p = d
                break
            r = bps_resolve(v, plev, parent_codes)
            if len(r) == 1:
                p = r[0]
                break
        kb = p[:5] if p else None
        if kb is None:
            for c in kcode_cols:
                v = cols[c][i]
                if v is None:
                    continue
                d = code_to_dotted(v, "kabkota")
                r = [d] if d else bps_resolve(v, "kabkota", set(kab["kode"].to_list()))
                if len(r) == 1:
                    kb = r[0]
                    break
            if kb is None:
                for c in kname_cols:
                    r = kab_by_key.get(name_key(cols[c][i]), []) if cols[c][i] else []
                    if len(r) == 1:
                        kb = r[0]
                        break
        if p is None:
            for c in pname_cols:
                v = cols[c][i]
                r = [k for k in parent_by_key.get(name_key(v), []) if kb is None or k.startswith(kb)] if v else []
                if len(r) == 1:
                    p = r[0]
                    break
        if plev == "kabkota" and p is not None:
            kb = p
        return p, kb

    # --- features of kab/kota that are not loaded (a provincial or national file): skipped, counted
    loaded_kabs = {k[:5] for k in kode_nama}
    bps_kabs = set(bps_map["kabkota"])
    outside: set[int] = set()
    if code_cols or bps_cols:
        for i in range(n_feat):
            v = cols[code_cols[0]][i] if code_cols else None
            d = code_to_dotted(v, level) if v else None
            if d is not None and d[:5] not in loaded_kabs:
                outside.add(i)
            elif not code_cols and bps_kabs:
                b = cols[bps_cols[0]][i]
                if b and b.isdigit() and len(b) == _BPS_LEN[level] and b[:4] not in bps_kabs:
                    outside.add(i)

    # --- per-feature candidates
    cands: list[_Cand | None] = [None] * n_feat
    scopes: list[tuple[str | None, str | None]] = [(None, None)] * n_feat
    reasons: dict[int, UnmatchedFeature] = {}
    geoms = gdf.geometry.values
    for i in range(n_feat):
        if i in outside:
            continue
        g = geoms[i]
        if g is None or g.is_empty or _polygonal(g) is None:
            reasons[i] = UnmatchedFeature(i, name_col_report, cols[name_col_report][i] if name_col_report else None,
                                          "fitur tidak punya poligon (geometri kosong atau bukan poligon)",
                                          "the feature has no polygon (empty or non-polygon geometry)")
            continue
        for c in code_cols:
            d = code_to_dotted(cols[c][i], level)
            if d in kode_nama:
                cands[i] = _Cand(d, "kode", c, cols[c][i])
                break
        if cands[i] is None:
            for c in bps_cols:
                v = cols[c][i]
                r = bps_resolve(v, level, kode_nama) if v else []
                if len(r) == 1:
                    cands[i] = _Cand(r[0], "kode_bps", c, v)
                    break
                if len(r) > 1:
                    reasons[i] = UnmatchedFeature(
                        i, c, v, f"kode BPS {v} cocok ke beberapa kode Kemendagri ({', '.join(r)}) — wilayah sudah "
                                 "dimekarkan; tidak ditebak",
                        f"BPS code {v} maps to several Kemendagri codes ({', '.join(r)}) — the area was split; "
                        "not guessed")
        if cands[i] is not None:
            continue
        p, kb = feature_parent(i)
        scopes[i] = (p, kb)
        if name_col is None:
            continue
        v = cols[name_col][i]
        key = name_key(v) if v else ""
        hits = by_key.get(key, [])
        if not hits:
            continue
        pick: list[str] = []
        if p is not None:
            pick = [k for k in hits if kode_parent.get(k) == p]
        if not pick and kb is not None:
            pick = [k for k in hits if kode_kab[k] == kb]
        if not pick and p is None and kb is None:
            pick = hits
        if len(pick) > 1 and spatial_parent[i] is not None:
            narrowed = [k for k in pick if kode_parent.get(k) == spatial_parent[i]]
            if narrowed:
                pick = narrowed
        if len(pick) == 1:
            cands[i] = _Cand(pick[0], "nama", name_col, v)
        elif len(pick) > 1:
            lst = ", ".join(f"{k} ({kode_nama[k]})" for k in pick[:6])
            reasons[i] = UnmatchedFeature(
                i, name_col, v, f"nama {v!r} ada di beberapa wilayah ({lst}); tambahkan kolom kode atau "
                                "kecamatan/kabupaten induk",
                f"name {v!r} exists in several areas ({lst}); add a code column or the parent kecamatan/kab column")

    # --- one kode, one feature
    claims: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        if c is not None:
            claims.setdefault(c.kode, []).append(i)
    merged_geoms: dict[int, object] = {}
    for k, idx in claims.items():
        if len(idx) < 2:
            continue
        if merge_same_code and all(cands[i].rule in ("kode", "kode_bps") and cands[i].value == cands[idx[0]].value
                                   for i in idx):
            merged_geoms[idx[0]] = shapely.union_all([_polygonal(geoms[i]) for i in idx])
            for i in idx[1:]:
                cands[i] = None
                reasons[i] = UnmatchedFeature(i, None, None, f"digabung dengan fitur {idx[0] + 1} (kode sama {k})",
                                              f"merged into feature {idx[0] + 1} (same code {k})")
            continue
        rows = ", ".join(str(i + 1) for i in idx)
        for i in idx:
            c = cands[i]
            reasons[i] = UnmatchedFeature(
                i, c.column, c.value,
                f"fitur {rows} sama-sama cocok ke {k} ({kode_nama[k]}) [{c.rule}]; tidak ada yang dipakai — "
                "perbaiki duplikat di file",
                f"features {rows} all match {k} ({kode_nama[k]}) [{c.rule}]; none was used — fix the duplicate "
                "in the file")
            cands[i] = None
    claimed = {c.kode for c in cands if c is not None} | {k for k, idx in claims.items() if len(idx) > 1}

    # --- fuzzy, one-to-one, for what is left
    if name_col is not None and fuzzy_threshold <= 100:
        from rapidfuzz import fuzz
        left = [i for i in range(n_feat) if cands[i] is None and i not in reasons and cols[name_col][i]]
        free = [k for k in kode_nama if k not in claimed]
        scores: dict[tuple[int, str], float] = {}
        for i in left:
            p, kb = scopes[i]
            pool = [k for k in free if (p is None or kode_parent.get(k) == p) and (kb is None or kode_kab[k] == kb)]
            a = normalise_name(cols[name_col][i])
            for k in pool:
                s = max(fuzz.ratio(a, normalise_name(kode_nama[k])),
                        fuzz.ratio(a.replace(" ", ""), name_key(kode_nama[k])))
                if s >= fuzzy_threshold:
                    scores[(i, k)] = s
        best_f: dict[int, list[tuple[float, str]]] = {}
        best_k: dict[str, list[tuple[float, int]]] = {}
        for (i, k), s in scores.items():
            best_f.setdefault(i, []).append((s, k))
            best_k.setdefault(k, []).append((s, i))
        for i, lst in best_f.items():
            lst.sort(reverse=True)
            s, k = lst[0]
            if len(lst) > 1 and lst[1][0] == s:
                continue  # tie: not one-to-one
            kl = sorted(best_k[k], reverse=True)
            if kl[0][1] != i or (len(kl) > 1 and kl[1][0] == kl[0][0]):
                continue
            cands[i] = _Cand(k, "nama_fuzzy", name_col, cols[name_col][i])

    # --- assemble
    rows_out = []
    unmatched: list[UnmatchedFeature] = []
    for i in range(n_feat):
        c = cands[i]
        if i in outside:
            continue
        if c is None:
            if i in reasons:
                unmatched.append(reasons[i])
            else:
                col = name_col_report or (code_cols[0] if code_cols else None)
                val = cols[col][i] if col else None
                what = f"{val!r}" if val else "(tanpa nama/kode)"
                unmatched.append(UnmatchedFeature(
                    i, col, val,
                    f"fitur {what} tidak cocok dengan kode atau nama {level} mana pun di data wilayah",
                    f"feature {what if val else '(no name/code)'} matches no {level} code or name in the wilayah data"))
            continue
        g = merged_geoms.get(i, _polygonal(geoms[i]))
        rows_out.append({"fitur": i, "kode": c.kode, "aturan_cocok": c.rule, "kolom": c.column,
                         "nilai": c.value, "geometry": g})
    matched = gpd.GeoDataFrame(rows_out, columns=["fitur", "kode", "aturan_cocok", "kolom", "nilai", "geometry"],
                               geometry="geometry", crs=4326)
    matched.attrs["kolom"] = {"kode": code_cols, "kode_bps": bps_cols, "nama": name_col,
                              "induk_kode": pcode_cols, "induk_nama": pname_cols}
    matched.attrs["di_luar"] = sorted(outside)
    got = set(matched["kode"])
    kabs = {k[:5] for k in got}
    missing = [(k, n) for k, n in sorted(kode_nama.items()) if k not in got and (not kabs or k[:5] in kabs)]
    return MatchResult(matched, unmatched, missing)


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
                     tolerance: float | None = None) -> gpd.GeoDataFrame:
    """simplify_topology with the level's tolerance, doubled until the GeoJSON payload fits.

    Budget: MAP_BUDGET_BYTES[level] per kab/kota present (from a 'kode' column), unless max_bytes.
    """
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


# ---------------------------------------------------------------- GeoJSON for the map

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
        it: Iterable[Mapping] = rows.iter_rows(named=True)
    else:
        it = rows
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


__all__ = [
    "GeoError", "MatchResult", "UnmatchedFeature", "read_geo", "normalise_name", "name_key", "code_to_dotted",
    "match_features", "simplify_topology", "simplify_for_map", "map_geojson", "payload_bytes",
    "to_geojson_feature_collection", "place_points", "area_km2", "MAX_UNCOMPRESSED_BYTES", "MAP_BUDGET_BYTES",
    "MAP_TOLERANCE", "NEAREST_MAX_M",
]
