"""Mutu Data: the anthropometric data-quality checks (WHO/UNICEF 2019, SMART) per kab/kota, kecamatan, Puskesmas
and Posyandu and per weighing round, each with a verdict in words and its rule. Aggregates only (viewer-safe).
Lays out ilp.mutu.halaman only."""
import streamlit as st

from ilp.i18n import fmt_num, fmt_periode
from ilp.mutu import TINGKAT, halaman
from ilp.mutu.report import laporan, xlsx_on_click
from ui.common import downloads, header, lang, q, source_note, t, table, url_select

L = lang()
kab, nama_kab = header("mutu.judul")
st.caption(t("mutu.pengantar"))

h = halaman.load(q, kab)
if not h.periods:
    st.info(t("mutu.belum_ada"))
    st.stop()

c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    periode = url_select(t("mutu.ronde"), h.periods, "periode", format_func=lambda p: fmt_periode(p, L))
with c2:
    tingkat = url_select(t("mutu.tingkat"), list(TINGKAT), "tingkat",
                         format_func=lambda x: halaman.tingkat_label(x, L))
choices = halaman.units(h, tingkat, periode)
if not choices:
    st.info(t("mutu.unit_kosong"))
    st.stop()
names = dict(choices)
with c3:
    kode = url_select(t("mutu.unit"), [k for k, _ in choices], "unit", format_func=lambda k: f"{names[k]} ({k})")

# ---- units carrying a mark this round
st.subheader(t("mutu.bertanda", periode=fmt_periode(periode, L)))
marked = halaman.flagged(h, periode, L)
if marked.height:
    table(marked, {"tingkat": "mutu.kol.tingkat", "kode": "mutu.kol.kode", "nama": "mutu.kol.nama",
                   "n": "mutu.kol.n", "alasan": "mutu.kol.alasan"}, height=260)
    st.caption(t("mutu.bertanda_note"))
else:
    st.success(t("mutu.bertanda_kosong"))

# ---- the selected unit
r = halaman.row(h, tingkat, kode, periode)
st.subheader(t("mutu.hasil_cek", unit=names[kode], periode=fmt_periode(periode, L)))
cnt = halaman.counts(r)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("mutu.anak_diukur"), fmt_num(r["n"], 0, L))
m2.metric(t("mutu.status.masalah"), cnt["masalah"])
m3.metric(t("mutu.status.baik"), cnt["baik"])
m4.metric(t("mutu.status.kurang_data"), cnt["kurang_data"])
table(halaman.verdict_table(r, L), {"cek": "mutu.kol.cek", "nilai": "mutu.kol.nilai", "n": "mutu.kol.n_cek",
                                    "status_teks": "mutu.kol.status", "putusan": "mutu.kol.putusan"}, height=598)
with st.expander(t("mutu.kol.aturan"), expanded=False):
    st.markdown("\n".join(f"- **{names}**: {rule}" for names, rule in halaman.rules(L)))
source_note(t("mutu.sumber", periode=fmt_periode(periode, L), n=fmt_num(r["n"], 0, L),
              ganda=fmt_num(r["ganda"], 0, L)))

figs = halaman.figures(q, kab, tingkat, kode, periode, r, L)
g1, g2 = st.columns(2)
g1.plotly_chart(figs["digit_tinggi"], width="stretch")
g2.plotly_chart(figs["digit_berat"], width="stretch")
st.caption(t("mutu.grafik.digit_note"))
if figs["umur"] is not None:
    g3, g4 = st.columns(2)
    g3.plotly_chart(figs["umur"], width="stretch")
    g4.plotly_chart(figs["haz"], width="stretch")
    st.caption(t("mutu.grafik.umur_haz_note"))
else:
    st.caption(t("mutu.grafik.posyandu_note"))

# ---- measurement coverage per desa
st.subheader(t("mutu.cakupan"))
kec = r.get("kode_kec") if tingkat in ("kecamatan", "puskesmas", "posyandu") else None
cov = halaman.coverage(q, kab, periode, kec)
table(cov, {"nama_kec": "mutu.kol.kecamatan", "nama_desa": "mutu.kol.desa", "diukur": "mutu.kol.diukur",
            "sasaran": "mutu.kol.sasaran", "cakupan_pct": ("mutu.kol.cakupan", "pct"),
            "sumber_sasaran": "mutu.kol.sumber_sasaran"}, height=300)
source_note(t("mutu.cakupan_note", periode=fmt_periode(periode, L)))

# ---- recaps
st.subheader(t("mutu.rekap"))
rk = halaman.recap(q, kab, L)
if rk.height:
    table(rk, {"prevalensi_lapor": ("mutu.kol.prev_lapor", "num1"), "prevalensi_hitung": ("mutu.kol.prev_hitung", "num1"),
               "alasan": "mutu.kol.alasan"}, height=240)
else:
    st.caption(t("mutu.rekap_kosong"))
source_note(t("mutu.rekap_note"))

# ---- downloads: the report as CSV (summary) and Excel (a sheet per check, sources and rules)
st.subheader(t("mutu.unduh"))
downloads(laporan(h.tab), "mutu_data", "mutu_csv",
          about={t("mutu.ket_sumber"): t("mutu.sumber_umum"), t("mutu.ket_aturan"): t("mutu.ket_aturan_isi")})
st.download_button(t("mutu.unduh_lengkap"), xlsx_on_click(q, kab, L, h.tab), file_name=f"mutu_data_{kab}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="mutu_xlsx",
                   on_click="ignore")
