"""Stunting: routine prevalence per kecamatan and desa, the target path, survey values beside it."""
import polars as pl
import streamlit as st

from ilp import charts, indicators, prevalence, targets
from ilp.i18n import fmt_num, fmt_pct, fmt_periode
from ui import data
from ui.common import SUMBER_SASARAN, downloads, header, lang, map_pick_kecamatan, q, source_note, t, table, url_select

L = lang()
kab, nama_kab = header("stunting.judul")
rounds = data.rounds(kab)
if not rounds:
    st.info(t("stunting.belum_ada"))
    st.stop()

c1, c2 = st.columns(2)
with c1:
    periode = url_select(t("stunting.ronde"), rounds[::-1], "periode", format_func=lambda p: fmt_periode(p, L))
with c2:
    sumber = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")

kabdf = data.stunting_kab(kab, sumber)
row = kabdf.filter(pl.col("periode") == periode).row(0, named=True)
path = data.target_path(kab)
year = int(periode[:4])
tgt = targets.target_for_year(path, year) if path.height else None
survey = q("stunting/survei", kab=kab)
surv_kab = survey.filter(pl.col("tingkat") == "kabkota").sort("tahun")

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("stunting.prevalensi_rutin"), fmt_pct(row["prevalensi_pct"], 1, L),
          help=t("stunting.help_rutin"))
m1.caption(f"IK95% {fmt_num(row['ci_bawah'], 1, L)}–{fmt_num(row['ci_atas'], 1, L)}% · "
           f"{fmt_num(row['stunting'], 0, L)} / {fmt_num(row['diukur'], 0, L)} {t('stunting.anak_diukur')}")
m2.metric(t("stunting.cakupan_ukur"), fmt_pct(row.get("cakupan_ukur_pct"), 1, L))
m2.caption(f"{fmt_num(row['diukur'], 0, L)} / {fmt_num(row.get('sasaran_balita'), 0, L)} {t('stunting.sasaran_balita')} ({sumber})")
if tgt:
    gap = (row["prevalensi_pct"] or 0) - tgt["nilai"]
    m3.metric(t("stunting.target_tahun", tahun=year), fmt_pct(tgt["nilai"], 1, L),
              delta=f"{fmt_num(gap, 1, L)} poin", delta_color="inverse")
    m3.caption(f"{tgt['dasar']}" + (f" · {t('stunting.target_interpolasi')}" if tgt["interpolasi"] else ""))
if surv_kab.height:
    last = surv_kab.row(-1, named=True)
    m4.metric(t("stunting.survei_terakhir", survei=last["survei"], tahun=last["tahun"]), fmt_pct(last["prevalensi"], 1, L))
    m4.caption(t("stunting.survei_caption"))
source_note(t("stunting.sumber_rutin", periode=fmt_periode(periode, L)))

# ------------------------------------------------------------------ map
st.subheader(t("stunting.peta"))
ind = indicators.get("stunting_prevalensi")
kec = data.stunting_kecamatan(kab, sumber).filter(pl.col("periode") == periode)
vals = indicators.compute(ind, kec)
classed = charts.map_classes(ind, vals, L)
geo = q("wilayah/batas_kecamatan", kab=kab)
kec_opts = [""] + kec["kode"].to_list()
names = dict(zip(kec["kode"].to_list(), kec["nama"].to_list()))
sel = st.query_params.get("kec", "")
map_pick_kecamatan(charts.choropleth(ind, classed, geo, L, selected=sel or None), "map_stunting", names)
sel = url_select(t("umum.pilih_kecamatan"), kec_opts, "kec",
                 format_func=lambda k: t("umum.semua_kecamatan") if not k else names.get(k, k))
source_note(t("stunting.legend_note"))

# ------------------------------------------------------------------ rankings
r1, r2 = st.columns(2)
rank = kec.select("kode", "nama", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "stabil", "cakupan_ukur_pct")
with r1:
    st.markdown(f"**{t('stunting.rank_prev')}**")
    st.plotly_chart(charts.ranking_bar(rank, "prevalensi_pct", "nama", L,
                                       target=tgt["nilai"] if tgt else None), width="stretch")
with r2:
    st.markdown(f"**{t('stunting.rank_jumlah')}**")
    st.plotly_chart(charts.ranking_bar(rank, "stunting", "nama", L, unit="", color="#6a1b9a", decimals=0),
                    width="stretch")
table(rank.sort("prevalensi_pct", descending=True, nulls_last=True))
if rank.filter(~pl.col("stabil")).height:
    st.caption(t("stunting.tidak_stabil"))
downloads(rank, f"stunting_kecamatan_{periode}", "rank_kec")

if sel:
    st.subheader(t("stunting.desa_di", kec=names.get(sel, sel)))
    desa = prevalence.suppress_small(data.stunting_desa(sel, sumber).filter(pl.col("periode") == periode))
    dvals = indicators.compute(ind, desa.with_columns(pl.col("stunting").fill_null(0)).with_columns(
        pl.when(pl.col("disembunyikan")).then(0).otherwise(pl.col("diukur")).alias("diukur")))
    dgeo = q("wilayah/batas_desa", kec=sel)
    st.plotly_chart(charts.choropleth(ind, charts.map_classes(ind, dvals, L), dgeo, L, height=460), width="stretch")
    dtab = desa.select("kode", "nama", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "cakupan_ukur_pct", "disembunyikan")
    table(dtab)
    st.caption(t("stunting.ditekan", n=prevalence.MIN_TAMPIL_DESA))
    downloads(dtab, f"stunting_desa_{sel}_{periode}", "desa")

with st.expander(t("stunting.per_puskesmas")):
    pk = prevalence.add_prevalence(q("stunting/prevalensi_puskesmas", kab=kab).filter(pl.col("periode") == periode),
                                   sasaran=None)
    pk = pk.select("kode_puskesmas", "puskesmas", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "stabil")
    table(pk.sort("prevalensi_pct", descending=True, nulls_last=True))
    downloads(pk, f"stunting_puskesmas_{periode}", "pk")

# ------------------------------------------------------------------ trend vs target
st.subheader(t("stunting.tren"))
tr = targets.trend(kabdf)
proj = targets.projection_line(tr, kabdf["periode"][-1]) if tr.get("slope_per_year") is not None else None
st.plotly_chart(charts.trend_figure(kabdf, survey, path, proj, L), width="stretch")
if tr.get("slope_per_year") is not None:
    msg = t("stunting.laju", laju=fmt_num(tr["slope_per_year"], 2, L), proj=fmt_num(tr["proj_value"], 1, L))
    msg += " " + (t("stunting.capai_tahun", tahun=tr["year_goal"]) if tr["year_goal"] else t("stunting.tidak_tercapai"))
    st.markdown(msg)
st.info(t("stunting.beda_survei"))

per_kec = []
for (kode, nm), g in data.stunting_kecamatan(kab, sumber).group_by(["kode", "nama"], maintain_order=True):
    g = g.sort("periode")
    trk = targets.trend(g)
    last = g.filter(pl.col("periode") == periode)
    v = last["prevalensi_pct"][0] if last.height else None
    per_kec.append({"kode": kode, "kecamatan": nm, "prevalensi_pct": v,
                    "target": tgt["nilai"] if tgt else None,
                    "selisih": (v - tgt["nilai"]) if (v is not None and tgt) else None,
                    "laju_per_tahun": trk.get("slope_per_year"),
                    "proyeksi_2029": trk.get("proj_value"), "tahun_capai_14_2": trk.get("year_goal")})
per_kec_df = pl.DataFrame(per_kec).sort("selisih", descending=True, nulls_last=True)
st.markdown(f"**{t('stunting.tabel_target')}**")
table(per_kec_df)
downloads(per_kec_df, f"stunting_target_kecamatan_{periode}", "target_kec")

# ------------------------------------------------------------------ lokus
st.subheader(t("stunting.lokus"))
st.markdown(t("stunting.aturan_lokus", n=prevalence.MIN_TAMPIL_DESA))
lok = data.lokus_desa(kab, periode)
table(lok.head(25).select("peringkat", "kode", "nama", "kecamatan", "diukur", "stunting",
                                 "prevalensi_pct", "ci_bawah", "ci_atas", "usulan_lokus"))
downloads(lok, f"desa_prioritas_{periode}", "lokus")

# ------------------------------------------------------------------ quality
with st.expander(t("stunting.kualitas")):
    kq = q("quality/kualitas_pengukuran", kab=kab)
    table(kq)
    st.caption(t("stunting.kualitas_note"))
    rek = q("stunting/rekap", kab=kab)
    if rek.height:
        st.markdown(f"**{t('stunting.rekap')}**")
        table(rek)
        bad = rek.filter(pl.col("flag_inkonsisten").is_not_null())
        if bad.height:
            st.warning(t("stunting.rekap_inkonsisten", n=bad.height))
