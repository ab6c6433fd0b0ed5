"""Matching boundary features to wilayah codes: by Kemendagri code, BPS code (crosswalk), name, fuzzy name.
Name and code normalisation is ilp.names (one vocabulary module)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import polars as pl
import shapely

from ilp import names
from ilp.geo.base import FUZZY_THRESHOLD, LEVELS, PARENT_LEVEL
from ilp.geo.points import place_points
from ilp.geo.reading import _polygonal
from ilp.ingest.base import Msg


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class UnmatchedFeature:
    index: int            # 0-based feature index in the file (report as index + 1)
    column: str | None    # property the feature was identified by (name or code column)
    value: str | None     # its value
    msg: Msg              # why (impor.geo.* keys), rendered in the reader's language


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
            out[str(c)] = [None if (v is None or (isinstance(v, float) and not math.isfinite(v))) else names.code_text(v)
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
        parent_by_key.setdefault(names.name_key(n), []).append(k)
    kab_by_key: dict[str, list[str]] = {}
    kab = w.filter(pl.col("level") == "kabkota")
    for k, n in zip(kab["kode"].to_list(), kab["nama"].to_list()):
        kab_by_key.setdefault(names.name_key(n), []).append(k)

    # BPS → Kemendagri (only pairs whose Kemendagri side is a known code)
    bps_map: dict[str, dict[str, list[str]]] = {"kabkota": {}, "kecamatan": {}, "desa": {}}
    if xwalk is not None and xwalk.height:
        for b, lv, d in zip(xwalk["kode_bps"].to_list(), xwalk["level"].to_list(), xwalk["kode_dagri"].to_list()):
            if lv in bps_map and b and d:
                bps_map[lv].setdefault(str(b).strip(), []).append(d)

    def bps_resolve(v: str, lv: str, known: set | dict) -> list[str]:
        if not (v.isdigit() and len(v) == names.BPS_DIGITS[lv]):
            return []
        return sorted({d for d in bps_map[lv].get(v, []) if d in known})

    by_key: dict[str, list[str]] = {}
    for k, n in kode_nama.items():
        by_key.setdefault(names.name_key(n), []).append(k)

    cols = _column_values(gdf)
    n_feat = len(gdf)

    # --- detect columns
    # A column holds Kemendagri codes when some values are known codes and it reads better that way
    # than as BPS codes (a 10-digit desa code has the same length in both systems).
    rates = {c: (_rate(v, lambda s: names.dotted(s, level) in kode_nama),
                 _rate(v, lambda s: bool(bps_resolve(s, level, kode_nama))),
                 _rate(v, lambda s: names.dotted(s, level) is not None)) for c, v in cols.items()}
    code_cols = [c for c, (k, b, shp) in sorted(rates.items(), key=lambda t: -t[1][0])
                 if k > 0 and k >= b and (shp >= 0.8 or k >= 0.2)]
    bps_cols = [c for c, (k, b, shp) in sorted(rates.items(), key=lambda t: -t[1][1])
                if b > 0 and b > k and c not in code_cols]
    used = set(code_cols) | set(bps_cols)
    name_rates = sorted(((c, _rate(v, lambda s: names.name_key(s) in by_key)) for c, v in cols.items()
                         if c not in used and not any(names.dotted(x, lv) for x in v[:50] if x for lv in ("kabkota", "kecamatan", "desa"))),
                        key=lambda t: -t[1])
    name_col = name_rates[0][0] if name_rates and name_rates[0][1] > 0 else None
    if name_col is None:  # report unmatched features by a likely name column anyway
        guess = [c for c in cols if re.search(r"nam|name|wadm|desa|kec|kel", c, re.I) and c not in used]
        name_col_report = guess[0] if guess else None
    else:
        name_col_report = name_col
    # parent info: codes (Kemendagri or BPS) or names of the parent level
    pcode_cols = [c for c, v in cols.items() if c not in used and c != name_col
                  and _rate(v, lambda s: names.dotted(s, plev) in parent_codes
                            or bool(bps_resolve(s, plev, parent_codes))) >= 0.5]
    pname_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pcode_cols
                  and _rate(v, lambda s: names.name_key(s) in parent_by_key) >= 0.5]
    kcode_cols, kname_cols = [], []
    if plev != "kabkota":
        kab_codes = set(kab["kode"].to_list())
        kcode_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pcode_cols
                      and _rate(v, lambda s: names.dotted(s, "kabkota") in kab_codes
                                or bool(bps_resolve(s, "kabkota", kab_codes))) >= 0.5]
        kname_cols = [c for c, v in cols.items() if c not in used and c != name_col and c not in pname_cols
                      and c not in kcode_cols and _rate(v, lambda s: names.name_key(s) in kab_by_key) >= 0.5]

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
            d = names.dotted(v, plev)
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
                d = names.dotted(v, "kabkota")
                r = [d] if d else bps_resolve(v, "kabkota", set(kab["kode"].to_list()))
                if len(r) == 1:
                    kb = r[0]
                    break
            if kb is None:
                for c in kname_cols:
                    r = kab_by_key.get(names.name_key(cols[c][i]), []) if cols[c][i] else []
                    if len(r) == 1:
                        kb = r[0]
                        break
        if p is None:
            for c in pname_cols:
                v = cols[c][i]
                r = [k for k in parent_by_key.get(names.name_key(v), []) if kb is None or k.startswith(kb)] if v else []
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
            d = names.dotted(v, level) if v else None
            if d is not None and d[:5] not in loaded_kabs:
                outside.add(i)
            elif not code_cols and bps_kabs:
                b = cols[bps_cols[0]][i]
                if b and b.isdigit() and len(b) == names.BPS_DIGITS[level] and b[:4] not in bps_kabs:
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
                                          Msg("impor.geo.tanpa_poligon"))
            continue
        for c in code_cols:
            d = names.dotted(cols[c][i], level)
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
                        i, c, v, Msg("impor.geo.bps_ganda", {"v": v, "daftar": ", ".join(r)}))
        if cands[i] is not None:
            continue
        p, kb = feature_parent(i)
        scopes[i] = (p, kb)
        if name_col is None:
            continue
        v = cols[name_col][i]
        key = names.name_key(v) if v else ""
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
                i, name_col, v, Msg("impor.geo.nama_ganda", {"v": repr(v), "daftar": lst}))

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
                reasons[i] = UnmatchedFeature(i, None, None, Msg("impor.geo.digabung", {"fitur": idx[0] + 1, "kode": k}))
            continue
        rows = ", ".join(str(i + 1) for i in idx)
        for i in idx:
            c = cands[i]
            reasons[i] = UnmatchedFeature(
                i, c.column, c.value,
                Msg("impor.geo.sama_cocok", {"fitur": rows, "kode": k, "nama": kode_nama[k], "aturan": c.rule}))
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
            a = names.normalise_name(cols[name_col][i])
            for k in pool:
                s = max(fuzz.ratio(a, names.normalise_name(kode_nama[k])),
                        fuzz.ratio(a.replace(" ", ""), names.name_key(kode_nama[k])))
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
                what = repr(val) if val else Msg("impor.geo.tanpa_nama")
                unmatched.append(UnmatchedFeature(
                    i, col, val, Msg("impor.geo.tidak_cocok", {"apa": what, "level": level})))
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


# ---------------------------------------------------------------- plausibility

INDONESIA_BOUNDS = (94.0, -11.5, 141.5, 6.5)   # lon/lat box around Indonesia (with its outer islands)
KM_PER_DEGREE = 111.32                          # at the equator; Indonesia spans 11° either side, close enough
PARENT_MAX_KM = 50.0        # a feature this far from its parent area (or the kab/kota's other kecamatan) is refused
EXISTING_AREA_RATIO = 10.0  # new area / area of the polygon already stored for that code: outside [1/10, 10] refused
EXISTING_MAX_KM = 10.0      # ... and a new polygon this far from the stored one is refused


def _inside(b, box=INDONESIA_BOUNDS) -> bool:
    minx, miny, maxx, maxy = b
    return box[0] <= minx and maxx <= box[2] and box[1] <= miny and maxy <= box[3]


def _km(a, b) -> float:
    return float(shapely.distance(a, b)) * KM_PER_DEGREE


def implausible_features(matched: gpd.GeoDataFrame, level: str, existing: gpd.GeoDataFrame,
                         parents: gpd.GeoDataFrame | None = None, source: dict | None = None) -> dict[int, Msg]:
    """Matched features (0-based 'fitur') whose geometry cannot be right, with a Msg saying what looks wrong:
    outside Indonesia (and why, when it can tell: latitude and longitude swapped, degrees in a file that declares a
    projected CRS such as EPSG:3857), more than PARENT_MAX_KM from its parent kecamatan (desa) or from the kab/kota's
    other kecamatan (kecamatan), or — against the polygon already stored for the same code — an area more than
    EXISTING_AREA_RATIO times larger or smaller, or more than EXISTING_MAX_KM away.
    `existing`/`parents`: stored polygons (kode, geometry) of this level / of the parent kecamatan.
    `source`: read_geo's attrs (crs_asal, batas_asal: the file's declared CRS and bounds before reprojection)."""
    from ilp.geo.points import area_km2
    source = source or {}
    out: dict[int, Msg] = {}
    if not len(matched):
        return out
    old = dict(zip(existing["kode"], existing.geometry.values)) if len(existing) else {}
    par = dict(zip(parents["kode"], parents.geometry.values)) if parents is not None and len(parents) else {}
    by_kab: dict[str, list] = {}
    for k, g in old.items():
        by_kab.setdefault(k[:5], []).append(g)
    declared, raw_b = source.get("crs_asal"), source.get("batas_asal")
    degrees_in_projected = bool(declared and raw_b is not None and _inside(raw_b))
    geoms = matched.geometry.values
    with np.errstate(invalid="ignore"):   # a polygon outside the projection's range (refused below) has no area
        new_area = area_km2(geoms)
    old_area = area_km2([old[k] for k in matched["kode"] if k in old]) if old else []
    old_area = dict(zip([k for k in matched["kode"] if k in old], old_area))
    for j, (fitur, kode) in enumerate(zip(matched["fitur"], matched["kode"])):
        g = geoms[j]
        b = tuple(float(x) for x in g.bounds)
        if not _inside(b):
            box = f"{b[0]:.3f}, {b[1]:.3f} – {b[2]:.3f}, {b[3]:.3f}"
            if degrees_in_projected:
                out[fitur] = Msg("impor.batas.tidak_wajar.crs_derajat", {"crs": declared, "batas": box})
            elif _inside((b[1], b[0], b[3], b[2])):
                out[fitur] = Msg("impor.batas.tidak_wajar.tertukar", {"batas": box})
            else:
                out[fitur] = Msg("impor.batas.tidak_wajar.luar_indonesia", {"batas": box})
            continue
        ref = par.get(kode.rsplit(".", 1)[0]) if level == "desa" else None
        if ref is None and level == "kecamatan":
            others = [x for k, x in old.items() if k[:5] == kode[:5] and k != kode] if kode[:5] in by_kab else []
            ref = shapely.union_all(others).envelope if others else None
        if ref is not None:
            d = _km(g, ref)
            if d > PARENT_MAX_KM:
                out[fitur] = Msg("impor.batas.tidak_wajar.jauh_induk", {"km": f"{d:,.0f}".replace(",", "."),
                                                                       "maks": f"{PARENT_MAX_KM:.0f}",
                                                                       "induk": Msg(f"impor.batas.induk.{level}")})
                continue
        if kode in old:
            d = _km(g, old[kode])
            a0, a1 = float(old_area[kode]), float(new_area[j])
            if d > EXISTING_MAX_KM:
                out[fitur] = Msg("impor.batas.tidak_wajar.bergeser", {"km": f"{d:,.0f}".replace(",", "."),
                                                                     "maks": f"{EXISTING_MAX_KM:.0f}"})
            elif a0 > 0 and not (1 / EXISTING_AREA_RATIO <= a1 / a0 <= EXISTING_AREA_RATIO):
                out[fitur] = Msg("impor.batas.tidak_wajar.luas_beda", {"baru": f"{a1:,.1f}", "lama": f"{a0:,.1f}",
                                                                      "kali": f"{EXISTING_AREA_RATIO:.0f}"})
    return out
