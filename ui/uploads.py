"""Uploads: what Streamlit's upload endpoint may hold, and where an uploaded file lives while it is read.

- The endpoint (/_stcore/upload_file/...) accepts a file only for a session that shows the editor's Kelola Data
  upload (an editor is logged in there); any other session (an anonymous viewer) is refused with 403. What a
  session may hold is bounded (two files' worth of the upload limit), and so is what all sessions hold together.
- An uploaded file is read from a private temporary file (mode 0600, made by mkstemp) that is deleted in a
  `finally` when the page run ends; nothing persists outside the documented uploads folder (the importer keeps
  the raw copy there itself when an import is logged).
- A big upload's preview runs in a child process that keeps its parse on disk for the import (ilp.ingest.child,
  whose docstring says where and for how long); the page forgets it (`forget_preview`, `done`) when the file is
  removed or replaced, or imported, or cancelled.
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

from ilp import config

LOG = logging.getLogger("pantau_ilp.uploads")

_ALLOWED: set[str] = set()
_LOCK = threading.Lock()
SESSION_FILES = 2        # a data file plus one option file (e.g. a crosswalk)
TOTAL_FILES = 4          # all sessions together, in units of the upload limit


class UploadRefused(Exception):
    pass


def limit_bytes() -> int:
    return int(config.get("max_upload_mb")) * 1024 * 1024


def allow(session_id: str) -> None:
    """This session shows the editor's upload (called by Kelola Data after the login check)."""
    with _LOCK:
        _ALLOWED.add(session_id)


def disallow(session_id: str) -> None:
    with _LOCK:
        _ALLOWED.discard(session_id)


def check(mgr, session_id: str, size: int) -> None:
    """Raise UploadRefused unless this session may store `size` more bytes in `mgr` (Streamlit's file manager)."""
    with _LOCK:
        allowed = session_id in _ALLOWED
    if not allowed:
        raise UploadRefused("uploads are accepted only on the editor's Kelola Data page")
    storage = getattr(mgr, "file_storage", {}) or {}
    held = sum(len(f.data) for f in storage.get(session_id, {}).values())
    total = sum(len(f.data) for files in list(storage.values()) for f in list(files.values()))
    if held + size > SESSION_FILES * limit_bytes():
        raise UploadRefused("this session holds enough uploads already")
    if total + size > TOTAL_FILES * limit_bytes():
        raise UploadRefused("the server holds enough uploads already")


def guard(mgr) -> None:
    """Wrap `mgr.add_file` (once) so every stored upload passes `check`; a refusal answers 403."""
    if getattr(mgr, "_ilp_guarded", False):
        return
    original = mgr.add_file

    def add_file(session_id, file):
        try:
            check(mgr, session_id, len(file.data))
        except UploadRefused as e:
            LOG.warning("upload refused for session %s: %s", session_id[:8], e)
            try:
                from starlette.exceptions import HTTPException
            except ImportError:  # another server implementation: still refuse
                raise PermissionError(str(e)) from None
            raise HTTPException(status_code=403, detail="Upload not accepted") from None
        return original(session_id, file)

    mgr.add_file = add_file
    mgr._ilp_guarded = True


def install() -> None:
    """Guard the running server's upload manager (app.py calls this on every run; cheap after the first)."""
    try:
        from streamlit.runtime import Runtime
        if Runtime.exists():
            guard(Runtime.instance().uploaded_file_mgr)
    except Exception as e:  # never take the page down over this; log it
        LOG.warning("upload guard not installed: %s", e)


def session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def clean_name(name: str) -> str:
    """An upload's name as the user gave it, checked: a NUL or a path separator is refused (ValueError)."""
    if not name or "\x00" in name or "/" in name or "\\" in name or len(name) > 255:
        raise ValueError(name)
    return name


def progress_label(box, key: str):
    """A progress callback for ilp.ingest.child: its lines ({'baris': n}) become the status box's label `key`;
    an import that uses the preview's saved parse ({'tahap': 'tersimpan'}) or has to read the file again
    ({'tahap': 'baca_ulang'}) says so."""
    from ilp.fmt import num
    from ui.common import lang, t

    def show(info: dict) -> None:
        if "baris" in info:
            box.update(label=t(key, n=num(info["baris"], 0, lang())))
        elif info.get("tahap") in ("tersimpan", "baca_ulang"):
            box.update(label=t(f"impor.anak.{info['tahap']}"))
    return show


PREVIEW = "kelola_preview"   # session: ((preview key, data version), Parsed) of the upload shown
DONE = "kelola_selesai"      # session: the preview key of the upload last imported or cancelled


def forget_preview(state) -> None:
    """Drop the page's kept preview and the parse its child saved on disk (ilp.ingest.child.discard; nothing
    to delete for a preview made in the server's process)."""
    from ilp.ingest import child
    kept = state.pop(PREVIEW, None)
    if kept is not None and kept[0] is not None:
        child.discard(kept[0][0])


def done(state, key: str) -> None:
    """The upload with preview key `key` was imported or cancelled: forget its preview, and do not parse it again
    on the next rerun (the page offers to check it again instead)."""
    forget_preview(state)
    state[DONE] = key


class Scratch:
    """Temporary files of one page run (the upload, an option file, the target editor's table), all 0600 and all
    removed by `close()` (call it in a `finally`)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def write(self, raw: bytes, suffix: str) -> Path:
        fd, p = tempfile.mkstemp(prefix="pantau-ilp-", suffix=suffix[:8])
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        self.paths.append(Path(p))
        return Path(p)

    def upload(self, up) -> Path:
        return self.write(up.getvalue(), Path(clean_name(up.name)).suffix.lower())

    def close(self) -> None:
        for p in self.paths:
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        self.paths.clear()

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
