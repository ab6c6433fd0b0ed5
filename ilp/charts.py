"""Pure Plotly figure builders (no streamlit): choropleth with half-open classes, facility layer,
trend against the target path, ranking. Map logic (classes, colours, selection) is testable here.

A choropleth sends its geometry ONCE: one trace carries the FeatureCollection and takes each area's colour
from its class index on a stepwise (discrete) colourscale; the legend is drawn by legend-only markers
without geometry; the selected area is outlined by a second trace over a one-feature subset."""
from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import polars as pl
import shapely

from ilp.geo import to_geojson_feature_collection
from ilp import fmt
from ilp.i18n import t
from ilp.indicators import Indicator, classify
from ilp.targets import POSISI_DALAM_TAHUN as POSISI_TAHUN, periode_to_year, target_points_at_year

NO_DATA_COLOR = "#d9d9d9"
# sequential palettes, worst -> best
_BAD_TO_GOOD = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]
_RED_GREEN = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
# two-class layers (e.g. desa with / without a Pustu): the ends of the red-green palette
TWO_CLASS_COLORS = (_RED_GREEN[0], _RED_GREEN[-1])
# facility markers: dark fills with a white outline stand out on every class colour (red, yellow, green, grey);
# the kinds differ by symbol and size as much as by colour
FASKES_STYLE = {
    "puskesmas_ranap": ("#4a148c", "square", 13),
    "puskesmas": ("#0d47a1", "square", 11),
    "puskesmas_tanpa_jenis": ("#263238", "square", 11),
    "pustu": ("#111111", "circle", 9),
    "posyandu": ("#3e2723", "circle", 5),
    "rumah_sakit": ("#7f0000", "cross", 12),
}
# a whole district's map shows the facilities a kecamatan is planned around; Pustu and Posyandu (one or more per
# desa) would cover it, so they are drawn on the desa maps
DISTRICT_FASKES = ("puskesmas_ranap", "puskesmas", "puskesmas_tanpa_jenis", "rumah_sakit")
FASKES_OUTLINE = dict(color="#ffffff", width=1.5)
SELECTED_LINE = dict(color="#000000", width=3)
BORDER_LINE = dict(color="#ffffff", width=0.8)
LABEL_HALO = "0 0 3px #ffffff, 0 0 2px #ffffff"  # printed names/values stay readable on every fill
MAX_LEGEND = 5            # entries on the trend chart's legend; the rest are labelled at their last point
MAX_NAME_LABELS = 40      # above this many areas the map prints values only (names would overlap)


def class_colors(ind: Indicator) -> list[str]:
    """One colour per class, ordered like ind.classes; red = worse, green = better."""
    k = len(ind.classes)
    pal = _RED_GREEN if k <= 5 else _BAD_TO_GOOD
    # pick k colours spread over the palette
    idx = [round(i * (len(pal) - 1) / max(k - 1, 1)) for i in range(k)]
    cols = [pal[i] for i in idx]  # low values first
    return list(reversed(cols)) if ind.direction == "turun" else cols


def legend_entries(ind: Indicator, lang: str = "id") -> list[tuple[str, str]]:
    """(label, colour) per class of the indicator, in class order."""
    return list(zip(ind.labels(lang), class_colors(ind)))


def map_classes(ind: Indicator, values: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """values: kode, nama, nilai, ... -> adds kelas (index, -1 = no data), kelas_label, warna."""
    cls = classify(ind, values["nilai"])
    labels, colors = zip(*legend_entries(ind, lang))
    return _with_class_columns(values.with_columns(kelas=cls), list(labels), list(colors), lang)


def two_classes(values: pl.DataFrame, flag: str, labels: tuple[str, str], lang: str = "id",
                has_data: bool = True) -> pl.DataFrame:
    """A yes/no layer (e.g. desa with a Pustu): kelas 1 where `flag` is true, 0 where false, -1 (no data) where
    null or when has_data is False. labels = (label of 'no', label of 'yes'); colours TWO_CLASS_COLORS."""
    k = (pl.when(pl.col(flag).is_null()).then(-1).when(pl.col(flag).cast(pl.Boolean)).then(1).otherwise(0)
         if has_data else pl.lit(-1))
    return _with_class_columns(values.with_columns(kelas=k.cast(pl.Int64)), list(labels), list(TWO_CLASS_COLORS),
                               lang)


def _with_class_columns(v: pl.DataFrame, labels: list[str], colors: list[str], lang: str) -> pl.DataFrame:
    nd = t("umum.tidak_ada_data", lang)
    idx = list(range(len(labels)))
    return v.with_columns(
        kelas_label=pl.col("kelas").replace_strict(idx, labels, default=nd, return_dtype=pl.String),
        warna=pl.col("kelas").replace_strict(idx, colors, default=NO_DATA_COLOR, return_dtype=pl.String),
    )


def discrete_colorscale(colors: list[str]) -> list[list]:
    """Stepwise colourscale: colour i covers [i/n, (i+1)/n]; plot z = i + 0.5 with zmin=0, zmax=n."""
    n = len(colors)
    out = []
    for i, c in enumerate(colors):
        out += [[i / n, c], [(i + 1) / n, c]]
    return out


def feature_collection(geo: pl.DataFrame, kodes: list[str] | None = None) -> dict:
    """The map's FeatureCollection (feature id = kode, no other properties: hover text travels in the trace),
    built by ilp.geo.to_geojson_feature_collection; `kodes` keeps only those areas."""
    g = geo.select("kode", "geojson")
    if kodes is not None:
        g = g.filter(pl.col("kode").is_in(kodes))
    return json.loads(to_geojson_feature_collection(g.select("kode", "geojson")))


def _value_text(classed: pl.DataFrame, unit: str, lang: str) -> list[str]:
    nd = t("umum.tidak_ada_data", lang)
    if "teks" in classed.columns:  # a layer that says its value in words (e.g. 'ada Pustu')
        return [x if x is not None else nd for x in classed["teks"].to_list()]
    num = classed["pembilang"].to_list() if "pembilang" in classed.columns else [None] * classed.height
    den = classed["penyebut"].to_list() if "penyebut" in classed.columns else [None] * classed.height
    out = []
    for v, a, b in zip(classed["nilai"].to_list(), num, den):
        s = fmt.num(v, 1, lang) + unit if v is not None else nd
        if a is not None and b is not None:
            s += f"<br>{fmt.num(a, 0, lang)} / {fmt.num(b, 0, lang)}"
        out.append(s)
    return out


def choropleth(ind: Indicator, classed: pl.DataFrame, geo: pl.DataFrame, lang: str = "id",
               selected: str | None = None, faskes: pl.DataFrame | None = None,
               height: int = 560, title: str | None = None, labels: bool = False,
               legend: list[tuple[str, str]] | None = None, faskes_kinds: tuple[str, ...] | None = None) -> go.Figure:
    """classed: output of map_classes (or two_classes); geo: kode, nama, geojson (simplified) [, lat, lon].

    labels: print names and values at each area's label point (values only above MAX_NAME_LABELS areas).
    legend: (label, colour) per class when the layer's classes are not the indicator's (two_classes); the legend
    then has no unit title. faskes_kinds: the facility kinds drawn (default all; DISTRICT_FASKES on a district map)."""
    entries = legend if legend is not None else legend_entries(ind, lang)
    colors = [c for _, c in entries] + [NO_DATA_COLOR]
    n_cls = len(entries)
    cols = [c for c in ("nilai", "pembilang", "penyebut", "teks", "kelas") if c in classed.columns]
    g = geo.select("kode", *[c for c in ("nama",) if c in geo.columns])
    d = g.join(classed.select("kode", *cols), on="kode", how="left").with_columns(
        pl.col("kelas").fill_null(-1))
    if "nilai" not in d.columns:
        d = d.with_columns(nilai=pl.lit(None, dtype=pl.Float64))
    kelas = d["kelas"].to_list()
    zs = [(n_cls if k < 0 else k) + 0.5 for k in kelas]
    names = d["nama"].to_list() if "nama" in d.columns else d["kode"].to_list()
    text = [f"<b>{nm or k}</b><br>{v}" for nm, k, v in zip(names, d["kode"].to_list(), _value_text(d, ind.unit, lang))]
    kodes = d["kode"].to_list()

    fig = go.Figure()
    # Offline maps: plotly.js fetches a world topojson from its CDN when the FIRST geo trace has a
    # locationmode (geojson choropleths always do), and draws nothing when that fetch fails (no
    # internet in a district office, none here). An empty first trace keeps the map self-contained;
    # tests/test_browser.py checks that the map is really drawn.
    fig.add_trace(go.Choropleth(locations=[], z=[], showscale=False, showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Choropleth(
        geojson=feature_collection(geo), locations=kodes, z=zs, featureidkey="id",
        colorscale=discrete_colorscale(colors), zmin=0, zmax=len(colors), showscale=False, showlegend=False,
        marker_line=BORDER_LINE, text=text, hovertemplate="%{text}<extra></extra>", customdata=kodes,
        name=ind.name(lang)))
    # legend: one legend-only marker per class (no geometry), 'no data' only when an area has none
    shown = list(enumerate(entries)) + ([(-1, (t("umum.tidak_ada_data", lang), NO_DATA_COLOR))]
                                        if any(k < 0 for k in kelas) else [])
    for i, (label, color) in shown:
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=label, showlegend=True,
                                    marker=dict(symbol="square", size=12, color=color), legendgroup=str(i),
                                    hoverinfo="skip"))
    if selected and selected in kodes:
        # the selected area outlined by a second trace over a one-feature subset (the geometry is not resent)
        fig.add_trace(go.Choropleth(
            geojson=feature_collection(geo, [selected]), locations=[selected], z=[0], featureidkey="id",
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, showlegend=False,
            marker_line=SELECTED_LINE, hoverinfo="skip", name="selected"))
    if labels:
        add_value_labels(fig, geo, classed, lang, names=True, map_px=height - 120)
    if faskes is not None and faskes.height:
        add_faskes_layer(fig, faskes, lang, kinds=faskes_kinds)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=40 if title else 0, b=0),
                      # legend under the map: never over a kecamatan, and it wraps on a phone
                      legend=dict(title=(ind.unit or "") if legend is None else "", orientation="h", yanchor="top", y=0, x=0,
                                  bgcolor="rgba(255,255,255,0)"),
                      title=title, clickmode="event+select")
    return fmt.apply_plotly(fig, lang)


def faskes_key(jenis: str, rawat_inap: bool | None) -> str:
    if jenis == "puskesmas":
        if rawat_inap is None:
            return "puskesmas_tanpa_jenis"
        return "puskesmas_ranap" if rawat_inap else "puskesmas"
    return jenis


def _faskes_key_expr() -> pl.Expr:
    """faskes_key as a column expression (same rule)."""
    return (pl.when(pl.col("jenis") != "puskesmas").then(pl.col("jenis"))
            .when(pl.col("rawat_inap").is_null()).then(pl.lit("puskesmas_tanpa_jenis"))
            .when(pl.col("rawat_inap")).then(pl.lit("puskesmas_ranap"))
            .otherwise(pl.lit("puskesmas")))


def add_faskes_layer(fig: go.Figure, faskes: pl.DataFrame, lang: str = "id",
                     kinds: tuple[str, ...] | None = None) -> go.Figure:
    """One marker trace per facility kind (all, or `kinds`): dark fill, white outline (visible on every class
    colour)."""
    f = faskes.with_columns(key=_faskes_key_expr())
    for key, (color, symbol, size) in FASKES_STYLE.items():
        if kinds is not None and key not in kinds:
            continue
        part = f.filter(pl.col("key") == key)
        if part.height == 0:
            continue
        fig.add_trace(go.Scattergeo(
            lon=part["lon"].to_list(), lat=part["lat"].to_list(), mode="markers",
            marker=dict(color=color, symbol=symbol, size=size, line=FASKES_OUTLINE),
            name=t(f"faskes.{key}", lang), text=part["nama"].to_list(),
            hovertemplate="%{text}<extra>" + t(f"faskes.{key}", lang) + "</extra>",
        ))
    return fig


def _fits(geo: pl.DataFrame, texts: list[str | None], map_px: int, font_px: int) -> list[bool]:
    """Whether each label fits inside its area's bounding box on a map `map_px` pixels across the layer's larger
    extent (a character ~0.6 of the font size wide, a line ~1.2 of it high)."""
    g = shapely.from_geojson(geo["geojson"].to_list())
    b = shapely.bounds(g)
    ext = max(np.nanmax(b[:, 2]) - np.nanmin(b[:, 0]), np.nanmax(b[:, 3]) - np.nanmin(b[:, 1])) or 1.0
    px = map_px / ext
    out = []
    for (x0, y0, x1, y1), s in zip(b, texts):
        if s is None or not np.isfinite(x0):
            out.append(False)
            continue
        lines = s.split("<br>")
        w = max(len(x) for x in lines) * 0.6 * font_px
        out.append((x1 - x0) * px >= w and (y1 - y0) * px >= 1.2 * font_px * len(lines))
    return out


def label_texts(geo: pl.DataFrame, classed: pl.DataFrame, lang: str = "id", names: bool = False,
                max_names: int = MAX_NAME_LABELS, map_px: int | None = None, font_px: int = 12) -> pl.DataFrame:
    """kode, lat, lon, teks for the map's printed labels: 'name<br>value' (or the value alone when names is False
    or there are more than max_names areas); an area without a value shows its name only, never '0' or '–'. A
    layer that says its value in words (a 'teks' column, e.g. the two-class Pustu map) prints names only: its
    colour is the value. With `map_px` (and a 'geojson' column), a label is printed only where it fits in its
    area: 'name<br>value', else the value alone, else nothing."""
    empty = pl.DataFrame(schema={"kode": pl.String, "lat": pl.Float64, "lon": pl.Float64, "teks": pl.String})
    if not {"lat", "lon"} <= set(geo.columns):
        return empty
    nm = "nama" in geo.columns and names and geo.height <= max_names
    fit = map_px is not None and "geojson" in geo.columns
    lab = geo.select("kode", "lat", "lon", *(["nama"] if nm else []), *(["geojson"] if fit else [])).join(
        classed.select("kode", "nilai"), on="kode", how="left").drop_nulls(["lat", "lon"])
    words = "teks" in classed.columns
    if (words and not nm) or lab.height == 0:
        return empty
    vals = [fmt.num(v, 1, lang) if v is not None and not words else None for v in lab["nilai"].to_list()]
    if nm:
        txt = [f"{n}<br>{v}" if v is not None else n for n, v in zip(lab["nama"].to_list(), vals)]
    else:
        txt = vals
    if fit:
        full = _fits(lab, txt, map_px, font_px)
        short = _fits(lab, vals, map_px, font_px)
        txt = [a if f else (v if sf else None) for a, v, f, sf in zip(txt, vals, full, short)]
    return lab.select("kode", "lat", "lon").with_columns(teks=pl.Series(txt, dtype=pl.String)).drop_nulls("teks")


def add_value_labels(fig: go.Figure, geo: pl.DataFrame, classed: pl.DataFrame, lang: str = "id",
                     color: str = "#1f2933", size: int = 15, names: bool = False,
                     map_px: int | None = None) -> go.Figure:
    """Print each area's value (and name, when names=True and they fit) at its label point (geo lat/lon):
    on paper there is no hover. map_px: print only the labels that fit (see label_texts)."""
    fs = size if not names else min(size, 12)
    lab = label_texts(geo, classed, lang, names=names, map_px=map_px, font_px=fs)
    if lab.height:
        fig.add_trace(go.Scattergeo(
            lon=lab["lon"].to_list(), lat=lab["lat"].to_list(), mode="text", showlegend=False,
            text=lab["teks"].to_list(), hoverinfo="skip",
            textfont=dict(size=fs, color=color, shadow=LABEL_HALO)))
    return fig


def _clip_pct(values: list) -> list:
    """Prevalence-like values kept within [0, 100] (a projection never leaves that range); None stays None."""
    return [None if v is None else min(100.0, max(0.0, float(v))) for v in values]


def _band(x: list, lo: list, hi: list, fill: str, group: str) -> go.Scatter:
    """A filled interval band (lower and upper bounds as one closed shape), not a legend entry of its own."""
    keep = [(a, b, c) for a, b, c in zip(x, lo, hi) if b is not None and c is not None]
    xs = [a for a, _, _ in keep]
    return go.Scatter(x=xs + xs[::-1], y=[c for _, _, c in keep] + [b for _, b, _ in keep][::-1],
                      fill="toself", fillcolor=fill, line=dict(width=0), hoverinfo="skip", showlegend=False,
                      legendgroup=group, mode="lines")


def cap_legend(fig: go.Figure, max_entries: int = MAX_LEGEND) -> go.Figure:
    """At most `max_entries` legend entries, chosen by each trace's meta['prioritas'] (1 = most important).
    A trace that loses its entry is labelled in its own colour at its last point instead, so nothing on the
    chart goes unnamed."""
    cands = [tr for tr in fig.data if tr.showlegend is not False and tr.name and isinstance(tr.meta, dict)
             and "prioritas" in tr.meta]
    cands.sort(key=lambda tr: tr.meta["prioritas"])
    for rank, tr in enumerate(cands):
        tr.legendrank = rank + 1
        if rank < max_entries:
            continue
        tr.showlegend = False
        # the label goes at the latest point of the entry's whole group (a target path has one trace per segment)
        group = [o for o in fig.data if tr.legendgroup and o.legendgroup == tr.legendgroup and o.mode != "text"
                 and o.fill != "toself" and not (o.line and o.line.width and o.line.width >= 10)] or [tr]
        pts = [(x, y) for o in group for x, y in zip(o.x or [], o.y or []) if x is not None and y is not None]
        if pts:
            x, y = max(pts, key=lambda p: p[0])
            color = (tr.line.color if tr.line and tr.line.color else None) or \
                    (tr.marker.color if tr.marker and isinstance(tr.marker.color, str) else "#333333")
            fig.add_annotation(x=x, y=y, text=tr.name, showarrow=False, xanchor="left", xshift=6,
                               font=dict(size=11, color=color))
    return fig


def year_ticks(fig: go.Figure) -> dict:
    """x-axis ticks for a time axis in fractional years: each year's label at mid-year (under the year it names,
    where its target and survey figure sit), grid lines at the year boundaries."""
    xs = [x for tr in fig.data for x in (tr.x or []) if isinstance(x, (int, float))]
    if not xs:
        return dict(dtick=1, tickformat="d")
    years = list(range(int(math.floor(min(xs))), int(math.floor(max(xs))) + 1))
    return dict(tickvals=[y + POSISI_TAHUN for y in years], ticktext=[str(y) for y in years], showgrid=False,
                minor=dict(tickvals=years + [years[-1] + 1], showgrid=True, gridcolor="#e5e5e5"))


def trend_figure(routine: pl.DataFrame, survey: pl.DataFrame, path: pl.DataFrame,
                 projection: pl.DataFrame | None = None, lang: str = "id", height: int = 420,
                 crosscheck: pl.DataFrame | None = None, max_legend: int = MAX_LEGEND) -> go.Figure:
    """routine: periode, prevalensi_pct, ci_bawah, ci_atas (complete routine rounds: e-PPGBM, or a recap);
    crosscheck: the recap series shown beside e-PPGBM as its own line (never joined to it);
    survey: tahun, survei, prevalensi, tingkat [, ci_bawah, ci_atas] (SSGI/SKI, separate markers, never joined
    to routine); path: tingkat, tahun, nilai, interpolasi, segmen, dasar (targets); projection: x, nilai
    [, bawah, atas].

    Time axis: a round at the middle of its month (periode_to_year), a survey year's figure and a year's target
    at mid-year (targets.target_points_at_year), so the 2025 target sits over 2025, not on the 2026 tick.
    Intervals are bands (routine 95% CI, projection interval, survey CI as a short vertical band); the
    projection is clipped to [0, 100]; at most `max_legend` legend entries (cap_legend)."""
    fig = go.Figure()
    if routine.height:
        xs = [periode_to_year(p) for p in routine["periode"].to_list()]
        lo = routine["ci_bawah"].to_list() if "ci_bawah" in routine.columns else [None] * routine.height
        hi = routine["ci_atas"].to_list() if "ci_atas" in routine.columns else [None] * routine.height
        fig.add_trace(_band(xs, _clip_pct(lo), _clip_pct(hi), "rgba(21,101,192,0.15)", "rutin"))
        ci = [f" ({t('stunting.ci95', lang)}: {fmt.num(a, 1, lang)}–{fmt.num(b, 1, lang)}%)"
              if a is not None and b is not None else "" for a, b in zip(lo, hi)]
        fig.add_trace(go.Scatter(
            x=xs, y=routine["prevalensi_pct"].to_list(), mode="lines+markers", name=t("stunting.rutin", lang),
            line=dict(color="#1565c0", width=3), text=[f"{p}{c}" for p, c in zip(routine["periode"].to_list(), ci)],
            legendgroup="rutin", meta={"prioritas": 1},
            hovertemplate="%{y:.1f}% · %{text}<extra>" + t("stunting.rutin", lang) + "</extra>"))
    if crosscheck is not None and crosscheck.height:
        xs = [periode_to_year(p) for p in crosscheck["periode"].to_list()]
        fig.add_trace(go.Scatter(
            x=xs, y=crosscheck["prevalensi_pct"].to_list(), mode="lines+markers",
            name=t("stunting2.rekap_tren", lang), line=dict(color="#ef6c00", width=2, dash="dashdot"),
            marker=dict(symbol="triangle-up", size=9), text=crosscheck["periode"].to_list(), meta={"prioritas": 4},
            hovertemplate="%{text}: %{y:.1f}%<extra>" + t("stunting2.rekap_tren", lang) + "</extra>"))
    if projection is not None and projection.height:
        px_ = projection["x"].to_list()
        if {"bawah", "atas"} <= set(projection.columns):
            fig.add_trace(_band(px_, _clip_pct(projection["bawah"].to_list()), _clip_pct(projection["atas"].to_list()),
                                "rgba(21,101,192,0.08)", "proyeksi"))
        fig.add_trace(go.Scatter(x=px_, y=_clip_pct(projection["nilai"].to_list()), mode="lines",
                                 line=dict(color="#1565c0", dash="dot", width=2), name=t("stunting.proyeksi", lang),
                                 legendgroup="proyeksi", meta={"prioritas": 5}))
    for tingkat, color, band, symbol, prio in (("kabkota", "#6a1b9a", "rgba(106,27,154,0.22)", "diamond", 3),
                                               ("nasional", "#757575", "rgba(117,117,117,0.22)", "circle-open", 7)):
        s = survey.filter(pl.col("tingkat") == tingkat) if survey.height else survey
        if s.height == 0:
            continue
        sx = [y + POSISI_TAHUN for y in s["tahun"].to_list()]
        name = t(f"stunting.survei_{tingkat}", lang)
        if {"ci_bawah", "ci_atas"} <= set(s.columns) and s["ci_atas"].null_count() < s.height:
            # each survey interval as a short vertical band (a survey is one point in time, not a line)
            bx, by = [], []
            for x, a, b in zip(sx, s["ci_bawah"].to_list(), s["ci_atas"].to_list()):
                if a is not None and b is not None:
                    bx += [x, x, None]
                    by += [a, b, None]
            fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", line=dict(color=band, width=12), hoverinfo="skip",
                                     showlegend=False, legendgroup=f"survei_{tingkat}"))
        labels = [f"{sv} {y}" for sv, y in zip(s["survei"].to_list(), s["tahun"].to_list())]
        fig.add_trace(go.Scatter(
            x=sx, y=s["prevalensi"].to_list(),
            # only the district's points carry a label; the national ones sit at the same x
            mode="markers+text" if tingkat == "kabkota" else "markers",
            marker=dict(color=color, symbol=symbol, size=12), legendgroup=f"survei_{tingkat}",
            text=labels, textposition="top center", name=name, meta={"prioritas": prio},
            hovertemplate="%{text}: %{y:.1f}%<extra></extra>"))
    tpath = target_points_at_year(path) if path.height else path
    has_kab_target = path.height > 0 and path.filter(pl.col("tingkat") == "kabkota").height > 0
    for tingkat, color in (("kabkota", "#2e7d32"), ("nasional", "#c62828")):
        p = tpath.filter(pl.col("tingkat") == tingkat) if tpath.height else tpath
        if p.height == 0:
            continue
        prio = 2 if tingkat == "kabkota" or not has_kab_target else 6
        name = t(f"stunting.target_{tingkat}", lang)
        # one line per legal basis: 14,0 (Perpres 72/2021, 2024) and 18,8 (RPJMN, 2025) are not one path
        for j, (_, seg) in enumerate(p.group_by("segmen", maintain_order=True)):
            fig.add_trace(go.Scatter(
                x=seg["x"].to_list(), y=seg["nilai"].to_list(), mode="lines+markers",
                line=dict(color=color, width=2, dash="dash"), marker=dict(size=1),
                name=name, legendgroup=f"target_{tingkat}", showlegend=j == 0,
                meta={"prioritas": prio} if j == 0 else None, hoverinfo="skip"))
        off = p.filter(~pl.col("interpolasi"))
        fig.add_trace(go.Scatter(
            x=off["x"].to_list(), y=off["nilai"].to_list(), mode="markers",
            marker=dict(color=color, size=9, symbol="x"), showlegend=False, legendgroup=f"target_{tingkat}",
            text=[f"{t('stunting.target', lang)} {y}: {fmt.num(v, 1, lang)}% ({d})" for y, v, d in
                  zip(off["tahun"].to_list(), off["nilai"].to_list(), off["dasar"].to_list())],
            hovertemplate="%{text}<extra></extra>"))
        itp = p.filter(pl.col("interpolasi"))
        if itp.height:
            fig.add_trace(go.Scatter(
                x=itp["x"].to_list(), y=itp["nilai"].to_list(), mode="markers", legendgroup=f"target_{tingkat}",
                marker=dict(color="white", size=8, line=dict(color=color, width=2)), showlegend=False,
                text=[f"{t('stunting.target_interpolasi', lang)} {y}: {fmt.num(v, 1, lang)}%" for y, v in
                      zip(itp["tahun"].to_list(), itp["nilai"].to_list())],
                hovertemplate="%{text}<extra></extra>"))
    cap_legend(fig, max_legend)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      yaxis=dict(title="%", rangemode="tozero"),
                      # the ticks are years: no axis title, which sat on top of the legend below
                      xaxis=dict(**year_ticks(fig)),
                      legend=dict(orientation="h", yanchor="top", y=-0.13))
    return fmt.apply_plotly(fig, lang)


def area_trend(series: pl.DataFrame, district: pl.DataFrame | None = None, lang: str = "id", name: str = "",
               height: int = 220) -> go.Figure | None:
    """A small trend for the side panel: one area's complete rounds (periode, prevalensi_pct [, ci_bawah,
    ci_atas]) as a line with its interval band, the district's line in grey beside it; None with fewer than two
    rounds (one point is not a trend)."""
    if series.height < 2:
        return None
    fig = go.Figure()
    xs = [periode_to_year(p) for p in series["periode"].to_list()]
    if {"ci_bawah", "ci_atas"} <= set(series.columns):
        fig.add_trace(_band(xs, _clip_pct(series["ci_bawah"].to_list()), _clip_pct(series["ci_atas"].to_list()),
                            "rgba(21,101,192,0.15)", "area"))
    if district is not None and district.height:
        dx = [periode_to_year(p) for p in district["periode"].to_list()]
        fig.add_trace(go.Scatter(x=dx, y=district["prevalensi_pct"].to_list(), mode="lines",
                                 line=dict(color="#9e9e9e", width=2), name=t("umum.kabkota", lang),
                                 hovertemplate="%{y:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(x=xs, y=series["prevalensi_pct"].to_list(), mode="lines+markers", name=name,
                             line=dict(color="#1565c0", width=3), text=series["periode"].to_list(),
                             hovertemplate="%{text}: %{y:.1f}%<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=10, b=0), showlegend=True,
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
                      yaxis=dict(title="%", rangemode="tozero"), xaxis=year_ticks(fig))
    return fmt.apply_plotly(fig, lang)


def ranking_bar(df: pl.DataFrame, value: str, label: str, lang: str = "id", unit: str = "%",
                target: float | None = None, height: int | None = None, color: str = "#1565c0",
                decimals: int = 1) -> go.Figure:
    d = df.drop_nulls(value).sort(value)
    fig = go.Figure(go.Bar(
        x=d[value].to_list(), y=d[label].to_list(), orientation="h", marker_color=color,
        text=[fmt.num(v, decimals, lang) + unit for v in d[value].to_list()], textposition="outside",
        cliponaxis=False))
    top = max(d[value].max() or 0, target or 0)
    fig.update_xaxes(range=[0, top * 1.25 if top else 1], tickformat=",d" if decimals == 0 else None)
    if target is not None:
        fig.add_vline(x=target, line_dash="dash", line_color="#c62828",
                      annotation_text=f"{t('umum.target', lang)} {fmt.num(target, 1, lang)}{unit}",
                      annotation_position="bottom right")
    fig.update_layout(height=height or max(300, 24 * d.height + 80), margin=dict(l=10, r=40, t=20, b=10),
                      xaxis=dict(title=unit))
    return fmt.apply_plotly(fig, lang)
