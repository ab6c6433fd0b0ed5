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
from ilp import db
from ilp.geo.matching import implausible_features
from ilp.ingest.base import ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.names import YA_TIDAK, vocab_key

EXTENSIONS = (".geojson", ".json", ".zip", ".gpkg")
BATAS_COLS = ("kode", "level", "geom_wkb", "geojson", "luas_km2", "lat", "lon", "aturan_cocok", "sumber", "import_id")
MAX_MISSING_LISTED = 60


def _truthy(v) -> bool:
    return v is True or YA_TIDAK.get(vocab_key(v)) is True or vocab_key(v) == "on"


def geo_msg(obj) -> Msg:
    """The message of a geo finding (GeoError, unmatched feature)."""
    return obj.msg


def _schema() -> dict:
    return {"kode": pl.String, "level": pl.String, "geom_wkb": pl.Binary, "geojson": pl.String,
            "luas_km2": pl.Float64, "lat": pl.Float64, "lon": pl.Float64, "aturan_cocok": pl.String,
            "sumber": pl.String, "import_id": pl.String}


def load_polygons(con, level: str, kab: str | None = None) -> gpd.GeoDataFrame:
    """batas_wilayah polygons (full geometry) of one level, optionally one kab/kota, as a GeoDataFrame."""
    df = db.run(con, "ingest/batas_level", level=level, kab=kab or None)
    geoms = shapely.from_wkb(df["geom_wkb"].to_list()) if df.height else []
    return gpd.GeoDataFrame({"kode": df["kode"].to_list()}, geometry=list(geoms), crs=4326)


def parse(src: Source, con) -> Parsed:
    opts = dict(src.options or {})
    out = Parsed()
    ext = Path(src.name).suffix.lower() or Path(src.path).suffix.lower()
    if ext not in EXTENSIONS:
        out.problems.append(Problem(None, None, Msg("impor.batas.format", {"ext": ext or "-"})))
        return out
    level = opts.get("level")
    if level is not None and level not in geo.LEVELS:
        out.problems.append(Problem(None, None, Msg("impor.batas.opsi_level", {"v": level}), str(level)))
        return out
    try:
        gdf = geo.read_geo(src.path, layer=opts.get("layer"), ext=ext)
    except geo.GeoError as e:
        out.problems.append(Problem(None, None, geo_msg(e)))
        return out
    out.rows_read = len(gdf)
    out.notes += list(gdf.attrs.get("catatan", []))

    wil = db.run(con, "ingest/wilayah_untuk_batas").drop("kode_kec")
    xw = db.run(con, "ingest/padanan_bps")
    levels = [level] if level else list(geo.LEVELS)
    levels = [lv for lv in levels if wil.filter(pl.col("level") == lv).height]
    if not levels:
        out.problems.append(Problem(None, None, Msg("impor.batas.wilayah_kosong",
                                                    {"level": Msg(f"impor.level.{level}") if level else ""})))
        return out
    merge = _truthy(opts.get("gabung_kode_sama", False))
    try:
        thr = float(opts.get("ambang_fuzzy") or geo.FUZZY_THRESHOLD)
    except ValueError:
        out.problems.append(Problem(None, None, Msg("impor.batas.opsi_ambang", {"v": opts.get("ambang_fuzzy")})))
        return out
    results = {}
    for lv in levels:
        parents = load_polygons(con, "kecamatan") if lv == "desa" else None
        results[lv] = geo.match_features(gdf, wil, lv, xw, parents=parents if parents is not None and len(parents)
                                         else None, fuzzy_threshold=thr, merge_same_code=merge)
    if level is None:
        level = max(levels, key=lambda lv: (len(results[lv].matched), lv == "kecamatan"))
        out.notes.append(Msg("impor.batas.level_ditebak", {"level": level}))
    matched, unmatched, missing = results[level]

    for u in unmatched:
        out.problems.append(Problem(u.index + 1, u.column, geo_msg(u), u.value))
    # a polygon that cannot be right (another CRS than declared, lat/lon swapped, far from its parent or from the
    # polygon it would replace) is refused, naming what looks wrong
    wrong = implausible_features(matched, level, load_polygons(con, level),
                                     load_polygons(con, "kecamatan") if level == "desa" else None, gdf.attrs)
    if wrong:
        for _, r in matched[matched["fitur"].isin(list(wrong))].iterrows():
            out.problems.append(Problem(int(r["fitur"]) + 1, r["kolom"], wrong[r["fitur"]], r["nilai"]))
        matched = matched[~matched["fitur"].isin(list(wrong))]

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
        out.notes.append(Msg("impor.batas.aturan", {"daftar": ", ".join(f"{r} {n}" for r, n in rules.iter_rows())}))
        out.notes.append(Msg("impor.batas.ukuran_peta", {"level": level, "kb": f"{kb:.0f}",
                                                          "toleransi": f"{simp.attrs.get('tolerance', 0):g}"}))
        fuzzy = matched[matched["aturan_cocok"] == "nama_fuzzy"]
        for _, r in fuzzy.iterrows():
            out.notes.append(Msg("impor.batas.nama_mirip", {"fitur": r["fitur"] + 1, "nilai": r["nilai"], "kode": r["kode"]}))
    else:
        frame = pl.DataFrame(schema=_schema())
    out.tables["batas_wilayah"] = frame
    out.rows_valid = frame.height
    outside = matched.attrs.get("di_luar", [])
    if outside:
        out.notes.append(Msg("impor.batas.di_luar", {"n": len(outside)}))
    if missing:
        shown = "; ".join(f"{k} {n}" for k, n in missing[:MAX_MISSING_LISTED])
        more = Msg("impor.dan_lagi", {"n": len(missing) - MAX_MISSING_LISTED}) if len(missing) > MAX_MISSING_LISTED else ""
        out.notes.append(Msg("impor.batas.tanpa_poligon", {"n": len(missing), "level": level, "daftar": shown, "lagi": more}))
    out.notes.append(Msg("impor.batas.cocok", {"n": len(matched), "m": len(gdf) - len(outside)}))
    return out


KIND = ImportKind(
    name="boundaries",
    title_id="Batas wilayah (poligon kecamatan / desa)",
    title_en="Area boundaries (kecamatan / desa polygons)",
    tables=("batas_wilayah",),
    columns=tuple((col, Msg(f"impor.tata_letak.boundaries.{col}"), ex) for col, ex in (
        ("kode", "35.23.01"), ("nama", "Kenduruan"), ("induk", "Kenduruan"), ("geometri", "EPSG:4326"))),
    parse=parse,
    extensions=EXTENSIONS,
    options=(
        Option("level", "choice", "impor.opsi.level", "impor.opsi.level_bantuan", choices=("kecamatan", "desa")),
        Option("layer", "text", "impor.opsi.layer", "impor.opsi.layer_bantuan"),
        Option("gabung_kode_sama", "flag", "impor.opsi.gabung", "impor.opsi.gabung_bantuan"),
        Option("ambang_fuzzy", "text", "impor.opsi.ambang", "impor.opsi.ambang_bantuan", metavar="0-100"),
    ),
)
