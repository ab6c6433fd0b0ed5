"""SPM: Puskesmas x service achievement against 100% (not clipped) and the trend per service."""
import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ilp.i18n import fmt_num, fmt_periode
from ui import data
from ui.common import SUMBER_SASARAN, downloads, header, lang, q, source_note, t, url_select

L = lang()
kab, nama_kab = header("spm.judul")
years = data.spm_years()
if years.height == 0:
    st.info(t("spm.belum_ada"))
    st.stop()
c1, c2, c3 = st.columns(3)
with c1:
    tahun = int(url_select(t("umum.tahun"), years["tahun"].to_list(), "tahun"))
last_month = int(years.filter(pl.col("tahun") == tahun)["bulan_terakhir"][0])
with c2:
    bulan = int(url_select(t("spm.sd_bulan"), list(range(1, last_month + 1))[::-1], "bulan",
                           format_func=lambda b: fmt_periode(f"{tahun}-{b:02d}", L)))
with c3:
    sumber = url_select(t("umum.sumber_sasaran"), list(SUMBER_SASARAN), "sasaran")

cap = q("spm/capaian_puskesmas", kab=kab, tahun=tahun, bulan=bulan, sumber_sasaran=sumber)
name_col = "nama_id" if L == "id" else "nama_en"
kabcap = cap.group_by("no", name_col).agg(pl.col("pembilang").sum(), pl.col("sasaran").sum()).with_columns(
    capaian_pct=100 * pl.col("pembilang") / pl.col("sasaran")).sort("no")
avg = kabcap["capaian_pct"].mean()
m1, m2 = st.columns(2)
m1.metric(t("spm.rata2"), f"{fmt_num(avg, 1, L)}%")
weak = kabcap.drop_nulls("capaian_pct").sort("capaian_pct").head(3)
m2.markdown(f"**{t('spm.terlemah')}**  \n" + "  \n".join(
    f"{r[name_col]}: {fmt_num(r['capaian_pct'], 1, L)}%" for r in weak.iter_rows(named=True)))
source_note(t("spm.sumber", bulan=fmt_periode(f"{tahun}-{bulan:02d}", L), sumber=sumber))
if cap["sasaran"].null_count() == cap.height:
    st.warning(t("spm.tanpa_sasaran", sumber=sumber))

st.subheader(t("spm.matriks"))
mat = cap.with_columns(layanan_label=pl.format("{}", pl.col("no"))).pivot(
    on="no", index=["puskesmas", "kecamatan"], values="capaian_pct", aggregate_function="first")
z = mat.select(pl.exclude("puskesmas", "kecamatan")).to_numpy()
svc_names = kabcap[name_col].to_list()
text = [[("–" if v != v or v is None else fmt_num(v, 0, L)) for v in row] for row in z.tolist()]
fig = go.Figure(go.Heatmap(
    z=z, x=[f"{i}" for i in range(1, z.shape[1] + 1)], y=mat["puskesmas"].to_list(), text=text,
    texttemplate="%{text}", zmin=0, zmax=120,
    colorscale=[[0, "#d73027"], [0.5, "#fc8d59"], [0.6667, "#fee08b"], [0.8333, "#1a9850"], [1, "#00441b"]],
    colorbar=dict(title="%", tickvals=[0, 60, 80, 100, 120], ticktext=["0", "60", "80", "100", "≥120"]),
    hovertemplate="%{y} · SPM %{x}: %{text}%<extra></extra>"))
fig.update_layout(height=max(400, 22 * mat.height + 100), margin=dict(l=10, r=10, t=10, b=10),
                  xaxis=dict(title=t("spm.layanan_no"), side="top", dtick=1), yaxis=dict(autorange="reversed"))
st.plotly_chart(fig, width="stretch")
st.caption(t("spm.legenda_layanan") + " " + " · ".join(f"{i}. {n}" for i, n in enumerate(svc_names, 1)))
st.caption(t("spm.di_atas_100"))
downloads(cap, f"spm_capaian_{tahun}_{bulan:02d}", "cap")

st.subheader(t("spm.tren"))
tr = q("spm/capaian_kab_bulanan", kab=kab, sumber_sasaran=sumber)
svc = st.multiselect(t("spm.pilih_layanan"), kabcap[name_col].to_list(), default=kabcap[name_col].to_list()[:4])
trf = tr.filter(pl.col(name_col).is_in(svc))
if trf.height:
    # cumulative within a year: one line per service and year (no line from December down to January)
    f2 = px.line(trf.to_pandas(), x="tanggal", y="capaian_pct", color=name_col, line_group="tahun", markers=True,
                 labels={"tanggal": "", "capaian_pct": t("spm.capaian_kum"), name_col: ""}, height=420)
    f2.add_hline(y=100, line_dash="dash", line_color="#c62828", annotation_text=t("spm.target100"))
    f2.update_layout(legend=dict(orientation="h", y=-0.2))
    st.plotly_chart(f2, width="stretch")
    st.caption(t("spm.tren_note"))
