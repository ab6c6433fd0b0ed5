"""Peta Cakupan: a planner's map. Any map indicator per kecamatan (or, where it has one, per desa for the whole
district), names and values on the map, facility markers, a side panel for the selected kecamatan (its figures,
facilities and trend), selectors only where they change the map, the indicator's details, and the desa of the
selected kecamatan. Layout only: values from ilp.indicators / ilp.stunting, rules from ilp/coverage.py."""
import streamlit as st

from ilp import charts, coverage, indicators, stunting
from ilp.i18n import fmt_num, fmt_periode
from ui import data
from ui.common import SUMBER_SASARAN, header, lang, q, source_note, t, url_select, url_toggle
from ui.components import part, ranked_table, table_downloads
from ui.maps import map_pick

L = lang()
kab, nama_kab = header("peta.judul")


@part
def peta() -> None:
    """Everything below the header: each selector (indicator, round, denominator, layer, toggles, kecamatan) and a
    map click rerun this part only."""
    reg = indicators.registry()
    ids = indicators.map_choices()

    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    with c1:
        ind_id = url_select(t("peta.indikator"), ids, "ind",
                            format_func=lambda i: reg[i].name(L) + ("" if reg[i].official else " (P)"))
    ind = reg[ind_id]
    ctl = coverage.controls(ind)
    years = data.spm_years()
    yrs = years["tahun"].to_list() if years.height else []
    params = {"kab": kab, "periode": None, "sumber_sasaran": SUMBER_SASARAN[0], "tahun": int(yrs[0]) if yrs else 0}
    if ctl.sasaran:
        with c3:
            params["sumber_sasaran"] = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")
    routine = stunting.routine(q, kab, params["sumber_sasaran"]) if ctl.ronde else None
    periode_text = t("umum.tidak_ada_data")
    with c2:
        if routine is not None:
            rounds, default = coverage.round_choices(routine)
            if rounds:  # else: no child measurements or recap loaded yet, the map says so
                params["periode"] = url_select(t("stunting.ronde"), rounds, "periode", default=default,
                                               format_func=lambda p: fmt_periode(p, L))
                periode_text = fmt_periode(params["periode"], L)
        elif ctl.tahun and yrs:
            params["tahun"] = int(url_select(t("umum.tahun"), yrs, "tahun"))
    if routine is None:
        params["bulan"] = data.spm_last_month(years, params["tahun"])
        if ind.period_kind == "tahun":
            if params["tahun"]:
                periode_text = t("peta.ytd", bulan=fmt_periode(f"{params['tahun']}-{params['bulan']:02d}", L))
        else:
            periode_text = t("peta.snapshot", tahun=(f" · {t('umum.tahun')} {params['tahun']}"
                                                     if ctl.tahun and params["tahun"] else ""))
    level = "kecamatan"
    if coverage.has_desa_layer(ind):
        with c4:
            level = url_select(t("peta.lapis"), ["kecamatan", "desa"], "lapis",
                               format_func=lambda v: t(f"peta.lapis_{v}"))

    vals = indicators.values(q, ind, routine=routine, **params)
    classed = charts.map_classes(ind, vals, L)
    names = dict(zip(vals["kode"].to_list(), vals["nama"].to_list()))
    # routine values are judged only against the district's ROUTINE target (none set: no gap, ranked by value)
    target = coverage.ind_target(ind, stunting.routine_target(q, kab, int(params["periode"][:4]))
                                 if ind.target_indicator and params["periode"] else None)
    # quality marks (ilp.mutu) beside routine prevalence, per kecamatan, for the round shown
    marks = stunting.quality_marks(q, kab, params["periode"], L) if routine is not None and params["periode"] else None
    t1, t2 = st.columns(2)
    show_fk = url_toggle(t("peta.lapisan_faskes"), "faskes", default=False, where=t1)
    show_lab = url_toggle(t("peta.label_peta"), "label", default=True, where=t2)
    fk_all = q("ilp/faskes_titik", kab=kab)
    fk = fk_all if show_fk else None
    sel = st.query_params.get("kec", "")
    sel = sel if sel in names else ""
    title = f"{ind.name(L)} · {periode_text}"


    def _desa_layer(kec: str):
        """(indicator, classed desa values, legend or None, table) of one kecamatan's desa for this indicator."""
        if ind.values_from == "stunting_rutin" and params["periode"]:
            dtab = stunting.desa(q, kec, params["periode"], params["sumber_sasaran"])
            return ind, charts.map_classes(ind, stunting.desa_map_values(dtab), L), None, stunting.desa_table(dtab, L)
        dtab = q("ilp/jaringan_desa", kec=kec)
        net = q("ilp/jaringan_kecamatan", kab=kab, tahun=params["tahun"], sumber_sasaran=params["sumber_sasaran"])
        classed_d, legend = coverage.desa_pustu_layer(dtab, coverage.network_totals(net)["pustu"] or 0, L)
        return indicators.get("desa_dengan_pustu"), classed_d, legend, dtab


    map_col, panel_col = st.columns([3, 1]) if sel else (st.container(), None)
    with map_col:
        if level == "desa":
            # the whole district's desa: boundaries in one question; the Pustu layer in one (as on Fasilitas)
            dgeo = q("wilayah/batas_desa_kab", kab=kab)
            if ind.values_from == "stunting_rutin":
                dind, legend = ind, None
                dcl = coverage.stack([_desa_layer(k)[1] for k in vals["kode"].to_list()])
            else:
                dind = indicators.get("desa_dengan_pustu")
                dcl, _, legend, _ = coverage.district_desa_pustu(q, kab, L)
            st.plotly_chart(charts.choropleth(dind, dcl, dgeo, L, selected=None, faskes=fk, title=title,
                                              labels=show_lab, legend=legend, height=640,
                                              faskes_kinds=charts.DISTRICT_FASKES), width="stretch")
            st.caption(t("peta.desa_kab_note") if ind.values_from == "stunting_rutin" else t("peta.desa_pustu_note"))
        else:
            map_pick(charts.choropleth(ind, classed, q("wilayah/batas_kecamatan", kab=kab), L, selected=sel or None,
                                       faskes=fk, title=title, labels=show_lab, height=640,
                                       faskes_kinds=charts.DISTRICT_FASKES), "map_peta", names)
            if show_fk:
                st.caption(t("peta.faskes_kecamatan_note"))
            if not sel:
                st.caption(t("peta.klik_note"))
        source_note(t("peta.periode_note", periode=periode_text, denom=ind.denominator_text(L))
                    + ("" if ind.official else " " + t("peta.proyek")))
        with st.expander(t("peta.rincian"), icon=":material/info:"):
            src = routine.label(L) if routine is not None and routine.source else None
            st.markdown("\n".join(f"- **{k}**: {v}" for k, v in coverage.indicator_details(ind, L, src, target)))

    if panel_col is not None:
        with panel_col:
            p = coverage.area_panel(classed, sel, ind.direction, target)
            st.subheader(t("peta.panel_judul", nama=p.nama))
            st.metric(t("peta.panel_nilai"), fmt_num(p.nilai, 1, L) + ind.unit if p.nilai is not None
                      else t("umum.tidak_ada_data"))
            if p.pembilang is not None and p.penyebut is not None:
                st.caption(t("peta.panel_bagian", pembilang=fmt_num(p.pembilang, 0, L),
                             penyebut=fmt_num(p.penyebut, 0, L)) + " · " + ind.denominator_text(L))
            st.markdown(t("peta.panel_kelas", kelas=p.kelas_label))
            if marks is not None:
                mk = stunting.add_quality(classed.filter(classed["kode"] == sel).select("kode"), marks, "kecamatan")
                if mk.height and mk["mutu"][0]:
                    st.markdown(f"{t('ringkasan3.kol_mutu')}: {mk['mutu'][0]}")
                    st.caption(t("ringkasan3.mutu_catatan"))
            if p.peringkat is not None:
                st.markdown(t("peta.panel_peringkat", k=p.peringkat, n=p.dari))
            if p.selisih is not None:
                tgt = fmt_num(target, 1, L) + ind.unit
                st.markdown(t("peta.panel_selisih", target=tgt, selisih=fmt_num(p.selisih, 1, L)) if round(p.selisih, 1) > 0
                            else t("peta.panel_tercapai", target=tgt))
            st.markdown(f"**{t('peta.panel_faskes')}**")
            counts = coverage.faskes_counts(fk_all, sel)
            st.markdown("\n".join(f"- {t(f'faskes.{k}')}: {fmt_num(n, 0, L)}" for k, n in counts.items())
                        if counts else t("peta.panel_tanpa_faskes"))
            if routine is not None:
                st.markdown(f"**{t('peta.panel_tren')}**")
                fig = charts.area_trend(coverage.area_series(routine, sel), routine.series, L, name=p.nama)
                if fig is None:
                    st.caption(t("peta.panel_tren_sedikit"))
                else:
                    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})

    kec_opts = [""] + vals["kode"].to_list()
    sel = url_select(t("umum.pilih_kecamatan"), kec_opts, "kec",
                     format_func=lambda k: t("umum.semua_kecamatan") if not k else names.get(k, k))

    rank, kind = coverage.ranking(vals, ind.direction, target)
    rank_cols = coverage.ranking_columns(ind)
    if marks is not None:
        rank = stunting.add_quality(rank, marks, "kecamatan")
        rank_cols["mutu"] = "ringkasan3.kol_mutu"
    if kind == "selisih":
        ranked_table(rank, "peta.peringkat", "peta.peringkat_note", f"{ind_id}_kecamatan", "rank", columns=rank_cols)
    else:
        ranked_table(rank, "peta.peringkat_nilai", "peta.peringkat_nilai_note", f"{ind_id}_kecamatan", "rank",
                     columns=rank_cols)
    if marks is not None:
        st.caption(t("ringkasan3.mutu_catatan"))

    if sel and level == "kecamatan":
        st.subheader(t("peta.desa_di", kec=names.get(sel, sel)))
        dind, dclassed, legend, dtab = _desa_layer(sel)
        if dind.id != ind.id:
            st.caption(t("peta.desa_pustu_note"))
        st.plotly_chart(charts.choropleth(dind, dclassed, q("wilayah/batas_desa", kec=sel), L,
                                          faskes=coverage.faskes_in(fk, sel), height=460, labels=show_lab, legend=legend),
                        width="stretch")
        table_downloads(dtab, f"desa_{sel}", "desa", columns=stunting.DESA_LABELS)


peta()
