"""ui.warm: the warm-up run of the first page at server start (serve.py, the README's start command). The real run
inside a server is checked by the browser test (test_server_warmed_the_first_page)."""
from __future__ import annotations

import asyncio
import shutil

from streamlit.runtime import Runtime

from ilp import db
from ui import warm


class _FakeRuntime:
    def __init__(self, result=(True, "ok"), error: Exception | None = None):
        self.calls = 0
        self.result, self.error = result, error

    async def does_script_run_without_error(self):
        self.calls += 1
        if self.error:
            raise self.error
        return self.result


def _with_runtime(monkeypatch, rt: _FakeRuntime) -> _FakeRuntime:
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: rt))
    return rt


def _fresh_db(fixture_db, tmp_path, monkeypatch):
    p = tmp_path / "ilp.duckdb"
    shutil.copy(fixture_db, p)
    monkeypatch.setenv("ILP_DB", str(p))
    return p


def test_no_database_yet_no_warm_up(tmp_path, monkeypatch):
    """No database: the first viewer sees the demo being built (app.py), so the server does not run the page (which
    would build the demo silently inside the server's start)."""
    p = tmp_path / "belum-ada" / "ilp.duckdb"
    monkeypatch.setenv("ILP_DB", str(p))
    rt = _with_runtime(monkeypatch, _FakeRuntime())
    assert asyncio.run(warm.warm()) == "no database"
    assert rt.calls == 0
    assert not p.parent.exists()


def test_the_lifespan_runs_the_first_page_once_before_serving(fixture_db, tmp_path, monkeypatch):
    _fresh_db(fixture_db, tmp_path, monkeypatch)
    rt = _with_runtime(monkeypatch, _FakeRuntime())

    async def serve() -> int:
        async with warm.lifespan(None):
            return rt.calls  # what has run when the server starts answering

    assert asyncio.run(serve()) == 1


def test_stale_facts_no_warm_up(fixture_db, tmp_path, monkeypatch):
    """Facts stale (a value written outside an import, as after a new version): the page would run the live rules
    while the server does not answer, so there is no warm-up; the first viewer sees the page and its banner."""
    p = _fresh_db(fixture_db, tmp_path, monkeypatch)
    con = db.connect(p)
    con.execute("update fakta_spm set jumlah = jumlah + 1 where kode_puskesmas = 'PK1' and bulan = 1")
    con.close()
    rt = _with_runtime(monkeypatch, _FakeRuntime())
    assert asyncio.run(warm.warm()) == "stale facts"
    assert rt.calls == 0


def test_a_failed_or_slow_warm_up_does_not_stop_the_server(fixture_db, tmp_path, monkeypatch):
    _fresh_db(fixture_db, tmp_path, monkeypatch)
    _with_runtime(monkeypatch, _FakeRuntime(error=RuntimeError("boom")))
    assert asyncio.run(warm.warm()) == "failed: RuntimeError"
    _with_runtime(monkeypatch, _FakeRuntime(result=(False, "timeout")))
    assert asyncio.run(warm.warm()) == "timeout"
    _with_runtime(monkeypatch, _FakeRuntime(result=(False, "error")))

    async def serve() -> str:
        async with warm.lifespan(None):
            return "serving"

    assert asyncio.run(serve()) == "serving"
