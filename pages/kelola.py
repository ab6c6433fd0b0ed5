"""Kelola Data: templates and layouts for everyone, the new-district checklist, and (editors only)
upload -> check -> import valid rows or cancel, then the data tests; the district-target editor."""
import streamlit as st

from ilp import checklist, checks, config, fmt
from ilp.fmt import num as fmt_num
from ilp.ingest import child, runner
from ui import auth, data, uploads
from ui.common import bump_data_version, data_version, header, lang, q, reading, t, table, url_select, writing
from ui.components import (checklist_view, checks_view, import_result, notes_view, option_widgets, problems_view, save_upload,
                           target_file, titled)

L = lang()
kab_kode, _ = header("kelola.judul")

# ---- for everyone: what each kind looks like, its template, and what this district has loaded
kinds = dict(runner.REGISTRY)
kind_name = url_select(t("kelola.jenis"), list(kinds), "jenis",  # in the URL: /kelola?jenis=target
                       format_func=lambda k: f"{k} — {titled(kinds[k], L)}")
kind = kinds[kind_name]
with st.expander(t("kelola.tata_letak")):
    table_rows = [{t("kelola.kol_kolom"): c, t("kelola.kol_keterangan"): d.text(L) if d else "", t("kelola.kol_contoh"): e}
                  for c, d, e in kind.columns]
    table(data.frame(table_rows))
    st.download_button(t("kelola.unduh_template"), runner.template_xlsx(kind_name, L), file_name=f"template_{kind_name}.xlsx",
                       key="tpl", icon=":material/download:")

st.subheader(t("kelola_cek.judul"))
items = checklist.items(q("quality/checklist_kab", kab=kab_kode)) if kab_kode else []
nxt = checklist.first_missing(items) if items else None
if kab_kode and nxt is None:
    st.success(t("kelola_cek.lengkap"))
elif nxt is not None:
    st.info(t("kelola_cek.berikutnya", langkah=nxt.next_step.text(L)))
else:
    st.info(t("kelola_cek.langkah_wilayah"))
if items:
    checklist_view(items)

# ---- importing needs the editor login
editor = auth.current_editor()
if not editor:
    if not auth.editors() and not auth.oidc_configured():
        st.info(t("kelola.tanpa_editor"))
        st.code("python -m ilp hash-password\n# .streamlit/secrets.toml\n[editors]\nnama = \"pbkdf2_sha256$...\"\n"
                f"# {t('kelola.atau')}: export ILP_EDITORS='nama=pbkdf2_sha256$...'", language="bash")
    else:
        st.info(t("kelola.perlu_login"))
    st.subheader(t("kelola.isi_db"))
    table(q("quality/jumlah_baris"))
    st.stop()

st.success(t("kelola.masuk_sebagai", nama=fmt.md(editor)))
auth.logout_button()
if uploads.session_id():
    uploads.allow(uploads.session_id())  # only this page, with an editor logged in, may receive uploads


def run_data_tests() -> None:
    """After every import: the data tests of ilp.checks on the district, kept for the rest of the session."""
    with reading() as c:
        st.session_state["kelola_checks"] = checks.run_checks(c, kab_kode or None)


scratch = uploads.Scratch()  # this run's private temporary files (0600), removed in the finally below
try:
    st.subheader(t("kelola.impor_judul"))
    options = option_widgets(runner.kind_options(kind_name), key=f"opt_{kind_name}", scratch=scratch)

    max_mb = int(config.get("max_upload_mb"))
    up = st.file_uploader(t("kelola.unggah", mb=max_mb), type=[e.lstrip(".") for e in kind.extensions], key="up")
    if up is None:   # no file (or it was removed): nothing of it is kept
        uploads.forget_preview(st.session_state)
        st.session_state.pop(uploads.DONE, None)
    else:
        if up.size > max_mb * 1024 * 1024:
            st.error(t("kelola.terlalu_besar", mb=max_mb))
            st.stop()
        try:
            tmp = save_upload(up, scratch)
        except ValueError:
            st.error(t("kelola.nama_berkas_salah"))
            st.stop()
        # parsed once per file, options and data version, kept for the session (a rerun does not parse again)
        # a big file is parsed and imported in a child process with a memory and time cap (ilp.ingest.child): the
        # server's memory does not grow with the file, and a file too big for the machine is refused cleanly
        in_child = child.use_child(tmp)
        fkey = runner.preview_key(kind_name, tmp, up.name, options)
        pkey = (fkey, data_version())
        if st.session_state.get(uploads.DONE) == fkey:   # imported or cancelled: not parsed again unless asked
            st.info(t("kelola.sudah_diproses"))
            if st.button(t("kelola.periksa_lagi"), key="again"):
                st.session_state.pop(uploads.DONE, None)
                st.rerun()
        else:
            if st.session_state.get(uploads.PREVIEW, (None,))[0] != pkey:
                uploads.forget_preview(st.session_state)   # another file or options: the earlier parse goes
                if in_child:   # the child keeps its parse on disk for the import (ilp.ingest.child)
                    with st.status(t("impor.anak.memeriksa")) as box:
                        parsed = child.preview(config.db_path(), kind_name, tmp, up.name, options, key=fkey,
                                               progress=uploads.progress_label(box, "impor.anak.memeriksa_baris"))
                        box.update(label=t("impor.anak.selesai"), state="complete")
                else:
                    with reading() as c:
                        parsed = runner.preview(c, kind_name, tmp, up.name, options)
                st.session_state[uploads.PREVIEW] = (pkey, parsed)
            parsed = st.session_state[uploads.PREVIEW][1]
            st.markdown(t("kelola.hasil_periksa", dibaca=fmt_num(parsed.rows_read, 0, L),
                          valid=fmt_num(parsed.rows_valid, 0, L), ditolak=fmt_num(parsed.rejected_rows, 0, L)))
            notes_view(parsed.notes)
            if parsed.problems:
                problems_view(parsed.problems, up.name, key="rep")
            b1, b2 = st.columns(2)
            can_import = parsed.rows_valid > 0 and not parsed.fatal
            label = t("kelola.impor_valid") if parsed.problems else t("kelola.impor")
            if b1.button(label, type="primary", disabled=not can_import, key="go"):
                if in_child:   # imports the rows the preview's child kept (the file is parsed again only if they
                    # no longer match it, its options or the database)
                    with st.status(t("impor.anak.mengimpor")) as box:
                        res = child.run_import(config.db_path(), kind_name, tmp, up.name, editor, options, key=fkey,
                                               accept_valid=bool(parsed.problems),
                                               progress=uploads.progress_label(box, "impor.anak.mengimpor_baris"))
                        box.update(label=t("impor.anak.selesai"), state="complete" if res.ok else "error")
                else:
                    with writing() as wc:
                        res = runner.run_import(wc, kind_name, tmp, up.name, editor, options,
                                                accept_valid=bool(parsed.problems), parsed=parsed)
                uploads.done(st.session_state, fkey)
                bump_data_version()
                import_result(res, L, on_success=run_data_tests)
            if b2.button(t("kelola.batal"), key="cancel"):
                with writing() as wc:
                    runner.cancel_log(wc, kind_name, tmp, up.name, editor, parsed)
                uploads.done(st.session_state, fkey)
                bump_data_version()
                st.info(t("kelola.dibatalkan"))

    st.subheader(t("kelola.target_judul"))
    st.caption(t("kelola.target_note"))
    edited = st.data_editor(data.district_targets(kab_kode), num_rows="dynamic", key="target_editor", width="stretch")
    if st.button(t("kelola.target_simpan"), key="target_save"):
        f = target_file(edited, kab_kode, scratch)  # then the same validated, logged import path as an upload
        with writing() as wc:
            res = runner.run_import(wc, "target", f, f"target_{kab_kode}_editor.csv", editor)
        bump_data_version()
        import_result(res, L, on_success=run_data_tests)
finally:
    scratch.close()

if st.session_state.get("kelola_checks") is not None:
    st.subheader(t("kelola_cek.uji_judul"))
    checks_view(st.session_state["kelola_checks"])

st.subheader(t("kelola.log"))
table(q("quality/import_log"))
st.subheader(t("kelola.isi_db"))
table(q("quality/jumlah_baris"))
