"""Ringkasan: the Bupati/Sekda screen. Lays out ilp.content.build (the same model the briefing renders):
headline cards (status in words), the map of one headline indicator and the stunting trend side by side in the
first screen (the map's indicator chosen beside it, a part: changing it redraws the map only), then the kecamatan
most in need (ties kept, rule printed) and the methods. ?presentasi=1 hides the sidebar for a projector."""
import streamlit as st

from ilp import content, indicators, stunting
from ui.brief import download_button
from ui.cards import cards, methods, presentation
from ui.common import header, lang, q, source_note, t, table, url_select
from ui.components import part

L = lang()
kab, nama_kab = header("ringkasan.judul")
show = presentation()
reg = indicators.registry()
choices = indicators.headline_ids()
model = content.build(q, kab, L)   # cards, ranking, trend and the first indicator's map
cards(model.cards)
c1, c2 = st.columns(2)


@part
def headline_map() -> None:
    """The map of one headline indicator with its chooser beside it: changing it reruns this part only."""
    ind_id = url_select(t("ringkasan.peta_indikator"), choices, "ind", format_func=lambda i: reg[i].name(L))
    spec = model.map if ind_id == model.map.indicator.id else content.map_spec(q, kab, ind_id, L,
                                                                                  routine=model.routine)
    st.markdown(f"**{reg[ind_id].name(L)}**")
    fig = spec.figure(L, height=320, names=True)
    if fig is None:
        st.info(t("umum.tidak_ada_data"))
    else:
        st.plotly_chart(fig, width="stretch")
    source_note(spec.source)


with c1:
    headline_map()
with c2:
    st.markdown(f"**{t('stunting.tren')}**")
    tfig = model.trend.figure(L, height=320)
    if tfig is None:
        st.info(t("ringkasan2.tren_kosong"))
    else:
        st.plotly_chart(tfig, width="stretch")
    st.caption(" ".join(model.trend.text(L)))


@part
def priorities() -> None:
    """The kecamatan most in need with their quality marks: the marks' question is the slowest of the page, so a
    time limit there leaves the cards, map and trend above in place (and says so here)."""
    st.subheader(t("ringkasan.prioritas"))
    if model.ranking.height == 0:
        st.info(t("ringkasan.prioritas_kosong"))
    else:
        per = model.routine.latest
        marks = stunting.quality_marks(q, kab, per, L) if per else None
        table(content.priority_view(model.ranking, L, marks), columns=content.PRIORITY_LABELS)
        if marks is not None:
            st.caption(t("ringkasan3.mutu_catatan"))
        extra = content.priority_tie_note(model.ranking, L)
        if extra:
            st.caption(extra)


priorities()
st.caption(t("ringkasan3.kol_catatan") + " " + t("ringkasan3.aturan_prioritas", n=content.N_PRIORITY))
st.caption(t("ringkasan3.mengapa_rutin") + " " + t("stunting.beda_survei"))
methods()
if not show:
    download_button(kab)
