"""Pantau ILP — router only: page config, language (kept in the URL), upload guard, navigation."""
import streamlit as st

from ilp import provinsi
from ilp.i18n import t
from ui import uploads
from ui.common import first_start, lang, q, questions

st.set_page_config(page_title="Pantau ILP", page_icon="🩺", layout="wide")
uploads.install()  # the upload endpoint stores files only for the editor's Kelola Data page, bounded

L = lang()
st.session_state["lang"] = L
if st.query_params.get("lang") != L:
    st.query_params["lang"] = L  # every view carries its language, so a shared link or Back keeps it


def _switch_language() -> None:
    new = st.session_state["w_lang"]
    st.session_state["lang"] = new
    st.query_params["lang"] = new


if st.session_state.get("w_lang") != L:  # the URL (a link, Back/Forward) decides; the radio follows
    st.session_state["w_lang"] = L
with st.sidebar:
    st.radio(t("umum.bahasa", L), ["id", "en"], horizontal=True, key="w_lang", on_change=_switch_language,
             format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x])

first_start()  # no database yet: build the demo district now, with a progress bar

pages = [
    st.Page("pages/ringkasan.py", title=t("nav.ringkasan", L), icon=":material/dashboard:", url_path="ringkasan", default=True),
    st.Page("pages/peta.py", title=t("nav.peta", L), icon=":material/map:", url_path="peta"),
    st.Page("pages/stunting.py", title=t("nav.stunting", L), icon=":material/straighten:", url_path="stunting"),
    st.Page("pages/fasilitas.py", title=t("nav.fasilitas", L), icon=":material/local_hospital:", url_path="fasilitas"),
    st.Page("pages/spm.py", title=t("nav.spm", L), icon=":material/fact_check:", url_path="spm"),
    st.Page("pages/mutu.py", title=t("nav.mutu", L), icon=":material/rule:", url_path="mutu"),
    st.Page("pages/kelola.py", title=t("nav.kelola", L), icon=":material/upload_file:", url_path="kelola"),
]
# The run's questions share one read-only connection, closed when the run ends (ui.common.questions); not on
# Kelola Data, whose imports open the file read-write (here or in a child process) in the middle of the run.
with questions():
    if provinsi.province_of(q("wilayah/info_kab")["kode"].to_list()):  # several kab/kota of one province: its view
        pages.insert(1, st.Page("pages/provinsi.py", title=t("provinsi.nav", L), icon=":material/account_balance:",
                                url_path="provinsi"))
    page = st.navigation(pages)
    if page.url_path != "kelola":
        page.run()
if page.url_path == "kelola":
    page.run()
