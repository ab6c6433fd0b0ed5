"""Peta Cakupan: choropleth per kecamatan for any registered indicator, facility layer, desa drill-down."""
import polars as pl
import streamlit as st

from ilp import charts, indicators, prevalence
from ilp.i18n import fmt_num, fmt_periode
from ui import data
from ui.common import SUMBER_SASARAN, downloads, header, lang, map_pick_kecamatan, q, source_note, t, table, url_select

L = lang()
kab, nama_kab = header("peta.judul")
reg = indicators.registry()
ids = list(reg)

c1, c2, c3 = st.columns([3, 2, 2])
with c1:
    ind_id = url_select(t("peta.indikator"), ids, "ind",
                        format_func=lambda i: reg[i].name(L) + ("" if reg[i].official else " (P)"))
ind = reg[ind_id]
years = data.spm_years()
params = {"kab": kab}
with c3:
    params["sumber_sasaran"] = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")
with c2:
    if ind.period_kind == "ronde":
        rounds = data.rounds(kab)[::-1]
        if rounds:
            params["periode"] = url_select(t("stunting.ronde"), rounds, "periode", format_func=lambda p: fmt_periode(p, L))
            periode_text = fmt_periode(params["periode"], L)
        else:  # no child measurements loaded yet: the map says so
            params["periode"] = None
            periode_text = t("umum.tidak_ada_data")
    else:
        yrs = years["tahun"].to_list() if years.height else []
        tahun = url_select(t("umum.tahun"), yrs, "tahun") if yrs else None
        params["tahun"] = int(tahun) if tahun is not None else 0
        bl = years.filter(pl.col("tahun") == params["tahun"])["bulan_terakhir"]
        params["bulan"] = int(bl[0]) if bl.len() else 12
        periode_text = (t("peta.ytd", bulan=fmt_periode(f"{params['tahun']}-{params['bulan']:02d}", L))
                        if ind.period_kind == "tahun" else t("peta.snapshot", tahun=(f" · {t('umum.tahun')} {params['tahun']}" if params["tahun"] else "")))

vals = data.indicator_values(ind, **params)
classed = charts.map_classes(ind, vals, L)
geo = q("wilayah/batas_kecamatan", kab=kab)
names = dict(zip(vals["kode"].to_list(), vals["nama"].to_list()))
show_fk = st.toggle(t("peta.lapisan_faskes"), value=st.query_params.get("faskes", "0") == "1", key="tg_fk")
st.query_params["faskes"] = "1" if show_fk else "0"
fk = q("ilp/faskes_titik", kab=kab) if show_fk else None
sel = st.query_params.get("kec", "")
title = f"{ind.name(L)} · {periode_text}"
map_pick_kecamatan(charts.choropleth(ind, classed, geo, L, selected=sel or None, faskes=fk, title=title),
                   "map_peta", names)
source_note(t("peta.sumber", query=ind.query, denom=ind.denominator_text(L), periode=periode_text)
            + ("" if ind.official else " " + t("peta.proyek")))
if ind.legend_source:
    st.caption(t("peta.legenda") + ": " + ind.legend_source)

kec_opts = [""] + vals["kode"].to_list()
sel = url_select(t("umum.pilih_kecamatan"), kec_opts, "kec",
                 format_func=lambda k: t("umum.semua_kecamatan") if not k else names.get(k, k))

# ranking by gap to target
target = ind.target
if ind.target_indicator:
    tp = data.target_path(kab)
    yr = int(params["periode"][:4]) if params.get("periode") else (params.get("tahun") or None)
    from ilp.targets import target_for_year
    tt = target_for_year(tp, yr) if (tp.height and yr) else None
    target = tt["nilai"] if tt else None
rank = vals.with_columns(
    target=pl.lit(target, dtype=pl.Float64),
    selisih=pl.lit(None, dtype=pl.Float64) if target is None else
    ((pl.lit(target) - pl.col("nilai")) if ind.direction == "naik" else (pl.col("nilai") - pl.lit(target))),
).sort("selisih", descending=True, nulls_last=True)
st.subheader(t("peta.peringkat"))
st.caption(t("peta.peringkat_note"))
table(rank)
downloads(rank, f"{ind_id}_kecamatan", "rank")

if sel:
    st.subheader(t("peta.desa_di", kec=names.get(sel, sel)))
    dgeo = q("wilayah/batas_desa", kec=sel)
    if ind.id == "stunting_prevalensi" and params.get("periode"):
        d = prevalence.suppress_small(data.stunting_desa(sel, params["sumber_sasaran"]).filter(
            pl.col("periode") == params["periode"]))
        d = d.with_columns(pl.col("stunting").fill_null(0),
                           pl.when(pl.col("disembunyikan")).then(0).otherwise(pl.col("diukur")).alias("diukur"))
        dind = ind
        dvals = indicators.compute(ind, d)
        dtab = d
    else:
        dtab = q("ilp/jaringan_desa", kec=sel)
        dind = indicators.get("desa_dengan_pustu")
        dvals = dtab.select("kode", "nama", (pl.col("n_pustu") > 0).cast(pl.Int64).alias("ada"),
                            pl.lit(1).alias("satu")).rename({"ada": "desa_dengan_pustu", "satu": "n_desa"})
        dvals = indicators.compute(dind, dvals)
        st.caption(t("peta.desa_pustu_note"))
    dfk = fk.filter(pl.col("kode_kec") == sel) if fk is not None else None
    st.plotly_chart(charts.choropleth(dind, charts.map_classes(dind, dvals, L), dgeo, L, faskes=dfk, height=460),
                    width="stretch")
    table(dtab)
    downloads(dtab, f"desa_{sel}", "desa")
