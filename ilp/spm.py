"""SPM page figures (pure, no Streamlit): per-service district totals and the headline (rules in
ilp/capaian.py), the Puskesmas x service matrix and heatmap (above 100% shown, not clipped), the trend."""
from __future__ import annotations

import math

import polars as pl

from ilp import capaian
from ilp.i18n import LANGS, fmt_num, t

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
    text = [["–" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt_num(v, 0, lang) for v in row]
            for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=svc_cols, y=mat["puskesmas"].to_list(), text=text, texttemplate="%{text}", zmin=0, zmax=HEAT_MAX,
        colorscale=HEAT_COLORS,
        colorbar=dict(title="%", tickvals=[0, 60, 80, 100, HEAT_MAX], ticktext=["0", "60", "80", "100", f"≥{HEAT_MAX}"]),
        hovertemplate="%{y} · SPM %{x}: %{text}%<extra></extra>"))
    fig.update_layout(height=max(400, 22 * mat.height + 100), margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title=t("spm.layanan_no", lang), side="top", type="category"),
                      yaxis=dict(autorange="reversed"))
    return fig


def legend_text(per_service: pl.DataFrame, lang: str = "id") -> str:
    return " · ".join(f"{r['no']}. {r[name_col(lang)]}" for r in per_service.iter_rows(named=True))


def trend_figure(tr: pl.DataFrame, chosen: list[str], lang: str = "id"):
    """Cumulative achievement per month, one line per service and year (no line from December down to
    January), against the 100% line; None when nothing is chosen or loaded."""
    col = name_col(lang)
    trf = tr.filter(pl.col(col).is_in(chosen))
    if trf.height == 0:
        return None
    import plotly.express as px
    fig = px.line(trf.to_pandas(), x="tanggal", y="capaian_pct", color=col, line_group="tahun", markers=True,
                  labels={"tanggal": "", "capaian_pct": t("spm.capaian_kum", lang), col: ""}, height=420)
    fig.add_hline(y=100, line_dash="dash", line_color="#c62828", annotation_text=t("spm.target100", lang))
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    return fig
