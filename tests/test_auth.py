"""Editor access: OIDC accounts must be configured editors; password logins are timing-even, back off, are logged."""
import logging
import time

import pytest

from ilp.passwords import hash_password
from ui import auth


class User(dict):
    def __init__(self, logged_in=True, **kw):
        super().__init__(**kw)
        self.is_logged_in = logged_in


def test_oidc_login_alone_is_not_an_editor():
    accounts = {"dinkes@contoh.go.id", "sub-42"}
    assert auth.oidc_editor(User(email="someone@gmail.com", sub="x"), accounts) is None
    assert auth.oidc_editor(User(email="Dinkes@Contoh.go.id", sub="x"), accounts) == "dinkes@contoh.go.id"
    assert auth.oidc_editor(User(email="other@x.id", sub="sub-42"), accounts) == "sub-42"
    assert auth.oidc_editor(User(logged_in=False, email="dinkes@contoh.go.id"), accounts) is None
    # an unverified e-mail does not count
    assert auth.oidc_editor(User(email="dinkes@contoh.go.id", email_verified=False), accounts) is None
    assert auth.oidc_editor(User(email="dinkes@contoh.go.id"), set()) is None


def test_editor_accounts_from_environment(monkeypatch):
    monkeypatch.setenv("ILP_EDITOR_ACCOUNTS", "A@b.go.id; sub-1 ;")
    assert {"a@b.go.id", "sub-1"} <= auth.editor_accounts()


def test_current_editor_with_patched_st_user(monkeypatch):
    """With OIDC configured, current_editor() answers from st.user and the configured accounts."""
    import streamlit as st
    monkeypatch.setattr(auth, "oidc_configured", lambda: True)
    monkeypatch.setenv("ILP_EDITOR_ACCOUNTS", "dinkes@contoh.go.id")
    monkeypatch.setattr(st, "warning", lambda *a, **k: None)
    monkeypatch.setattr(st, "button", lambda *a, **k: False)
    monkeypatch.setattr(st, "user", User(email="dinkes@contoh.go.id"))
    assert auth.current_editor() == "dinkes@contoh.go.id"
    monkeypatch.setattr(st, "user", User(email="anyone@gmail.com"))
    assert auth.current_editor() is None


@pytest.fixture
def eds():
    auth._FAILS.clear()
    yield {"ani": hash_password("rahasia-panjang", iterations=20_000)}
    auth._FAILS.clear()


def test_login_ok_and_wrong(eds):
    assert auth.check_login("ani", "rahasia-panjang", eds) == (True, 0.0)
    assert auth.check_login("ani", "salah", eds) == (False, 0.0)


def test_unknown_user_costs_a_hash_too(eds, monkeypatch):
    calls = []
    real = auth.verify
    monkeypatch.setattr(auth, "verify", lambda p, h: calls.append(h) or real(p, h))
    assert auth.check_login("tidak-ada", "x", eds) == (False, 0.0)
    assert auth.check_login("ani", "x", eds) == (False, 0.0)
    assert len(calls) == 2            # both paths verify one hash


def test_backoff_after_repeated_failures(eds, caplog):
    now = 1000.0
    with caplog.at_level(logging.WARNING, logger="pantau_ilp.auth"):
        for i in range(auth.FREE_TRIES):
            assert auth.check_login("ani", "salah", eds, now=now + i) == (False, 0.0)
    assert "failed login" in caplog.text and "'ani'" in caplog.text
    ok, wait = auth.check_login("ani", "rahasia-panjang", eds, now=now + auth.FREE_TRIES - 1)
    assert not ok and wait == pytest.approx(2.0)       # 2 s after the third failure, even with the right password
    assert auth.check_login("ani", "rahasia-panjang", eds, now=now + 10) == (True, 0.0)   # waited: fine, reset
    assert auth.wait_s("u:ani", now + 10) == 0.0


def test_backoff_per_session_across_user_names(eds):
    now = 50.0
    for i, u in enumerate(["a", "b", "c"]):
        auth.check_login(u, "x", eds, session_key="S1", now=now)
    ok, wait = auth.check_login("ani", "rahasia-panjang", eds, session_key="S1", now=now + 0.5)
    assert not ok and wait > 0
    assert auth.check_login("ani", "rahasia-panjang", eds, session_key="S2", now=now + 0.5) == (True, 0.0)


def test_wait_grows_and_is_capped():
    auth._FAILS.clear()
    auth._FAILS["u:x"] = (auth.FREE_TRIES + 20, 0.0)
    assert auth.wait_s("u:x", 0.0) == auth.MAX_WAIT_S
    auth._FAILS.clear()


# ---- uploads: only the editor's page may store files; bounded; private temporary files ------------------------

def test_upload_endpoint_refuses_anonymous_and_bounds_sessions(monkeypatch):
    from starlette.exceptions import HTTPException
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    from ui import uploads
    monkeypatch.setattr(uploads, "limit_bytes", lambda: 1000)
    mgr = MemoryUploadedFileManager("/upload")
    uploads.guard(mgr)
    uploads.guard(mgr)  # once only

    def rec(i, n):
        return UploadedFileRec(file_id=f"f{i}", name="a.csv", type="text/csv", data=b"x" * n)

    with pytest.raises(HTTPException) as e:
        mgr.add_file("viewer", rec(1, 10))
    assert e.value.status_code == 403 and mgr.file_storage.get("viewer") is None
    uploads.allow("editor")
    try:
        mgr.add_file("editor", rec(1, 900))
        mgr.add_file("editor", rec(2, 900))
        with pytest.raises(HTTPException):
            mgr.add_file("editor", rec(3, 900))         # a session holds at most two files' worth
        assert len(mgr.file_storage["editor"]) == 2
        uploads.allow("editor2")
        uploads.allow("editor3")
        mgr.add_file("editor2", rec(1, 1000))
        mgr.add_file("editor2", rec(2, 1000))            # 3.800 bytes held in all
        with pytest.raises(HTTPException):
            mgr.add_file("editor3", rec(1, 300))         # all sessions together: four files' worth (4.000)
        mgr.add_file("editor3", rec(1, 200))
    finally:
        uploads.disallow("editor3")
        uploads.disallow("editor")
        uploads.disallow("editor2")


def test_scratch_files_private_and_removed():
    import os
    import stat

    from ui import uploads

    class Up:
        name = "rekap.XLSX"

        def getvalue(self):
            return b"PK.."

    with uploads.Scratch() as s:
        p = s.upload(Up())
        assert p.suffix == ".xlsx" and p.read_bytes() == b"PK.."
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert not p.exists()
    Up.name = "a\x00.csv"
    with uploads.Scratch() as s, pytest.raises(ValueError):
        s.upload(Up())
