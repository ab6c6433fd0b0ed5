"""Download button for the Bupati briefing PDF (ilp.briefing), generated on click and cached per data version."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from ilp import briefing, config
from ui.common import data_version, lang, meta, open_db, t


@st.cache_data(show_spinner=False, max_entries=8)
def _pdf(db_path: str, version: int, lang_: str, kab: str, _con=None) -> bytes:
    """PDF bytes; the cache key is the database file, its data version, the language and the district."""
    with tempfile.TemporaryDirectory(prefix="ilp-brief-") as d:
        c = _con if _con is not None else open_db(db_path)
        try:
            out = briefing.build_pdf(c, Path(d) / "ringkasan.pdf", kab=kab, lang=lang_)
        finally:
            if _con is None:  # a connection opened here is closed here: the app holds no lock while idle
                c.close()
        return out.read_bytes()


def pdf_bytes(kab: str, lang_: str | None = None) -> bytes:
    return _pdf(str(config.db_path()), data_version(), lang_ or lang(), kab)


def download_button(kab: str) -> None:
    """'⬇️ Unduh ringkasan (PDF)'. The PDF is made only when the button is clicked (deferred data, on a
    separate thread without the Streamlit session): everything the callable needs is read here first."""
    args = (str(config.db_path()), data_version(), lang(), kab)
    per = meta().get("data_per", "")

    def make() -> bytes:  # opens (and closes) its own read-only connection only when clicked
        return _pdf(*args)

    st.download_button(t("brief.unduh_pdf"), data=make, file_name=f"ringkasan_{kab}_{per or 'data'}.pdf",
                       mime="application/pdf", help=t("brief.unduh_help"), on_click="ignore", key="brief_pdf",
                       icon=":material/picture_as_pdf:")
