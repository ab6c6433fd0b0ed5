"""SPM: Puskesmas x service achievement against 100% (not clipped) and the trend per service. Layout only:
figures and rules come from ilp/spm.py (and ilp/capaian.py); formats from ilp/fmt.py."""
import streamlit as st

from ilp import fmt, spm
from ui import data
from ui.common import (SUMBER_SASARAN, downloads, header, lang, q, source_note, t, url_multiselect, url_select)

L = lang()
kab, nama_kab = header("spm.judul")
years = data.spm_years()
if years.height == 0:
    st.info(t("spm.belum_ada"))
    st.stop()
c1, c2, c3 = st.columns(3)
with c1:
    tahun = int(url_select(t("umum.tahun"), years["tahun"].to_list(), "tahun", format_func=fmt.year))
last_month = data.spm_last_month(years, tahun)
with c2:
    bulan = int(url_select(t("spm.sd_bulan"), list(range(1, last_month + 1))[::-1], "bulan",
                           format_func=lambda b: fmt.month_year(tahun, b, L)))
with c3:
    sumber = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")

periode = fmt.month_year(tahun, bulan, L)
cap = q("spm/capaian_puskesmas", kab=kab, tahun=tahun, bulan=bulan, sumber_sasaran=sumber)
per_service = spm.services(cap)
head = spm.headline(per_service, L)
m1, m2 = st.columns(2)
m1.metric(t("spm.rata2"), fmt.pct(head["rata2_pct"], 1, L, missing=fmt.no_data(L)), help=t("metode.spm.rata2_dibatasi"))
m2.markdown(f"**{t('spm.terlemah')}**  \n" + ("  \n".join(f"{fmt.md(n)}: {fmt.pct(v, 1, L)}" for n, v in head["terlemah"])
                                              or fmt.no_data(L)))
source_note(t("spm.sumber", bulan=periode, sumber=sumber))
if spm.no_sasaran(cap):
    st.warning(t("spm.tanpa_sasaran", sumber=sumber))

st.subheader(t("spm.matriks"))
st.plotly_chart(spm.heatmap(cap, L), width="stretch")
st.caption(t("spm.legenda_layanan") + " " + fmt.md(spm.legend_text(per_service, L)))
st.caption(t("spm.di_atas_100"))
downloads(cap, "spm_capaian", "cap", period=f"{tahun}-{bulan:02d}",
          about={t("umum.ket_kabkota"): f"{nama_kab} ({kab})",
                 t("umum.ket_sumber"): t("spm.sumber", bulan=periode, sumber=sumber),
                 t("umum.ket_periode"): periode, t("umum.ket_penyebut"): sumber})



@st.fragment
def trend() -> None:
    """Choosing services reruns only this part of the page."""
    st.subheader(t("spm.tren"))
    options = spm.service_options(per_service)
    chosen = url_multiselect(t("spm.pilih_layanan"), options, "layanan", default=options[:4],
                             format_func=spm.service_label(per_service, L))
    fig = spm.trend_figure(q("spm/capaian_kab_bulanan", kab=kab, sumber_sasaran=sumber), chosen, L)
    if fig is not None:
        st.plotly_chart(fig, width="stretch")
        st.caption(t("spm.tren_note"))


trend()
