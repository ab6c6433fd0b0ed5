"""Import kind 'boundaries': kecamatan or desa polygons → batas_wilayah.

Accepts GeoJSON (.geojson/.json), a zipped Shapefile (.zip) or a GeoPackage (.gpkg), any CRS
(reprojected to EPSG:4326). Features are matched to the wilayah rows already in the database
(import 'wilayah' first) by Kemendagri code, BPS code (xwalk_bps_dagri), name within the parent
area, or — last, one-to-one only — a close name ('nama_fuzzy'). See ilp.geo.match_features.

Options:
    level              'kecamatan' | 'desa' (default: whichever matches more features; said in the notes)
    layer              layer name inside a GeoPackage or a zip holding several Shapefiles
    gabung_kode_sama   true: features carrying the same code are united (islands stored as
                       separate features); default false: they are reported, none is used
    ambang_fuzzy       rapidfuzz threshold 0-100 for 'nama_fuzzy' (default 90; 101 = off)

Writes batas_wilayah: geom_wkb = full geometry; geojson = simplified for the map (shared borders
kept, 5 decimals, exterior rings clockwise for Plotly); luas_km2 in EPSG:6933; lat/lon = a
representative point inside the polygon. Every feature that matches nothing is a Problem
(row = feature number, column = its name/code property); notes list the wilayah without a
polygon and end with 'matched N of M' (M = features, not counting those of kab/kota that are not
loaded, which a provincial or national file holds; their number is in the notes).
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import polars as pl
import shapely

from ilp import geo
from ilp.db import fetch_pl
from ilp.ingest.base import ImportKind, Parsed, Problem, Source

EXTENSIONS = (".geojson", ".json", ".zip", ".gpkg")
BATAS_COLS = ("kode", "level", "geom_wkb", "geojson", "luas_km2", "lat", "lon", "aturan_cocok", "sumber", "import_id")
MAX_MISSING_LISTED = 60


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("1", "true", "ya", "yes", "y", "on")


def _schema() -> dict:
    return {"kode": pl.String, "level": pl.String, "geom_wkb": pl.Binary, "geojson": pl.String,
            "luas_km2": pl.Float64, "lat": pl.Float64, "lon": pl.Float64, "aturan_cocok": pl.String,
            "sumber": pl.String, "import_id": pl.String}


def load_polygons(con, level: str, kab: str | None = None) -> gpd.GeoDataFrame:
    """batas_wilayah polygons (full geometry) of one level, optionally one kab/kota, as a GeoDataFrame."""
    if kab:
        df = fetch_pl(con, "select kode, geom_wkb from batas_wilayah where level = $level and kode like $kab || '.%'",
                      {"level": level, "kab": kab})
    else:
        df = fetch_pl(con, "select kode, geom_wkb from batas_wilayah where level = $level", {"level": level})
    geoms = shapely.from_wkb(df["geom_wkb"].to_list()) if df.height else []
    return gpd.GeoDataFrame({"kode": df["kode"].to_list()}, geometry=list(geoms), crs=4326)


def parse(src: Source, con) -> Parsed:
    opts = dict(src.options or {})
    out = Parsed()
    ext = Path(src.name).suffix.lower() or Path(src.path).suffix.lower()
    if ext not in EXTENSIONS:
        out.problems.append(Problem(None, None, f"format {ext or '(tanpa ekstensi)'} tidak didukung untuk batas "
                                                "wilayah; gunakan .geojson, .zip (Shapefile) atau .gpkg",
                                    f"format {ext or '(no extension)'} is not supported for boundaries; use "
                                    ".geojson, .zip (Shapefile) or .gpkg"))
        return out
    level = opts.get("level")
    if level is not None and level not in geo.LEVELS:
        out.problems.append(Problem(None, None, f"opsi level harus 'kecamatan' atau 'desa', bukan {level!r}",
                                    f"option level must be 'kecamatan' or 'desa', not {level!r}", str(level)))
        return out
    try:
        gdf = geo.read_geo(src.path, layer=opts.get("layer"), ext=ext)
    except geo.GeoError as e:
        out.problems.append(Problem(None, None, e.pesan, e.message))
        return out
    out.rows_read = len(gdf)
    out.notes += list(gdf.attrs.get("catatan", []))

    wil = fetch_pl(con, "select kode, nama, level, parent, kode_kab from wilayah "
                        "where level in ('kabkota', 'kecamatan', 'desa')")
    xw = fetch_pl(con, "select kode_bps, level, kode_dagri from xwalk_bps_dagri")
    levels = [level] if level else list(geo.LEVELS)
    levels = [lv for lv in levels if wil.filter(pl.col("level") == lv).height]
    if not levels:
        out.problems.append(Problem(None, None, f"belum ada data wilayah{' ' + level if level else ''} di basis data; "
                                                "impor daftar kode wilayah (jenis 'wilayah') lebih dulu",
                                    f"no {level or ''} wilayah rows in the database yet; import the area-code list "
                                    "(kind 'wilayah') first"))
        return out
    merge = _truthy(opts.get("gabung_kode_sama", False))
    thr = float(opts.get("ambang_fuzzy", geo.FUZZY_THRESHOLD))
    results = {}
    for lv in levels:
        parents = load_polygons(con, "kecamatan") if lv == "desa" else None
        results[lv] = geo.match_features(gdf, wil, lv, xw, parents=parents if parents is not None and len(parents)
                                         else None, fuzzy_threshold=thr, merge_same_code=merge)
    if level is None:
        level = max(levels, key=lambda lv: (len(results[lv].matched), lv == "kecamatan"))
        out.notes.append(f"level tidak diberikan; dipakai '{level}' (paling banyak fitur yang cocok)")
    matched, unmatched, missing = results[level]

    for u in unmatched:
        out.problems.append(Problem(u.index + 1, u.column, u.pesan, u.message, u.value))

    if len(matched):
        full = matched.geometry.values
        simp = geo.simplify_for_map(matched[["kode", "geometry"]], level)
        reps = shapely.point_on_surface(full)
        frame = pl.DataFrame({
            "kode": matched["kode"].tolist(),
            "level": [level] * len(matched),
            "geom_wkb": [bytes(b) for b in shapely.to_wkb(full)],
            "geojson": [geo.map_geojson(g) for g in simp.geometry.values],
            "luas_km2": [float(a) for a in geo.area_km2(full)],
            "lat": [float(v) for v in shapely.get_y(reps)],
            "lon": [float(v) for v in shapely.get_x(reps)],
            "aturan_cocok": matched["aturan_cocok"].tolist(),
            "sumber": [src.name] * len(matched),
            "import_id": [None] * len(matched),
        }, schema=_schema())
        kb = sum(len(s) for s in frame["geojson"].to_list()) / 1024
        rules = frame.group_by("aturan_cocok").len().sort("aturan_cocok")
        out.notes.append("aturan cocok: " + ", ".join(f"{r} {n}" for r, n in rules.iter_rows()))
        out.notes.append(f"GeoJSON peta {level}: {kb:,.0f} KB (toleransi penyederhanaan "
                         f"{simp.attrs.get('tolerance', 0):g}°)".replace(",", "."))
        fuzzy = matched[matched["aturan_cocok"] == "nama_fuzzy"]
        for _, r in fuzzy.iterrows():
            out.notes.append(f"cocok dengan nama mirip: fitur {r['fitur'] + 1} {r['nilai']!r} → {r['kode']}")
    else:
        frame = pl.DataFrame(schema=_schema())
    out.tables["batas_wilayah"] = frame
    out.rows_valid = frame.height
    outside = matched.attrs.get("di_luar", [])
    if outside:
        out.notes.append(f"{len(outside)} fitur milik kab/kota yang belum dimuat dilewati (impor daftar wilayahnya "
                         "dulu bila diperlukan)")
    if missing:
        shown = "; ".join(f"{k} {n}" for k, n in missing[:MAX_MISSING_LISTED])
        more = f" … dan {len(missing) - MAX_MISSING_LISTED} lagi" if len(missing) > MAX_MISSING_LISTED else ""
        out.notes.append(f"{len(missing)} {level} tanpa poligon: {shown}{more}")
    out.notes.append(f"matched {len(matched)} of {len(gdf) - len(outside)}")
    return out


KIND = ImportKind(
    name="boundaries",
    title_id="Batas wilayah (poligon kecamatan / desa)",
    title_en="Area boundaries (kecamatan / desa polygons)",
    tables=("batas_wilayah",),
    columns=(
        ("kode", "Properti kode Kemendagri (dengan/tanpa titik) — atau kode BPS, atau hanya nama", "35.23.01"),
        ("nama", "Properti nama wilayah (mis. nama, NAMOBJ, WADMKC, WADMKD); awalan Kec./Desa/Kel. boleh", "Kenduruan"),
        ("induk", "Opsional: kode atau nama kecamatan/kab induk (membedakan nama desa yang sama)", "Kenduruan"),
        ("geometri", "Poligon/MultiPolygon; sistem koordinat apa pun (.prj wajib di Shapefile)", "EPSG:4326"),
    ),
    parse=parse,
    extensions=EXTENSIONS,
)
