"""Peta Cakupan: choropleth per kecamatan for any map indicator, facility layer, desa drill-down.
Layout only: values come from ilp.indicators / ilp.stunting, rankings and desa layers from ilp.coverage."""
import streamlit as st

from ilp import charts, coverage, indicators, stunting
from ilp.i18n import fmt_periode
from ui import data
from ui.common import SUMBER_SASARAN, header, lang, map_pick_kecamatan, q, source_note, t, url_select
from ui.components import ranked_table, table_downloads

L = lang()
kab, nama_kab = header("peta.judul")
reg = indicators.registry()
ids = indicators.map_choices()

c1, c2, c3 = st.columns([3, 2, 2])
with c1:
    ind_id = url_select(t("peta.indikator"), ids, "ind",
                        format_func=lambda i: reg[i].name(L) + ("" if reg[i].official else " (P)"))
ind = reg[ind_id]
years = data.spm_years()
params = {"kab": kab, "periode": None}
with c3:
    params["sumber_sasaran"] = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")
routine = stunting.routine(q, kab, params["sumber_sasaran"]) if ind.period_kind == "ronde" else None
with c2:
    if routine is not None:
        rounds, default = coverage.round_choices(routine)
        if rounds:
            params["periode"] = url_select(t("stunting.ronde"), rounds, "periode", default=default,
                                           format_func=lambda p: fmt_periode(p, L))
            periode_text = fmt_periode(params["periode"], L)
        else:  # no child measurements or recap loaded yet: the map says so
            periode_text = t("umum.tidak_ada_data")
    else:
        yrs = years["tahun"].to_list() if years.height else []
        tahun = url_select(t("umum.tahun"), yrs, "tahun") if yrs else None
        params["tahun"] = int(tahun) if tahun is not None else 0
        params["bulan"] = data.spm_last_month(years, params["tahun"])
        if ind.period_kind != "tahun":
            periode_text = t("peta.snapshot", tahun=(f" · {t('umum.tahun')} {params['tahun']}" if params["tahun"] else ""))
        elif params["tahun"]:
            periode_text = t("peta.ytd", bulan=fmt_periode(f"{params['tahun']}-{params['bulan']:02d}", L))
        else:  # no SPM report loaded yet
            periode_text = t("umum.tidak_ada_data")

vals = indicators.values(q, ind, routine=routine, **params)
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
source_note(t("peta.sumber", query=routine.label(L) if routine is not None else ind.query,
              denom=ind.denominator_text(L), periode=periode_text) + ("" if ind.official else " " + t("peta.proyek")))
if ind.legend_source:
    st.caption(t("peta.legenda") + ": " + ind.legend_source)

kec_opts = [""] + vals["kode"].to_list()
sel = url_select(t("umum.pilih_kecamatan"), kec_opts, "kec",
                 format_func=lambda k: t("umum.semua_kecamatan") if not k else names.get(k, k))

target = coverage.ind_target(ind, stunting.target_for(q, kab, params["periode"]) if ind.target_indicator else None)
rank = coverage.rank_by_gap(vals, ind.direction, target)
ranked_table(rank, "peta.peringkat", "peta.peringkat_note", f"{ind_id}_kecamatan", "rank")

if sel:
    st.subheader(t("peta.desa_di", kec=names.get(sel, sel)))
    dgeo = q("wilayah/batas_desa", kec=sel)
    if ind.values_from == "stunting_rutin" and params["periode"]:
        dtab = stunting.desa(q, sel, params["periode"], params["sumber_sasaran"])
        dind, dvals = ind, stunting.desa_map_values(dtab)
    else:
        dtab = q("ilp/jaringan_desa", kec=sel)
        dind = indicators.get("desa_dengan_pustu")
        net = q("ilp/jaringan_kecamatan", kab=kab, tahun=params.get("tahun") or 0, sumber_sasaran=params["sumber_sasaran"])
        dvals = indicators.compute(dind, coverage.desa_pustu_values(dtab, coverage.network_totals(net)["pustu"] or 0))
        st.caption(t("peta.desa_pustu_note"))
    st.plotly_chart(charts.choropleth(dind, charts.map_classes(dind, dvals, L), dgeo, L,
                                      faskes=coverage.faskes_in(fk, sel), height=460), width="stretch")
    table_downloads(dtab, f"desa_{sel}", "desa")
