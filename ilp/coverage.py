"""Peta and Fasilitas figures (pure Polars/Plotly, no Streamlit): ILP network headline shares that say
'no data' (None) instead of 0 when nothing is loaded behind them, the inventory table, the rollout
timeline, ranking kecamatan by gap to target, and the desa Pustu layer."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ilp.i18n import t


@dataclass(frozen=True)
class Share:
    """n of `of`, as a percentage; pct is None (shown 'tidak ada data') when nothing stands behind it."""

    n: int | None
    of: int | None
    pct: float | None


def _share(n, of, has_data: bool = True) -> Share:
    if not has_data or not of:
        return Share(None if not has_data else n, of or None, None)
    return Share(int(n or 0), int(of), 100.0 * (n or 0) / of)


def _sum(net: pl.DataFrame, col: str) -> int:
    return int(net[col].sum() or 0) if col in net.columns and net.height else 0


def network_totals(net: pl.DataFrame) -> dict[str, Share | int | None]:
    """District totals from queries/ilp/jaringan_kecamatan.sql. Counts are None when the list behind them
    is empty (a district that loaded Puskesmas only has no Pustu or Posyandu data, not zero of them)."""
    s = {c: _sum(net, c) for c in ("n_puskesmas", "n_puskesmas_ranap", "desa_dengan_pustu", "n_desa", "n_pustu",
                                   "pustu_lengkap", "pustu_ada_data_tenaga", "n_posyandu", "n_kader",
                                   "posyandu_ada_data_kader", "puskesmas_ilp", "puskesmas_ada_status")}
    return {
        "puskesmas": s["n_puskesmas"] or None,
        "puskesmas_ranap": s["n_puskesmas_ranap"] if s["n_puskesmas"] else None,
        "pustu": s["n_pustu"] or None,
        "desa_pustu": _share(s["desa_dengan_pustu"], s["n_desa"], has_data=s["n_pustu"] > 0),
        "pustu_lengkap": _share(s["pustu_lengkap"], s["n_pustu"], has_data=s["pustu_ada_data_tenaga"] > 0),
        "posyandu": s["n_posyandu"] or None,
        "kader": s["n_kader"] if s["posyandu_ada_data_kader"] else None,
        "puskesmas_ilp": _share(s["puskesmas_ilp"], s["n_puskesmas"], has_data=s["puskesmas_ada_status"] > 0),
    }


def _ratio(num: str, den: str, scale: float = 1.0, has: str | None = None) -> pl.Expr:
    ok = pl.col(den) > 0
    if has is not None:
        ok = ok & (pl.col(has) > 0)
    return pl.when(ok).then(scale * pl.col(num) / pl.col(den))


def inventory(net: pl.DataFrame) -> pl.DataFrame:
    """Per kecamatan with the derived shares; a share is null (not 0, not inf) where nothing stands behind it."""
    any_pustu = _sum(net, "n_pustu") > 0
    any_posyandu = _sum(net, "n_posyandu") > 0
    none = pl.lit(None, dtype=pl.Float64)
    return net.with_columns(
        desa_pustu_pct=_ratio("desa_dengan_pustu", "n_desa", 100) if any_pustu else none,
        pustu_lengkap_pct=_ratio("pustu_lengkap", "n_pustu", 100, has="pustu_ada_data_tenaga"),
        posyandu_per_desa=_ratio("n_posyandu", "n_desa") if any_posyandu else none,
        kader_per_posyandu=_ratio("n_kader", "posyandu_ada_data_kader"),
    )


def pustu_gaps(pt: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Pustu below the standard (1 perawat + 1 bidan) and the number of Pustu in the list."""
    return pt.filter(~pl.col("lengkap")), pt.height


def rollout_split(ro: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(Puskesmas that started ILP, Puskesmas not started yet)."""
    return ro.filter(pl.col("mulai").is_not_null()), ro.filter(pl.col("mulai").is_null())


def rollout_figure(started: pl.DataFrame, lang: str = "id"):
    """ILP start date per Puskesmas, coloured by rollout phase; None when no Puskesmas has started."""
    if started.height == 0:
        return None
    import plotly.express as px
    tl = started.with_columns(tahap_label=pl.format("{} {}", pl.lit(t("fasilitas.tahap", lang)), pl.col("tahap")))
    fig = px.scatter(tl.to_pandas(), x="mulai", y="nama", color="tahap_label",
                     labels={"mulai": t("fasilitas.mulai", lang), "nama": "", "tahap_label": t("fasilitas.tahap", lang)},
                     height=max(320, 22 * tl.height + 80))
    fig.update_traces(marker=dict(size=12, symbol="diamond"))
    return fig


def rank_by_gap(vals: pl.DataFrame, direction: str, target: float | None) -> pl.DataFrame:
    """Kecamatan ordered by the distance still to go to the target (largest first); `selisih` is null
    (ranked last) where there is no value or no target. direction 'naik' = higher is better."""
    tgt = pl.lit(target, dtype=pl.Float64)
    gap = (tgt - pl.col("nilai")) if direction == "naik" else (pl.col("nilai") - tgt)
    return vals.with_columns(target=tgt, selisih=gap if target is not None else pl.lit(None, dtype=pl.Float64)).sort(
        "selisih", descending=True, nulls_last=True)


def desa_pustu_values(dtab: pl.DataFrame, district_pustu: int) -> pl.DataFrame:
    """Frame for indicators.compute('desa_dengan_pustu') at desa level from queries/ilp/jaringan_desa.sql:
    1 of 1 where the desa has a Pustu, 0 of 1 where it has none. `n_pustu` carries the district's Pustu count,
    so a district whose facility list holds no Pustu at all shows no data, not 0%."""
    return dtab.select("kode", "nama", (pl.col("n_pustu") > 0).cast(pl.Int64).alias("desa_dengan_pustu"),
                       pl.lit(1).alias("n_desa"), pl.lit(int(district_pustu)).alias("n_pustu"))


def faskes_in(fk: pl.DataFrame | None, kec: str) -> pl.DataFrame | None:
    return fk.filter(pl.col("kode_kec") == kec) if fk is not None else None


def round_choices(routine) -> tuple[list[str], str | None]:
    """Rounds offered on the map (newest first) and the default: the latest complete round (ilp.stunting)."""
    per = routine.series["periode"].sort(descending=True).to_list() if routine.series.height else []
    return per, routine.latest


def ind_target(ind, routine_target: dict | None) -> float | None:
    """The map indicator's target: its own fixed one, else (stunting) the district/national path's."""
    if ind.target_indicator:
        return routine_target["nilai"] if routine_target else None
    return ind.target
