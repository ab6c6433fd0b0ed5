"""Fasilitas & ILP: inventory per kecamatan, desa without Pustu, Pustu staffing gaps, rollout by phase.
Layout only: totals, shares and the rollout chart come from ilp/coverage.py."""
import streamlit as st

from ilp import charts, coverage, indicators
from ilp.i18n import fmt_num, fmt_pct
from ui import data
from ui.common import downloads, header, lang, q, source_note, t, table
from ui.components import metric, table_downloads

L = lang()
kab, nama_kab = header("fasilitas.judul")
years = data.spm_years()
tahun = int(years["tahun"][0]) if years.height else 0
net = q("ilp/jaringan_kecamatan", kab=kab, tahun=tahun, sumber_sasaran="PUSDATIN")
tot = coverage.network_totals(net)


def _count(v):
    return None if v is None else fmt_num(v, 0, L)


def _share(s: coverage.Share, key: str):
    return (fmt_pct(s.pct, 1, L) if s.pct is not None else None,
            t(key, n=fmt_num(s.n, 0, L), total=fmt_num(s.of, 0, L)) if s.pct is not None else None)


m = st.columns(5)
metric(m[0], t("fasilitas.puskesmas"), _count(tot["puskesmas"]),
       t("fasilitas.ranap", n=fmt_num(tot["puskesmas_ranap"], 0, L)) if tot["puskesmas_ranap"] is not None else None,
       help=t("fasilitas.ranap_help"))
metric(m[1], t("fasilitas.desa_pustu"), *_share(tot["desa_pustu"], "fasilitas.dari_desa"))
metric(m[2], t("fasilitas.pustu_lengkap"), *_share(tot["pustu_lengkap"], "fasilitas.dari_pustu"))
metric(m[3], t("fasilitas.posyandu"), _count(tot["posyandu"]),
       t("fasilitas.kader", n=fmt_num(tot["kader"], 0, L)) if tot["kader"] is not None else None)
metric(m[4], t("fasilitas.puskesmas_ilp"), *_share(tot["puskesmas_ilp"], "fasilitas.dari_puskesmas"))
source_note(t("fasilitas.sumber"))

tab0, tab1, tab2, tab3, tab4 = st.tabs([t("fasilitas.tab_peta"), t("fasilitas.tab_inventaris"),
                                        t("fasilitas.tab_tanpa_pustu"), t("fasilitas.tab_tenaga"),
                                        t("fasilitas.tab_rollout")])
with tab0:
    # every desa of the district: has a Pustu or not (two classes), with every facility that has coordinates
    classed, dgeo, legend, _ = coverage.district_desa_pustu(q, kab, L)
    if dgeo.height == 0:
        st.info(t("fasilitas.peta_tanpa_batas"))
    else:
        st.plotly_chart(charts.choropleth(indicators.get("desa_dengan_pustu"), classed, dgeo, L,
                                          faskes=q("ilp/faskes_titik", kab=kab), legend=legend, height=640,
                                          faskes_kinds=charts.DISTRICT_FASKES + ("pustu",),
                                          title=t("fasilitas.peta_judul")), width="stretch")
        st.caption(t("fasilitas.peta_note"))
with tab1:
    show = coverage.inventory(net)
    table_downloads(show, "inventaris_kecamatan", "inv")
with tab2:
    if tot["desa_pustu"].pct is None:
        st.info(t("fasilitas.tanpa_pustu_data"))
    else:
        tp = q("ilp/desa_tanpa_pustu", kab=kab)
        st.markdown(t("fasilitas.n_tanpa_pustu", n=fmt_num(tp.height, 0, L)))
        table_downloads(tp, "desa_tanpa_pustu", "tp")
with tab3:
    pt = q("ilp/pustu_tenaga", kab=kab)
    if tot["pustu_lengkap"].pct is None:
        st.info(t("umum.tidak_ada_data"))
    else:
        kurang, total = coverage.pustu_gaps(pt)
        st.markdown(t("fasilitas.n_kurang", n=fmt_num(kurang.height, 0, L), total=fmt_num(total, 0, L)))
        table(kurang)
    downloads(pt, "pustu_tenaga", "pt")
    st.caption(t("fasilitas.standar_tenaga"))
with tab4:
    ro = q("ilp/rollout_puskesmas", kab=kab)
    started, belum = coverage.rollout_split(ro)
    fig = coverage.rollout_figure(started, L)
    if fig is not None:
        st.plotly_chart(fig, width="stretch")
    if belum.height:
        st.caption(t("fasilitas.belum_ilp", n=belum.height))
    table_downloads(ro, "rollout_ilp", "ro")
