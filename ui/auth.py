"""Editor login for Kelola Data. Credentials live outside the repository: Streamlit secrets
([editors] user = "pbkdf2_sha256$iterations$salt$hash") or the ILP_EDITORS environment variable
("user=pbkdf2_sha256$...;user2=...").

With OIDC configured ([auth] in secrets) st.login is used, and a logged-in account is an editor only when its e-mail
or subject is listed: secrets `editor_accounts = ["dinkes@example.go.id", "sub-1234"]` or the ILP_EDITOR_ACCOUNTS
environment variable ("a@b.go.id;sub-1234"). Logging in alone never makes anyone an editor.

Password logins take the same time for an unknown user as for a wrong password, back off after repeated failures
(per user name and per session), log every failure, and can be ended with a logout button."""
from __future__ import annotations

import logging
import os
import threading
import time

import streamlit as st

from ilp import fmt
from ilp.passwords import hash_password, verify
from ui.common import t

LOG = logging.getLogger("pantau_ilp.auth")

FREE_TRIES = 3            # failures before the back-off starts
MAX_WAIT_S = 300
_DUMMY_HASH = hash_password("pantau-ilp-not-a-password")   # verified against when the user is unknown
_FAILS: dict[str, tuple[int, float]] = {}                   # user name -> (failures, time of the last)
_LOCK = threading.Lock()


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


def editor_accounts() -> set[str]:
    """OIDC accounts allowed to edit: e-mails (compared case-insensitively) and subjects."""
    out: list[str] = []
    try:
        v = st.secrets.get("editor_accounts", [])
        out += [v] if isinstance(v, str) else list(v)
    except Exception:
        pass
    out += os.environ.get("ILP_EDITOR_ACCOUNTS", "").split(";")
    return {a.strip().lower() for a in out if a and a.strip()}


def oidc_editor(user, accounts: set[str]) -> str | None:
    """The account's e-mail (or subject) when it is a configured editor; None otherwise (also when not logged in).
    An e-mail counts only when the provider says it is verified (when it says anything about it)."""
    if not getattr(user, "is_logged_in", False):
        return None
    email = str(user.get("email") or "").strip().lower()
    sub = str(user.get("sub") or "").strip().lower()
    verified = user.get("email_verified", True) not in (False, "false", "False")
    if email and verified and email in accounts:
        return email
    if sub and sub in accounts:
        return sub
    return None


def wait_s(key: str, now: float | None = None) -> float:
    """Seconds this user name (or session) must still wait before the next try (0 = may try)."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        n, last = _FAILS.get(key, (0, 0.0))
    if n < FREE_TRIES:
        return 0.0
    return max(0.0, last + min(2 ** (n - FREE_TRIES + 1), MAX_WAIT_S) - now)


def _failed(key: str, now: float) -> None:
    with _LOCK:
        n, _ = _FAILS.get(key, (0, 0.0))
        _FAILS[key] = (n + 1, now)


def check_login(user: str, password: str, eds: dict[str, str], session_key: str = "",
                now: float | None = None) -> tuple[bool, float]:
    """(ok, seconds to wait). An unknown user costs the same hash as a known one; failures are counted per user
    name and per session and logged; while backing off, nothing is verified."""
    now = time.monotonic() if now is None else now
    keys = [f"u:{user.strip().lower()}"] + ([f"s:{session_key}"] if session_key else [])
    wait = max(wait_s(k, now) for k in keys)
    if wait > 0:
        LOG.warning("login refused (backing off %.0f s) for user %r", wait, user[:64])
        return False, wait
    known = user in eds
    ok = verify(password, eds[user] if known else _DUMMY_HASH) and known
    if ok:
        with _LOCK:
            for k in keys:
                _FAILS.pop(k, None)
        return True, 0.0
    for k in keys:
        _failed(k, now)
    LOG.warning("failed login for user %r (%s)", user[:64], "known" if known else "unknown")
    return False, 0.0


def _session_key() -> str:
    from ui.uploads import session_id
    return session_id() or ""


def logout() -> None:
    from ui import uploads
    st.session_state.pop("editor", None)
    sid = uploads.session_id()
    if sid:
        uploads.disallow(sid)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def logout_button() -> None:
    st.button(t("masuk.keluar"), on_click=logout, key="logout", icon=":material/logout:")


def current_editor() -> str | None:
    """The logged-in editor's name, or None. Renders the login form when needed."""
    if oidc_configured():
        if not st.user.is_logged_in:
            st.button(t("masuk.login"), on_click=st.login)
            return None
        who = oidc_editor(st.user, editor_accounts())
        if who is None:
            LOG.warning("OIDC account is not an editor: %r", str(st.user.get("email") or st.user.get("sub"))[:64])
            st.warning(t("masuk.bukan_editor", akun=fmt.md(st.user.get("email") or st.user.get("sub") or "?")))
            st.button(t("masuk.keluar"), on_click=st.logout, key="logout_oidc")
        return who
    if st.session_state.get("editor"):
        return st.session_state["editor"]
    eds = editors()
    if not eds:
        return None
    with st.form("login"):
        u = st.text_input(t("masuk.nama"))
        p = st.text_input(t("masuk.sandi"), type="password")
        if st.form_submit_button(t("masuk.tombol")):
            ok, wait = check_login(u, p, eds, _session_key())
            if ok:
                st.session_state["editor"] = u
                st.rerun()
            elif wait > 0:
                st.error(t("masuk.terlalu_sering", detik=int(wait) + 1))
            else:
                st.error(t("masuk.salah"))
    return None
