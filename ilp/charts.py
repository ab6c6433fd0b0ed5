"""Pure Plotly figure builders (no streamlit): choropleth with half-open classes, facility layer,
trend against the target path, ranking. Map logic (classes, colours) is testable here."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import polars as pl

from ilp.i18n import fmt_num, t
from ilp.indicators import Indicator, classify
from ilp.targets import periode_to_year

NO_DATA_COLOR = "#d9d9d9"
# sequential palettes, worst -> best
_BAD_TO_GOOD = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]
_RED_GREEN = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
FASKES_STYLE = {
    "puskesmas_ranap": ("#6a1b9a", "square", 11),
    "puskesmas": ("#1565c0", "square", 9),
    "puskesmas_tanpa_jenis": ("#455a64", "square", 9),
    "pustu": ("#2e7d32", "circle", 7),
    "posyandu": ("#ef6c00", "circle", 4),
    "rumah_sakit": ("#c62828", "cross", 10),
}


def class_colors(ind: Indicator) -> list[str]:
    """One colour per class, ordered like ind.classes; red = worse, green = better."""
    k = len(ind.classes)
    pal = _RED_GREEN if k <= 5 else _BAD_TO_GOOD
    # pick k colours spread over the palette
    idx = [round(i * (len(pal) - 1) / max(k - 1, 1)) for i in range(k)]
    cols = [pal[i] for i in idx]  # low values first
    return list(reversed(cols)) if ind.direction == "turun" else cols


def feature_collection(geo: pl.DataFrame, id_col: str = "kode", geom_col: str = "geojson",
                       props: tuple[str, ...] = ("nama",)) -> dict:
    feats = []
    for row in geo.iter_rows(named=True):
        feats.append({"type": "Feature", "id": row[id_col],
                      "properties": {p: row.get(p) for p in props},
                      "geometry": json.loads(row[geom_col])})
    return {"type": "FeatureCollection", "features": feats}


def map_classes(ind: Indicator, values: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """values: kode, nama, nilai, ... -> adds kelas (index, -1 = no data), kelas_label, warna."""
    cls = classify(ind, values["nilai"])
    labels = list(ind.labels(lang))
    colors = class_colors(ind)
    nd = t("umum.tidak_ada_data", lang)
    return values.with_columns(kelas=cls).with_columns(
        kelas_label=pl.col("kelas").map_elements(lambda i: nd if i < 0 else labels[i], return_dtype=pl.String),
        warna=pl.col("kelas").map_elements(lambda i: NO_DATA_COLOR if i < 0 else colors[i], return_dtype=pl.String),
    )


def choropleth(ind: Indicator, classed: pl.DataFrame, geo: pl.DataFrame, lang: str = "id",
               selected: str | None = None, faskes: pl.DataFrame | None = None,
               height: int = 560, title: str | None = None) -> go.Figure:
    """classed: output of map_classes joined to nothing; geo: kode, nama, geojson (simplified)."""
    fc = feature_collection(geo)
    fig = go.Figure()
    # Offline maps: plotly.js fetches a world topojson from its CDN when the FIRST geo trace has a
    # locationmode (geojson choropleths always do), and draws nothing when that fetch fails (no
    # internet in a district office, none here). An empty first trace keeps the map self-contained;
    # tests/test_browser.py checks that the map is really drawn.
    fig.add_trace(go.Choropleth(locations=[], z=[], showscale=False, showlegend=False, hoverinfo="skip"))
    labels = list(ind.labels(lang))
    colors = class_colors(ind)
    unit = ind.unit
    entries = [(i, labels[i], colors[i]) for i in range(len(labels))] + [(-1, t("umum.tidak_ada_data", lang), NO_DATA_COLOR)]
    with_geo = geo.select("kode").join(classed, on="kode", how="left").with_columns(
        pl.col("kelas").fill_null(-1))
    for i, label, color in entries:
        part = with_geo.filter(pl.col("kelas") == i)
        if part.height == 0:
            # keep the legend complete (every class and 'no data'): plotly gives an empty choropleth
            # no legend entry, so a legend-only marker stands in for it
            fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=label, showlegend=True,
                                        marker=dict(symbol="square", size=12, color=color), legendgroup=str(i),
                                        hoverinfo="skip"))
            continue
        text = [
            f"<b>{r['nama'] or r['kode']}</b><br>{fmt_num(r['nilai'], 1, lang) + unit if r['nilai'] is not None else t('umum.tidak_ada_data', lang)}"
            f"<br>{fmt_num(r['pembilang'], 0, lang)} / {fmt_num(r['penyebut'], 0, lang)}"
            for r in part.iter_rows(named=True)
        ]
        fig.add_trace(go.Choropleth(
            geojson=fc, locations=part["kode"].to_list(), z=[1] * part.height,
            featureidkey="id", colorscale=[[0, color], [1, color]], showscale=False,
            marker_line_color=["#000000" if k == selected else "#ffffff" for k in part["kode"].to_list()],
            marker_line_width=[3 if k == selected else 0.8 for k in part["kode"].to_list()],
            name=label, showlegend=True, legendgroup=str(i),
            text=text, hovertemplate="%{text}<extra></extra>", customdata=part["kode"].to_list(),
        ))
    if faskes is not None and faskes.height:
        add_faskes_layer(fig, faskes, lang)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=40 if title else 0, b=0),
                      # legend under the map: never over a kecamatan, and it wraps on a phone
                      legend=dict(title=ind.unit or "", orientation="h", yanchor="top", y=0, x=0,
                                  bgcolor="rgba(255,255,255,0)"),
                      title=title, clickmode="event+select")
    return fig


def faskes_key(jenis: str, rawat_inap: bool | None) -> str:
    if jenis == "puskesmas":
        if rawat_inap is None:
            return "puskesmas_tanpa_jenis"
        return "puskesmas_ranap" if rawat_inap else "puskesmas"
    return jenis


def add_faskes_layer(fig: go.Figure, faskes: pl.DataFrame, lang: str = "id") -> go.Figure:
    f = faskes.with_columns(
        key=pl.struct("jenis", "rawat_inap").map_elements(lambda s: faskes_key(s["jenis"], s["rawat_inap"]),
                                                          return_dtype=pl.String))
    for key, (color, symbol, size) in FASKES_STYLE.items():
        part = f.filter(pl.col("key") == key)
        if part.height == 0:
            continue
        fig.add_trace(go.Scattergeo(
            lon=part["lon"].to_list(), lat=part["lat"].to_list(), mode="markers",
            marker=dict(color=color, symbol=symbol, size=size, line=dict(color="white", width=0.5)),
            name=t(f"faskes.{key}", lang), text=part["nama"].to_list(),
            hovertemplate="%{text}<extra>" + t(f"faskes.{key}", lang) + "</extra>",
        ))
    return fig


def add_value_labels(fig: go.Figure, geo: pl.DataFrame, classed: pl.DataFrame, lang: str = "id",
                     color: str = "#1f2933", size: int = 15) -> go.Figure:
    """Print each area's value at its label point (geo lat/lon): on paper there is no hover."""
    if not {"lat", "lon"} <= set(geo.columns):
        return fig
    lab = geo.select("kode", "lat", "lon").join(classed.select("kode", "nilai"), on="kode", how="left") \
             .drop_nulls(["lat", "lon", "nilai"])
    if lab.height:
        fig.add_trace(go.Scattergeo(
            lon=lab["lon"].to_list(), lat=lab["lat"].to_list(), mode="text", showlegend=False,
            text=[fmt_num(v, 1, lang) for v in lab["nilai"].to_list()], hoverinfo="skip",
            textfont=dict(size=size, color=color)))
    return fig


def trend_figure(routine: pl.DataFrame, survey: pl.DataFrame, path: pl.DataFrame,
                 projection: pl.DataFrame | None = None, lang: str = "id", height: int = 420,
                 crosscheck: pl.DataFrame | None = None) -> go.Figure:
    """routine: periode, prevalensi_pct, ci_bawah, ci_atas (complete routine rounds: e-PPGBM, or a recap);
    crosscheck: the recap series shown beside e-PPGBM as its own line (never joined to it);
    survey: tahun, survei, prevalensi, tingkat (SSGI/SKI, separate markers, never joined to routine);
    path: tingkat, tahun, nilai, interpolasi (targets); projection: x, nilai."""
    fig = go.Figure()
    if routine.height:
        xs = [periode_to_year(p) for p in routine["periode"].to_list()]
        fig.add_trace(go.Scatter(
            x=xs + xs[::-1], y=routine["ci_atas"].to_list() + routine["ci_bawah"].to_list()[::-1],
            fill="toself", fillcolor="rgba(21,101,192,0.15)", line=dict(width=0), hoverinfo="skip",
            name=t("stunting.ci95", lang), showlegend=True))
        fig.add_trace(go.Scatter(
            x=xs, y=routine["prevalensi_pct"].to_list(), mode="lines+markers", name=t("stunting.rutin", lang),
            line=dict(color="#1565c0", width=3), text=routine["periode"].to_list(),
            hovertemplate="%{text}: %{y:.1f}%<extra>" + t("stunting.rutin", lang) + "</extra>"))
    if crosscheck is not None and crosscheck.height:
        xs = [periode_to_year(p) for p in crosscheck["periode"].to_list()]
        fig.add_trace(go.Scatter(
            x=xs, y=crosscheck["prevalensi_pct"].to_list(), mode="lines+markers",
            name=t("stunting2.rekap_tren", lang), line=dict(color="#ef6c00", width=2, dash="dashdot"),
            marker=dict(symbol="triangle-up", size=9), text=crosscheck["periode"].to_list(),
            hovertemplate="%{text}: %{y:.1f}%<extra>" + t("stunting2.rekap_tren", lang) + "</extra>"))
    if projection is not None and projection.height:
        fig.add_trace(go.Scatter(x=projection["x"].to_list(), y=projection["nilai"].to_list(), mode="lines",
                                 line=dict(color="#1565c0", dash="dot", width=2), name=t("stunting.proyeksi", lang)))
    for tingkat, color, symbol in (("kabkota", "#6a1b9a", "diamond"), ("nasional", "#757575", "circle-open")):
        s = survey.filter(pl.col("tingkat") == tingkat) if survey.height else survey
        if s.height == 0:
            continue
        # markers only: survey estimates are separate points, never one line with routine data
        err = None
        if "ci_atas" in s.columns and s["ci_atas"].null_count() < s.height:
            err = dict(type="data", symmetric=False,
                       array=(s["ci_atas"] - s["prevalensi"]).to_list(),
                       arrayminus=(s["prevalensi"] - s["ci_bawah"]).to_list(), color=color)
        labels = [f"{sv} {y}" for sv, y in zip(s["survei"].to_list(), s["tahun"].to_list())]
        fig.add_trace(go.Scatter(
            x=[y + 0.5 for y in s["tahun"].to_list()], y=s["prevalensi"].to_list(),
            # only the district's points carry a label; the national ones sit at the same x
            mode="markers+text" if tingkat == "kabkota" else "markers",
            marker=dict(color=color, symbol=symbol, size=12), error_y=err,
            text=labels, textposition="top center", name=t(f"stunting.survei_{tingkat}", lang),
            hovertemplate="%{text}: %{y:.1f}%<extra></extra>"))
    for tingkat, color in (("kabkota", "#2e7d32"), ("nasional", "#c62828")):
        p = path.filter(pl.col("tingkat") == tingkat) if path.height else path
        if p.height == 0:
            continue
        # one line per legal basis: 14,0 (Perpres 72/2021, 2024) and 18,8 (RPJMN, 2025) are not one path
        for j, (_, seg) in enumerate(p.group_by("segmen", maintain_order=True)):
            fig.add_trace(go.Scatter(
                x=[y + 0.99 for y in seg["tahun"].to_list()], y=seg["nilai"].to_list(), mode="lines+markers",
                line=dict(color=color, width=2, dash="dash"), marker=dict(size=1),
                name=t(f"stunting.target_{tingkat}", lang), legendgroup=f"target_{tingkat}", showlegend=j == 0,
                hoverinfo="skip"))
        off = p.filter(~pl.col("interpolasi"))
        fig.add_trace(go.Scatter(
            x=[y + 0.99 for y in off["tahun"].to_list()], y=off["nilai"].to_list(), mode="markers",
            marker=dict(color=color, size=9, symbol="x"), showlegend=False,
            text=[f"{t('stunting.target', lang)} {y}: {fmt_num(v, 1, lang)}% ({d})" for y, v, d in
                  zip(off["tahun"].to_list(), off["nilai"].to_list(), off["dasar"].to_list())],
            hovertemplate="%{text}<extra></extra>"))
        itp = p.filter(pl.col("interpolasi"))
        if itp.height:
            fig.add_trace(go.Scatter(
                x=[y + 0.99 for y in itp["tahun"].to_list()], y=itp["nilai"].to_list(), mode="markers",
                marker=dict(color="white", size=8, line=dict(color=color, width=2)), showlegend=False,
                text=[f"{t('stunting.target_interpolasi', lang)} {y}: {fmt_num(v, 1, lang)}%" for y, v in
                      zip(itp["tahun"].to_list(), itp["nilai"].to_list())],
                hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      yaxis=dict(title="%", rangemode="tozero"),
                      xaxis=dict(title=t("umum.tahun", lang), dtick=1, tickformat="d"),
                      legend=dict(orientation="h", yanchor="top", y=-0.15))
    return fig


def ranking_bar(df: pl.DataFrame, value: str, label: str, lang: str = "id", unit: str = "%",
                target: float | None = None, height: int | None = None, color: str = "#1565c0",
                decimals: int = 1) -> go.Figure:
    d = df.drop_nulls(value).sort(value)
    fig = go.Figure(go.Bar(
        x=d[value].to_list(), y=d[label].to_list(), orientation="h", marker_color=color,
        text=[fmt_num(v, decimals, lang) + unit for v in d[value].to_list()], textposition="outside",
        cliponaxis=False))
    top = max(d[value].max() or 0, target or 0)
    fig.update_xaxes(range=[0, top * 1.25 if top else 1], tickformat=",d" if decimals == 0 else None)
    if target is not None:
        fig.add_vline(x=target, line_dash="dash", line_color="#c62828",
                      annotation_text=f"{t('umum.target', lang)} {fmt_num(target, 1, lang)}{unit}",
                      annotation_position="bottom right")
    fig.update_layout(height=height or max(300, 24 * d.height + 80), margin=dict(l=10, r=40, t=20, b=10),
                      xaxis=dict(title=unit))
    return fig
