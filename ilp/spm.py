"""SPM page figures (pure, no Streamlit): per-service district totals and the headline (rules in
ilp/capaian.py), the Puskesmas x service matrix and heatmap (above 100% shown, not clipped), the trend."""
from __future__ import annotations

import polars as pl

from ilp import capaian, fmt
from ilp.i18n import LANGS, t

HEAT_MAX = 120  # colour scale top; values above it keep their own number in the cell
HEAT_COLORS = [[0, "#d73027"], [0.5, "#fc8d59"], [0.6667, "#fee08b"], [0.8333, "#1a9850"], [1, "#00441b"]]


def name_col(lang: str) -> str:
    """layanan_spm stores each service name in both languages (nama_id, nama_en)."""
    return f"nama_{lang if lang in LANGS else LANGS[0]}"


def services(cap: pl.DataFrame) -> pl.DataFrame:
    """One row per service (capaian.service_totals: units without a sasaran left out and counted), by number."""
    return capaian.service_totals(cap).sort("no")


def headline(per_service: pl.DataFrame, lang: str = "id", weakest: int = 3) -> dict:
    """The 12-service mean (each service capped at 100% inside the mean) and the weakest services."""
    m = capaian.mean_capped(per_service)
    weak = per_service.drop_nulls("capaian_pct").sort("capaian_pct").head(weakest)
    m["terlemah"] = [(r[name_col(lang)], r["capaian_pct"]) for r in weak.iter_rows(named=True)]
    return m


def no_sasaran(cap: pl.DataFrame) -> bool:
    """True when no row has a sasaran for the chosen source (every figure would be empty)."""
    return cap.height == 0 or cap["sasaran"].null_count() == cap.height


def matrix(cap: pl.DataFrame) -> pl.DataFrame:
    """Puskesmas x service number (columns '1'..'12'), achievement in %, null where there is no figure."""
    return cap.with_columns(pl.col("no").cast(pl.String)).pivot(
        on="no", index=["puskesmas", "kecamatan"], values="capaian_pct", aggregate_function="first")


def heatmap(cap: pl.DataFrame, lang: str = "id"):
    """Heatmap of the matrix; every cell carries its number (140 stays 140), '–' where there is none."""
    import plotly.graph_objects as go
    mat = matrix(cap)
    svc_cols = [c for c in mat.columns if c not in ("puskesmas", "kecamatan")]
    z = mat.select(svc_cols).to_numpy().tolist()
    text = [[fmt.num(v, 0, lang) for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=svc_cols, y=mat["puskesmas"].to_list(), text=text, texttemplate="%{text}", zmin=0, zmax=HEAT_MAX,
        colorscale=HEAT_COLORS,
        colorbar=dict(title="%", tickvals=[0, 60, 80, 100, HEAT_MAX], ticktext=["0", "60", "80", "100", f"≥{HEAT_MAX}"]),
        hovertemplate="%{y} · SPM %{x}: %{text}%<extra></extra>"))
    fig.update_layout(height=max(400, 22 * mat.height + 100), margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title=t("spm.layanan_no", lang), side="top", type="category"),
                      yaxis=dict(autorange="reversed"), separators=fmt.plotly_separators(lang))
    return fig


def legend_text(per_service: pl.DataFrame, lang: str = "id") -> str:
    return " · ".join(f"{r['no']}. {r[name_col(lang)]}" for r in per_service.iter_rows(named=True))


def service_options(per_service: pl.DataFrame) -> list[int]:
    """Service numbers (language-independent, so a choice in the URL survives a language switch)."""
    return [int(n) for n in per_service["no"].to_list()]


def service_label(per_service: pl.DataFrame, lang: str = "id"):
    names = dict(zip(per_service["no"].to_list(), per_service[name_col(lang)].to_list()))
    return lambda n: f"{n}. {names.get(n, n)}"


def trend_figure(tr: pl.DataFrame, chosen: list, lang: str = "id"):
    """Cumulative achievement per month, one line per service and year (no line from December down to
    January), against the 100% line; None when nothing is chosen or loaded. `chosen`: service numbers (or names).
    Months on the axis and in the hover are in the reader's language; numbers use its separators."""
    col = name_col(lang)
    trf = tr.filter(pl.col("no").is_in([c for c in chosen if isinstance(c, int)]) | pl.col(col).is_in(
        [c for c in chosen if isinstance(c, str)])).sort("no", "tahun", "bulan")
    if trf.height == 0:
        return None
    import plotly.graph_objects as go
    from plotly.colors import qualitative
    fig = go.Figure()
    palette = qualitative.Safe
    for i, ((no, tahun), part) in enumerate(trf.group_by(["no", "tahun"], maintain_order=True)):
        name = part[col][0]
        periods = [fmt.month_year(y, m, lang) for y, m in zip(part["tahun"].to_list(), part["bulan"].to_list())]
        fig.add_trace(go.Scatter(
            x=part["tanggal"].to_list(), y=part["capaian_pct"].to_list(), mode="lines+markers", name=name,
            legendgroup=str(no), showlegend=bool(tahun == trf.filter(pl.col("no") == no)["tahun"].min()),
            line=dict(color=palette[(int(no) - 1) % len(palette)]), customdata=periods,
            hovertemplate=f"{name}<br>%{{customdata}}: %{{y:{fmt.hover_number_format(1)}}}%<extra></extra>"))
    ticks = trf.select("tanggal", "tahun", "bulan").unique().sort("tanggal")
    step = max(1, ticks.height // 8)
    tick_rows = ticks.gather_every(step)
    fig.add_hline(y=100, line_dash="dash", line_color="#c62828", annotation_text=t("spm.target100", lang))
    fig.update_layout(height=420, legend=dict(orientation="h", y=-0.2), separators=fmt.plotly_separators(lang),
                      yaxis=dict(title=t("spm.capaian_kum", lang), ticksuffix="%"),
                      xaxis=dict(tickvals=tick_rows["tanggal"].to_list(),
                                 ticktext=[fmt.month_year(y, m, lang) for y, m in
                                           zip(tick_rows["tahun"].to_list(), tick_rows["bulan"].to_list())]),
                      margin=dict(l=10, r=10, t=30, b=10))
    return fig
