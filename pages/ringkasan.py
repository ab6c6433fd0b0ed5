"""Ringkasan: the Bupati/Sekda screen. Lays out ilp.content.build (the same model the briefing renders):
headline cards, the map of one headline indicator, the kecamatan most in need, the stunting trend."""
import streamlit as st

from ilp import content, indicators
from ui.brief import download_button
from ui.cards import cards
from ui.common import header, lang, q, source_note, t, table, url_select

L = lang()
kab, nama_kab = header("ringkasan.judul")
reg = indicators.registry()
choices = indicators.headline_ids()
top = st.container()  # the cards go above the map, but the map's indicator is chosen first
c1, c2 = st.columns([3, 2])
with c1:
    ind_id = url_select(t("ringkasan.peta_indikator"), choices, "ind", format_func=lambda i: reg[i].name(L))
    model = content.build(q, kab, L, map_indicator=ind_id)
    with top:
        cards(model.cards)
    fig = model.map.figure(L, height=480)
    if fig is None:
        st.info(t("umum.tidak_ada_data"))
    else:
        st.plotly_chart(fig, width="stretch")
    source_note(model.map.source)
with c2:
    st.subheader(t("ringkasan.prioritas"))
    if model.ranking.height == 0:
        st.info(t("ringkasan.prioritas_kosong"))
    else:
        table(model.ranking.select("peringkat", "nama", "prevalensi_pct", "desa_pustu_pct", "pustu_lengkap_pct",
                                   "spm_rata2_pct"))
    st.caption(t("ringkasan.aturan_prioritas"))

st.subheader(t("stunting.tren"))
tfig = model.trend.figure(L, height=380)
if tfig is None:
    st.info(t("ringkasan2.tren_kosong"))
else:
    st.plotly_chart(tfig, width="stretch")
st.caption(t("stunting.beda_survei"))

download_button(kab)
