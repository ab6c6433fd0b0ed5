"""Kelola Data: upload a file of any import kind, check it, then import the valid rows or cancel."""
import hashlib
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from ilp import config
from ilp.i18n import fmt_num
from ui import auth
from ui.common import bump_data_version, con, header, kab, lang, q, t, table

L = lang()
header("kelola.judul")

try:
    from ilp.ingest import runner
except ImportError:  # the import path is part of the install; this only guards a broken checkout
    runner = None

editor = auth.current_editor()
if not editor:
    if not auth.editors() and not auth.oidc_configured():
        st.info(t("kelola.tanpa_editor"))
        st.code("python -m ilp hash-password\n# .streamlit/secrets.toml\n[editors]\nnama = \"pbkdf2_sha256$...\"\n"
                "# atau / or: export ILP_EDITORS='nama=pbkdf2_sha256$...'", language="bash")
    else:
        st.info(t("kelola.perlu_login"))
    st.subheader(t("kelola.isi_db"))
    table(q("quality/jumlah_baris"))
    st.stop()

st.success(t("kelola.masuk_sebagai", nama=editor))
if runner is None:
    st.error(t("kelola.tidak_tersedia"))
    st.stop()

kinds = {k: v for k, v in runner.REGISTRY.items() if v is not None}
kind_name = st.selectbox(t("kelola.jenis"), list(kinds),
                         format_func=lambda k: f"{k} — {kinds[k].title_id if L == 'id' else kinds[k].title_en}")
kind = kinds[kind_name]
with st.expander(t("kelola.tata_letak")):
    st.table([{"kolom": c, "keterangan": d, "contoh": e} for c, d, e in kind.columns])
    st.download_button(t("kelola.unduh_template"), runner.template_xlsx(kind_name), file_name=f"template_{kind_name}.xlsx",
                       key="tpl")

options = {}
c1, c2 = st.columns(2)
sheet = c1.text_input(t("kelola.sheet"), "")
if sheet:
    options["sheet"] = sheet
if kind_name == "boundaries":
    options["level"] = c2.selectbox(t("kelola.level"), ["kecamatan", "desa"])
if kind_name == "wilayah":
    kab_txt = c2.text_input(t("kelola.kab"), "")
    if kab_txt:
        options["kab"] = [k.strip() for k in kab_txt.split(",") if k.strip()]

max_mb = int(config.get("max_upload_mb"))
up = st.file_uploader(t("kelola.unggah", mb=max_mb), type=[e.lstrip(".") for e in kind.extensions], key="up")
if up is not None:
    raw = up.getvalue()
    if len(raw) > max_mb * 1024 * 1024:
        st.error(t("kelola.terlalu_besar", mb=max_mb))
        st.stop()
    digest = hashlib.sha256(raw).hexdigest()
    tmpdir = Path(tempfile.gettempdir()) / "pantau-ilp-upload"
    tmpdir.mkdir(exist_ok=True)
    tmp = tmpdir / (digest[:16] + Path(up.name).suffix.lower()[:8])
    tmp.write_bytes(raw)
    parsed = runner.preview(con(), kind_name, tmp, up.name, options)
    st.markdown(t("kelola.hasil_periksa", dibaca=fmt_num(parsed.rows_read, 0, L), valid=fmt_num(parsed.rows_valid, 0, L),
                  ditolak=fmt_num(parsed.rejected_rows, 0, L)))
    for n in parsed.notes:
        st.caption(n)
    if parsed.problems:
        rep = runner.rejected_report(parsed.problems)
        st.error(t("kelola.ada_masalah", n=len(parsed.problems)))
        table(rep.head(500))
        st.download_button(t("kelola.unduh_laporan"), rep.write_csv().encode("utf-8-sig"),
                           file_name=f"ditolak_{Path(up.name).stem}.csv", key="rep")
    b1, b2 = st.columns(2)
    can_import = parsed.rows_valid > 0 and not parsed.fatal
    label = t("kelola.impor_valid") if parsed.problems else t("kelola.impor")
    if b1.button(label, type="primary", disabled=not can_import, key="go"):
        res = runner.run_import(con(), kind_name, tmp, up.name, editor, options,
                                accept_valid=bool(parsed.problems), parsed=parsed)
        bump_data_version()
        if res.status in ("berhasil", "sebagian"):
            st.success(t("kelola.selesai", n=fmt_num(res.rows_imported, 0, L), status=res.status))
        else:
            st.error(t("kelola.gagal"))
    if b2.button(t("kelola.batal"), key="cancel"):
        runner.cancel_log(con(), kind_name, tmp, up.name, editor, parsed)
        bump_data_version()
        st.info(t("kelola.dibatalkan"))

st.subheader(t("kelola.target_judul"))
st.caption(t("kelola.target_note"))
kab_kode, _ = kab()
tg = q("stunting/target", kab=kab_kode).filter(pl.col("tingkat") == "kabkota").select("tahun", "nilai", "dasar", "sumber")
edited = st.data_editor(tg, num_rows="dynamic", key="target_editor", width="stretch")
if st.button(t("kelola.target_simpan"), key="target_save"):
    rows = pl.DataFrame(edited).drop_nulls("tahun").with_columns(
        indikator=pl.lit("stunting_prevalensi"), tingkat=pl.lit("kabkota"), kode_wilayah=pl.lit(kab_kode))
    tmpdir = Path(tempfile.gettempdir()) / "pantau-ilp-upload"
    tmpdir.mkdir(exist_ok=True)
    f = tmpdir / f"target_{kab_kode}_{editor}.csv"
    rows.write_csv(f)
    # the same validated import path as an uploaded file (logged, one transaction)
    res = runner.run_import(con(), "target", f, f"target_{kab_kode}_editor.csv", editor)
    bump_data_version()
    if res.status == "berhasil":
        st.success(t("kelola.selesai", n=fmt_num(res.rows_imported, 0, L), status=res.status))
    else:
        st.error(t("kelola.gagal"))
        table(runner.rejected_report(res.problems))

st.subheader(t("kelola.log"))
table(q("quality/import_log"))
st.subheader(t("kelola.isi_db"))
table(q("quality/jumlah_baris"))
