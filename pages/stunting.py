"""Stunting: routine prevalence per kecamatan and desa (e-PPGBM, else the district's recap), the target
path, survey values and the recap cross-check beside it. Lays out ilp.stunting and ilp.content only."""
import streamlit as st

from ilp import charts, content, indicators, prevalence, stunting
from ilp.i18n import fmt_num, fmt_pct, fmt_periode
from ui.cards import methods
from ui.common import SUMBER_SASARAN, downloads, header, lang, q, source_note, t, table, url_select
from ui.components import part
from ui.maps import map_pick

L = lang()
kab, nama_kab = header("stunting.judul")

c1, c2 = st.columns(2)
with c2:
    sumber = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")
r = stunting.routine(q, kab, sumber)
if r.source is None:
    st.info(t("stunting2.belum_ada"))
    st.stop()
periods = r.series["periode"].to_list()[::-1]
provisional = set(r.provisional["periode"].to_list())
with c1:
    periode = url_select(t("stunting.ronde"), periods, "periode", default=r.latest,
                         format_func=lambda p: t("stunting2.ronde_sementara_label", periode=fmt_periode(p, L))
                         if p in provisional else fmt_periode(p, L))
row = r.row(periode)
tgt = stunting.target_for(q, kab, periode)
survey, surv_last = stunting.survey_latest(q, kab)

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("stunting.prevalensi_rutin"), fmt_pct(row["prevalensi_pct"], 1, L), help=t("stunting.help_rutin"))
m1.caption(t("stunting3.rentang_caption", bawah=fmt_num(row["ci_bawah"], 1, L), atas=fmt_num(row["ci_atas"], 1, L),
             k=fmt_num(row["stunting"], 0, L), n=fmt_num(row["diukur"], 0, L)))
m2.metric(t("stunting.cakupan_ukur"), fmt_pct(row.get("cakupan_ukur_pct"), 1, L))
m2.caption(f"{fmt_num(row['diukur'], 0, L)} / {fmt_num(row.get('sasaran_balita'), 0, L)} "
           f"{t('stunting.sasaran_balita')} ({sumber})")
judged = stunting.judgement(q, kab, r)
# routine figures are compared only with the district's ROUTINE target, never with a (survey) national one
routine_tgt = judged["target_row"]["nilai"] if judged["target_row"] else None
m3.markdown(f"{t('ringkasan3.penilaian_rutin')}\n\n**{t(judged['status_key'])}**")
m3.caption(t(judged["kalimat"]) + (f" {t('ringkasan3.target_rutin', tahun=periode[:4], nilai=fmt_pct(judged['target_row']['nilai'], 1, L))}"
                                   if judged["target_row"] else ""))
if surv_last:
    m4.metric(t("stunting.survei_terakhir", survei=surv_last["survei"], tahun=surv_last["tahun"]),
              fmt_pct(surv_last["prevalensi"], 1, L))
    m4.caption(t("stunting.survei_caption") + (f" {t('ringkasan3.target_survei', tahun=periode[:4], nilai=fmt_pct(tgt['nilai'], 1, L), dasar=tgt['dasar'])}"
                                               if tgt else ""))
st.caption(t("ringkasan3.mengapa_rutin"))
methods()
source_note(r.source_text(L, periode))
if provisional:
    st.warning(t("stunting2.sementara_judul") + ": " + "; ".join(r.provisional_text(L)))
if r.crosscheck is not None and r.crosscheck.row() is not None:
    x = r.crosscheck
    xr = x.row()
    st.info(t("stunting2.cek_silang_nilai", label=x.label(L), periode=fmt_periode(xr["periode"], L),
              nilai=fmt_pct(xr["prevalensi_pct"], 1, L), k=fmt_num(xr["stunting"], 0, L),
              n=fmt_num(xr["diukur"], 0, L)))
if r.source == stunting.REKAP:
    st.caption(t("stunting2.rekap_catatan"))

# ------------------------------------------------------------------ map, kecamatan choice and its desa (one part)
ind = indicators.get("stunting_prevalensi")
rank = stunting.ranking(r, periode)
names = dict(zip(rank["kode"].to_list(), rank["nama"].to_list()))


@part
def kecamatan_map() -> None:
    """The kecamatan map, the kecamatan choice and the chosen kecamatan's desa: a click or a choice reruns this
    part only."""
    st.subheader(t("stunting.peta"))
    classed = charts.map_classes(ind, indicators.values(q, ind, routine=r, kab=kab, periode=periode,
                                                        sumber_sasaran=sumber), L)
    geo = q("wilayah/batas_kecamatan", kab=kab)
    sel = st.query_params.get("kec", "")
    map_pick(charts.choropleth(ind, classed, geo, L, selected=sel or None, labels=True), "map_stunting", names)
    sel = url_select(t("umum.pilih_kecamatan"), [""] + sorted(names), "kec",
                     format_func=lambda k: t("umum.semua_kecamatan") if not k else names.get(k, k))
    source_note(t("stunting.legend_note"))
    if sel and r.source == stunting.EPPGBM:
        st.subheader(t("stunting.desa_di", kec=names.get(sel, sel)))
        desa = stunting.desa(q, sel, periode, sumber)
        dgeo = q("wilayah/batas_desa", kec=sel)
        st.plotly_chart(charts.choropleth(ind, charts.map_classes(ind, stunting.desa_map_values(desa), L), dgeo,
                                          L, height=460), width="stretch")
        dtab = stunting.desa_table(desa, L)
        table(dtab, columns=stunting.DESA_LABELS)
        st.caption(t("stunting.ditekan", n=prevalence.MIN_TAMPIL_DESA) + " " + t("metode.kecil.eb_nama") + ".")
        downloads(dtab, f"stunting_desa_{sel}_{periode}", "desa", columns=stunting.DESA_LABELS)
    elif sel:
        st.info(t("stunting2.tanpa_desa", label=r.label(L)))


kecamatan_map()

# ------------------------------------------------------------------ rankings
@part
def rankings() -> None:
    """The kecamatan rankings and table with their quality marks (the slowest question of the page: a time
    limit there leaves the rest of the page in place)."""
    marks = stunting.quality_marks(q, kab, periode, L)
    r1, r2 = st.columns(2)
    with r1:
        st.markdown(f"**{t('stunting.rank_prev')}**")
        st.plotly_chart(charts.ranking_bar(rank, "prevalensi_pct", "nama", L, target=routine_tgt),
                        width="stretch")
    with r2:
        st.markdown(f"**{t('stunting.rank_jumlah')}**")
        st.plotly_chart(charts.ranking_bar(rank, "stunting", "nama", L, unit="", color="#6a1b9a", decimals=0),
                        width="stretch")
    table(stunting.add_quality(rank, marks, "kecamatan"), columns={"mutu": "ringkasan3.kol_mutu"})
    st.caption(t("ringkasan3.mutu_catatan"))
    if stunting.has_unstable(rank):
        st.caption(t("stunting.tidak_stabil"))
    downloads(rank, f"stunting_kecamatan_{periode}", "rank_kec")


rankings()


@part
def per_puskesmas() -> None:
    """Per Puskesmas, in an expander whose questions run only once it is opened."""
    box = st.expander(t("stunting.per_puskesmas"), key="buka_puskesmas", on_change="rerun")
    if not box.open:
        return
    with box:
        marks = stunting.quality_marks(q, kab, periode, L)
        if r.source == stunting.EPPGBM:
            pk = stunting.add_quality(stunting.puskesmas(q, kab, periode), marks, "puskesmas",
                                      key="kode_puskesmas")
        else:
            pk, _ = stunting.recap_rows(q, kab, periode)
            pk = stunting.add_quality(pk, marks, "puskesmas", key="kode_unit")
        table(pk, columns=stunting.RECAP_LABELS)
        st.caption(t("ringkasan3.mutu_catatan"))
        downloads(pk, f"stunting_puskesmas_{periode}", "pk")


per_puskesmas()

# ------------------------------------------------------------------ trend vs target
st.subheader(t("stunting.tren"))
trend = content.trend_spec(q, kab, r)
fig = trend.figure(L, height=420)
if fig is not None:
    st.plotly_chart(fig, width="stretch")
st.markdown(" ".join(trend.text(L)))
st.info(t("stunting.beda_survei"))

per_kec = stunting.kecamatan_targets(r, periode, routine_tgt, L)
if routine_tgt is None:  # no routine target set: no target or gap column (a survey target is not for routine data)
    per_kec = per_kec.drop("target", "selisih")
st.markdown(f"**{t('stunting.tabel_target' if routine_tgt is not None else 'stunting3.tabel_laju')}**")
table(per_kec, columns=stunting.TARGET_LABELS)
downloads(per_kec, f"stunting_target_kecamatan_{periode}", "target_kec", columns=stunting.TARGET_LABELS)

# ------------------------------------------------------------------ lokus
if r.source == stunting.EPPGBM:
    st.subheader(t("stunting.lokus"))
    st.markdown(t("ringkasan3.aturan_lokus", n=prevalence.MIN_TAMPIL_DESA, top=10))
    lok = stunting.lokus_desa(q, kab, periode, lang=L)
    table(stunting.lokus_table(lok, 25), columns=stunting.DESA_LABELS)
    downloads(stunting.lokus_table(lok), f"desa_prioritas_{periode}", "lokus", columns=stunting.DESA_LABELS)

# ------------------------------------------------------------------ quality
@part
def measurement_quality() -> None:
    """Measurement quality and the recap, in an expander whose questions run only once it is opened."""
    box = st.expander(t("stunting.kualitas"), key="buka_kualitas", on_change="rerun")
    if not box.open:
        return
    with box:
        table(q("quality/kualitas_pengukuran", kab=kab))
        st.caption(t("stunting.kualitas_note"))
        rek, n_bad = stunting.recap_rows(q, kab)
        if rek.height:
            st.markdown(f"**{t('stunting.rekap')}**")
            table(rek, columns=stunting.RECAP_LABELS)
            if n_bad:
                st.warning(t("stunting.rekap_inkonsisten", n=n_bad))


measurement_quality()
