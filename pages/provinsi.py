"""Provinsi: the province office's view of its kab/kota (routine stunting of each kab/kota's latest complete round,
ranked with ties, the latest survey beside it, the kab/kota map) and a drill into one kab/kota's kecamatan with
links to the district pages. Lays out ilp.provinsi only."""
import streamlit as st

from ilp import charts, fmt, indicators, provinsi
from ilp.i18n import fmt_num, fmt_pct, fmt_periode
from ilp.i18n import t as tr
from ui.common import (data_per, downloads, ensure_router, fmt_data_per, lang, meta, q, source_note, t, table,
                       url_select)
from ui import data
from ui.components import part
from ui.maps import map_pick

ensure_router()
L = lang()
m = meta()
info = q("wilayah/info_kab")
prov = provinsi.province_of(info["kode"].to_list())
st.title(t("provinsi.judul"))
if prov is None:
    st.info(t("provinsi.bukan_provinsi"))
    st.stop()
nama_prov = provinsi.province_name(q, prov, m, L)
df, rts = data.province(prov, L)
kodes = df.sort("kode")["kode"].to_list()
names = dict(zip(df["kode"].to_list(), df["nama"].to_list()))

h1, h2 = st.columns([3, 2])
h1.markdown(f"**{fmt.md(nama_prov)}** · `{prov}` · {t('provinsi.n_kabkota', n=len(kodes))}")
per = data_per(m, kodes[0]) if kodes else None
if per:
    h2.markdown(f"{t('umum.data_per')}: **{fmt_data_per(per)}**")
if m.get("is_demo") == "1":
    st.warning(t("umum.banner_demo"), icon=":material/science:")

# ------------------------------------------------------------------ headline: the province's routine series
ser = provinsi.series(rts, kodes)
done = provinsi.complete(ser)
ranked = provinsi.ranked(df)
rper = provinsi.ranking_period(df)
c1, c2, c3 = st.columns(3)
if done.height:
    last = done.row(-1, named=True)
    c1.metric(t("provinsi.prevalensi_prov", periode=fmt_periode(last["periode"], L)),
              fmt_pct(last["prevalensi_pct"], 1, L), help=t("provinsi.help_prov"))
    c1.caption(t("provinsi.prov_caption", lo=fmt_num(last["ci_bawah"], 1, L), hi=fmt_num(last["ci_atas"], 1, L),
                 k=fmt_num(last["stunting"], 0, L), n=fmt_num(last["diukur"], 0, L), n_kab=last["n_kab"]))
else:
    c1.metric(t("provinsi.prevalensi_prov_kosong"), "–")
    c1.caption(t("provinsi.prov_belum_lengkap", n_kab=len(kodes)))
c2.metric(t("provinsi.n_diperingkat", ronde=fmt_periode(rper, L) if rper else "–"),
          f"{ranked.height} / {df.height}")
if ranked.height:
    top = provinsi.highest(df)
    c3.metric(t("provinsi.tertinggi"), fmt_pct(top["prevalensi_pct"][0], 1, L))
    c3.caption(", ".join(fmt.md(n) for n in top["nama"].to_list()))
st.caption(t("ringkasan3.mengapa_rutin"))

# ------------------------------------------------------------------ kab/kota map and ranking
ind = indicators.get(provinsi.INDICATOR)


@part
def kabkota_map() -> None:
    """The kab/kota map, the kab/kota choice and the drill into the chosen one (beside the map): a click or a choice
    reruns this part only (the ranking, table and series below do not depend on it)."""
    st.subheader(t("provinsi.peta_kabkota"))
    kab_sel = url_select(t("provinsi.pilih_kabkota"), [""] + kodes, "kab",
                         format_func=lambda k: tr("provinsi.semua_kabkota", L) if not k else f"{names.get(k, k)} ({k})")
    geo = provinsi.kabkota_geo(q("provinsi/batas_kecamatan", prov=prov), names)
    classed = charts.map_classes(ind, provinsi.map_values(df), L)
    map_col, kec_col = st.columns(2) if kab_sel else (st.container(), None)
    with map_col:
        if geo.height:
            map_pick(charts.choropleth(ind, classed, geo, L, selected=kab_sel or None, labels=True,
                                       height=provinsi.map_height(geo, 450 if kab_sel else 900)),
                     "map_provinsi", names, param="kab")
            st.caption(t("provinsi.klik_peta"))
        else:
            st.info(t("provinsi.tanpa_batas"))
        source_note(provinsi.source_text(df, L))

    # ------------------------------------------------------------------ drill into one kab/kota (beside the map)
    if kab_sel:
        r = rts[kab_sel]
        with kec_col:
            st.subheader(t("provinsi.kecamatan_di", kab=fmt.md(names.get(kab_sel, kab_sel))))
            if r.latest is None:
                st.info(t("provinsi.kab_tanpa_ronde"))
            else:
                kec_classed = charts.map_classes(ind, provinsi.kecamatan_values(r), L)
                st.plotly_chart(charts.choropleth(ind, kec_classed, q("wilayah/batas_kecamatan", kab=kab_sel), L,
                                                  labels=True, height=520), width="stretch", key="map_kec")
                source_note(r.source_text(L))
            st.markdown(f"**{t('provinsi.buka_halaman')}**")
            for page, key, icon in (("pages/ringkasan.py", "nav.ringkasan", ":material/dashboard:"),
                                    ("pages/stunting.py", "nav.stunting", ":material/straighten:"),
                                    ("pages/peta.py", "nav.peta", ":material/map:"),
                                    ("pages/fasilitas.py", "nav.fasilitas", ":material/local_hospital:"),
                                    ("pages/spm.py", "nav.spm", ":material/fact_check:")):
                st.page_link(page, label=t(key), icon=icon, query_params={"kab": kab_sel, "lang": L})


kabkota_map()

st.markdown(f"**{t('provinsi.rank_judul', ronde=fmt_periode(rper, L) if rper else '–')}**")
if ranked.height:
    st.plotly_chart(charts.ranking_bar(ranked, "prevalensi_pct", "nama", L), width="stretch")
st.markdown(f"**{t('provinsi.tabel_judul')}**")
tab = provinsi.table(df, L)
table(tab, columns=provinsi.TABLE_LABELS)
st.caption(t("provinsi.aturan") + " " + t("provinsi.survei_terpisah"))
downloads(tab, f"stunting_kabkota_{prov}", "kabkota", columns=provinsi.TABLE_LABELS,
          about={t("provinsi.ket_sumber"): provinsi.source_text(df, L)}, period=rper)

# ------------------------------------------------------------------ province series
st.subheader(t("provinsi.tren_judul"))
fig = charts.area_trend(done, lang=L, name=nama_prov, height=280) if done.height else None
if fig is not None:
    st.plotly_chart(fig, width="stretch")
elif ser.height:
    st.info(t("provinsi.tren_kurang"))
if ser.height:
    table(provinsi.series_table(ser, L), columns=provinsi.SERIES_LABELS)
st.caption(t("provinsi.tren_aturan"))
