"""Ringkasan: the Bupati/Sekda screen — headline figures with target, status and source."""
import polars as pl
import streamlit as st

from ilp import charts, indicators, summary, targets
from ilp.i18n import fmt_num, fmt_periode
from ui import data
from ui.common import header, lang, q, source_note, t, table, url_select

L = lang()
kab, nama_kab = header("ringkasan.judul")
STATUS = {"hijau": ("#1a9850", "✓"), "kuning": ("#f9a825", "⚠"), "merah": ("#d73027", "✗"), "abu": ("#9e9e9e", "·")}

st.markdown("""<style>
.ilp-card{border-radius:10px;padding:14px 16px;margin-bottom:12px;background:#fafafa;border-left:10px solid #999;}
.ilp-card .lbl{font-size:1.05rem;color:#333;font-weight:600}
.ilp-card .val{font-size:2.6rem;font-weight:700;line-height:1.1}
.ilp-card .tgt{font-size:1rem;color:#333}
.ilp-card .src{font-size:.8rem;color:#666;margin-top:4px}
</style>""", unsafe_allow_html=True)

heads = summary.headlines(q, kab, L)
cols = st.columns(3)
for i, h in enumerate(heads):
    color, icon = STATUS[h["status"]]
    weak = ""
    if h.get("weakest"):
        weak = "<div class='tgt'>" + t("ringkasan.terlemah") + ": " + "; ".join(
            f"{n} {fmt_num(v, 0, L)}%" for n, v in h["weakest"]) + "</div>"
    with cols[i % 3]:
        st.markdown(
            f"<div class='ilp-card' style='border-left-color:{color}'><div class='lbl'>{icon} {h['label']}"
            f"{' (P)' if h['project'] else ''}</div><div class='val' style='color:{color}'>{h['text']}</div>"
            f"<div class='tgt'>{h['target_text']}</div>{weak}<div class='src'>{h['source']}</div></div>",
            unsafe_allow_html=True)
st.caption(t("ringkasan.legenda_status"))

c1, c2 = st.columns([3, 2])
with c1:
    reg = indicators.registry()
    choices = ["stunting_prevalensi", "desa_dengan_pustu", "pustu_lengkap", "puskesmas_ilp", "posyandu_ilp"]
    ind_id = url_select(t("ringkasan.peta_indikator"), choices, "ind", format_func=lambda i: reg[i].name(L))
    ind = reg[ind_id]
    rounds = data.rounds(kab)
    yrs = data.spm_years()
    params = dict(kab=kab, sumber_sasaran="PUSDATIN", periode=rounds[-1] if rounds else None,
                  tahun=int(yrs["tahun"][0]) if yrs.height else 0, bulan=12)
    vals = data.indicator_values(ind, **params)
    geo = q("wilayah/batas_kecamatan", kab=kab)
    st.plotly_chart(charts.choropleth(ind, charts.map_classes(ind, vals, L), geo, L, height=480), width="stretch")
    source_note(t("peta.sumber", query=ind.query, denom=ind.denominator_text(L),
                  periode=fmt_periode(params["periode"], L) if ind.period_kind == "ronde" else t("peta.snapshot", tahun="")))
with c2:
    st.subheader(t("ringkasan.prioritas"))
    pr = summary.priority_kecamatan(q, kab)
    if pr.height == 0:
        st.info(t("ringkasan.prioritas_kosong"))
    else:
        table(pr.select("peringkat", "nama", "prevalensi_pct", "desa_pustu_pct", "pustu_lengkap_pct", "spm_rata2_pct"))
    st.caption(t("ringkasan.aturan_prioritas"))

st.subheader(t("stunting.tren"))
ser = summary.stunting_series(q, kab)
path = data.target_path(kab)
tr = targets.trend(ser)
proj = targets.projection_line(tr, ser["periode"][-1]) if ser.height and tr.get("slope_per_year") is not None else None
surv = q("stunting/survei", kab=kab)
if ser.height == 0 and surv.filter(pl.col("tingkat") == "kabkota").height == 0:
    st.info(t("stunting.belum_ada"))
else:
    st.plotly_chart(charts.trend_figure(ser, surv, path, proj, L, height=380), width="stretch")
st.caption(t("stunting.beda_survei"))

from ui.brief import download_button  # noqa: E402
download_button(kab)
