"""Plotly figures of the Mutu Data page (pure: frames in, figures out): decimal digits of height and weight, age by
month with the whole years marked, and the HAZ distribution against the standard normal."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from ilp.charts import TWO_CLASS_COLORS
from ilp.i18n import fmt_num, t
from ilp.mutu import DIGITS

BAR = "#4a6fa5"        # neutral bars
BAD = TWO_CLASS_COLORS[0]  # the bars a check is about (heaped digit, whole-year months)
REF = "#222222"        # the expected line / the standard normal
BULAN_BULAT = (12, 24, 36, 48)


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=dict(text=title, font=dict(size=15)), xaxis_title=x, yaxis_title=y, bargap=0.15,
                      margin=dict(l=50, r=20, t=60, b=50), height=340, template="plotly_white",
                      legend=dict(orientation="h", y=-0.25))
    return fig


def _seps(lang: str) -> str:
    return ",." if lang == "id" else ".,"


def digit_figure(row: dict, ukuran: str, lang: str = "id") -> go.Figure:
    """Counts of the decimal digit 0..9 of `ukuran` ('tinggi' or 'berat') with the even-spread line (n / 10);
    the most frequent digit in the alarm colour when the DPS is above 20."""
    counts = [int(row.get(f"{ukuran}_d{i}") or 0) for i in DIGITS]
    n = sum(counts)
    dps = row.get(f"dps_{ukuran}")
    top = max(range(10), key=lambda i: counts[i]) if n else None
    colors = [BAD if (dps is not None and dps > 20 and i == top) else BAR for i in DIGITS]
    fig = go.Figure(go.Bar(x=[str(i) for i in DIGITS], y=counts, marker_color=colors,
                           name=t("mutu.grafik.jumlah", lang),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    if n:
        fig.add_hline(y=n / 10, line=dict(color=REF, dash="dash", width=1.5),
                      annotation_text=t("mutu.grafik.merata", lang), annotation_position="top right")
    title = t(f"mutu.grafik.digit_{ukuran}", lang, dps=fmt_num(dps, 0, lang), n=fmt_num(n, 0, lang))
    fig = _layout(fig, title, t("mutu.grafik.digit_x", lang), t("mutu.grafik.jumlah", lang))
    fig.update_layout(separators=_seps(lang))
    return fig


def age_figure(umur: pl.DataFrame, lang: str = "id") -> go.Figure:
    """Children by completed month of age 0..59 (rows of quality/mutu_umur for one unit and round); the whole
    years 12, 24, 36, 48 in the alarm colour so heaping shows as spikes."""
    by = dict(zip(umur["umur_bulan"].to_list(), umur["n"].to_list())) if umur.height else {}
    months = list(range(60))
    ys = [by.get(m, 0) for m in months]
    colors = [BAD if m in BULAN_BULAT else BAR for m in months]
    fig = go.Figure(go.Bar(x=months, y=ys, marker_color=colors, name=t("mutu.grafik.jumlah", lang),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    # yearly totals as text under the title (the distribution by year)
    years = [sum(ys[12 * k:12 * k + 12]) for k in range(5)]
    total = sum(ys)
    per_year = " · ".join(t("mutu.grafik.tahun_ke", lang, k=k) + ": "
                          + (f"{fmt_num(100 * v / total, 0, lang)}%" if total else "–") for k, v in enumerate(years))
    title = t("mutu.grafik.umur", lang, n=fmt_num(total, 0, lang)) + f"<br><sup>{t('mutu.grafik.per_tahun', lang)} {per_year}</sup>"
    fig = _layout(fig, title, t("mutu.grafik.umur_x", lang), t("mutu.grafik.jumlah", lang))
    fig.update_xaxes(tickvals=[0, 6, 12, 18, 24, 30, 36, 42, 48, 54, 59])
    fig.update_layout(separators=_seps(lang))
    return fig


def haz_figure(bins: pl.DataFrame, lang: str = "id", mean: float | None = None) -> go.Figure:
    """Unflagged HAZ in 0.5-SD bins (rows of quality/mutu_sebaran_haz for one unit and round) against the WHO
    standard normal N(0, 1) scaled to the same number of children (expected count per bin = n * 0.5 * density),
    and, dashed, a normal with SD 1 at the data's own mean: bars spreading beyond it mean an SD above 1."""
    by = dict(zip(bins["bin"].to_list(), bins["n"].to_list())) if bins.height else {}
    edges = [-5.0 + 0.5 * k for k in range(20)]
    ys = [by.get(e, 0) for e in edges]
    n = sum(ys)
    centers = [e + 0.25 for e in edges]
    fig = go.Figure(go.Bar(x=centers, y=ys, width=0.45, marker_color=BAR, name=t("mutu.grafik.haz_data", lang),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    xs = [-5 + 0.1 * k for k in range(101)]
    ref = [n * 0.5 * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) for x in xs]
    fig.add_trace(go.Scatter(x=xs, y=ref, mode="lines", line=dict(color=REF, width=2),
                             name=t("mutu.grafik.normal", lang), hoverinfo="skip"))
    if mean is not None and n:
        own = [n * 0.5 * math.exp(-(x - mean) ** 2 / 2) / math.sqrt(2 * math.pi) for x in xs]
        fig.add_trace(go.Scatter(x=xs, y=own, mode="lines", line=dict(color=REF, width=1.5, dash="dash"),
                                 name=t("mutu.grafik.normal_rata", lang, rata=fmt_num(mean, 2, lang)),
                                 hoverinfo="skip"))
    fig.add_vline(x=-2, line=dict(color=BAD, dash="dot", width=1))
    fig = _layout(fig, t("mutu.grafik.haz", lang, n=fmt_num(n, 0, lang)), t("mutu.grafik.haz_x", lang),
                  t("mutu.grafik.jumlah", lang))
    fig.update_layout(separators=_seps(lang))
    return fig
