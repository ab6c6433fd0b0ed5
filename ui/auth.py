"""Editor login for Kelola Data. Credentials live outside the repository: Streamlit secrets
([editors] user = "pbkdf2_sha256$iterations$salt$hash") or the ILP_EDITORS environment variable
("user=pbkdf2_sha256$...;user2=..."). With OIDC configured ([auth] in secrets), st.login is used."""
from __future__ import annotations

import os

import streamlit as st

from ilp.passwords import verify
from ui.common import t


def editors() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        out.update({k: str(v) for k, v in st.secrets.get("editors", {}).items()})
    except Exception:  # no secrets file at all
        pass
    for item in os.environ.get("ILP_EDITORS", "").split(";"):
        if "=" in item:
            u, h = item.split("=", 1)
            out[u.strip()] = h.strip()
    return out


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def current_editor() -> str | None:
    """The logged-in editor's name, or None. Renders the login form when needed."""
    if oidc_configured():
        if not st.user.is_logged_in:
            st.button(t("masuk.login"), on_click=st.login)
            return None
        return st.user.get("email") or st.user.get("name")
    if st.session_state.get("editor"):
        return st.session_state["editor"]
    eds = editors()
    if not eds:
        return None
    with st.form("login"):
        u = st.text_input(t("masuk.nama"))
        p = st.text_input(t("masuk.sandi"), type="password")
        if st.form_submit_button(t("masuk.tombol")):
            if u in eds and verify(p, eds[u]):
                st.session_state["editor"] = u
                st.rerun()
            else:
                st.error(t("masuk.salah"))
    return None
