"""Fasilitas & ILP: inventory per kecamatan, desa without Pustu, Pustu staffing gaps, rollout by phase."""
import plotly.express as px
import polars as pl
import streamlit as st

from ilp.i18n import fmt_date, fmt_num, fmt_pct
from ui import data
from ui.common import SUMBER_SASARAN, downloads, header, lang, q, source_note, t, table

L = lang()
kab, nama_kab = header("fasilitas.judul")
years = data.spm_years()
tahun = int(years["tahun"][0]) if years.height else 0
net = q("ilp/jaringan_kecamatan", kab=kab, tahun=tahun, sumber_sasaran="PUSDATIN")
tot = net.select(pl.all().exclude("kode", "nama").sum()).row(0, named=True)

m = st.columns(5)
m[0].metric(t("fasilitas.puskesmas"), fmt_num(tot["n_puskesmas"], 0, L),
            help=t("fasilitas.ranap_help"))
m[0].caption(t("fasilitas.ranap", n=fmt_num(tot["n_puskesmas_ranap"], 0, L)))
m[1].metric(t("fasilitas.desa_pustu"), fmt_pct(100 * tot["desa_dengan_pustu"] / max(tot["n_desa"], 1), 1, L))
m[1].caption(f"{fmt_num(tot['desa_dengan_pustu'], 0, L)} / {fmt_num(tot['n_desa'], 0, L)} desa/kel · (P)")
m[2].metric(t("fasilitas.pustu_lengkap"), fmt_pct(100 * tot["pustu_lengkap"] / max(tot["n_pustu"], 1), 1, L))
m[2].caption(f"{fmt_num(tot['pustu_lengkap'], 0, L)} / {fmt_num(tot['n_pustu'], 0, L)} Pustu · (P)")
m[3].metric(t("fasilitas.posyandu"), fmt_num(tot["n_posyandu"], 0, L))
m[3].caption(t("fasilitas.kader", n=fmt_num(tot["n_kader"], 0, L)))
m[4].metric(t("fasilitas.puskesmas_ilp"), fmt_pct(100 * tot["puskesmas_ilp"] / max(tot["n_puskesmas"], 1), 1, L))
m[4].caption(f"{fmt_num(tot['puskesmas_ilp'], 0, L)} / {fmt_num(tot['n_puskesmas'], 0, L)} · (P)")
source_note(t("fasilitas.sumber"))

tab1, tab2, tab3, tab4 = st.tabs([t("fasilitas.tab_inventaris"), t("fasilitas.tab_tanpa_pustu"),
                                  t("fasilitas.tab_tenaga"), t("fasilitas.tab_rollout")])
with tab1:
    show = net.with_columns(
        desa_pustu_pct=100 * pl.col("desa_dengan_pustu") / pl.col("n_desa"),
        pustu_lengkap_pct=100 * pl.col("pustu_lengkap") / pl.col("n_pustu"),
        posyandu_per_desa=pl.col("n_posyandu") / pl.col("n_desa"),
        kader_per_posyandu=pl.col("n_kader") / pl.col("posyandu_ada_data_kader"),
    )
    table(show)
    downloads(show, "inventaris_kecamatan", "inv")
with tab2:
    tp = q("ilp/desa_tanpa_pustu", kab=kab)
    st.markdown(t("fasilitas.n_tanpa_pustu", n=fmt_num(tp.height, 0, L)))
    table(tp)
    downloads(tp, "desa_tanpa_pustu", "tp")
with tab3:
    pt = q("ilp/pustu_tenaga", kab=kab)
    kurang = pt.filter(~pl.col("lengkap"))
    st.markdown(t("fasilitas.n_kurang", n=fmt_num(kurang.height, 0, L), total=fmt_num(pt.height, 0, L)))
    table(kurang)
    downloads(pt, "pustu_tenaga", "pt")
    st.caption(t("fasilitas.standar_tenaga"))
with tab4:
    ro = q("ilp/rollout_puskesmas", kab=kab)
    started = ro.filter(pl.col("mulai").is_not_null())
    if started.height:
        tl = started.with_columns(tahap_label=pl.format("{} {}", pl.lit(t("fasilitas.tahap")), pl.col("tahap")))
        fig = px.scatter(tl.to_pandas(), x="mulai", y="nama", color="tahap_label",
                         labels={"mulai": t("fasilitas.mulai"), "nama": "", "tahap_label": t("fasilitas.tahap")},
                         height=max(320, 22 * tl.height + 80))
        fig.update_traces(marker=dict(size=12, symbol="diamond"))
        st.plotly_chart(fig, width="stretch")
    table(ro)
    belum = ro.filter(pl.col("mulai").is_null())
    if belum.height:
        st.caption(t("fasilitas.belum_ilp", n=belum.height))
    downloads(ro, "rollout_ilp", "ro")
