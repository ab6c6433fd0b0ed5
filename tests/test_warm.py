"""ui.warm: the warm-up run of the first page at server start (serve.py, the README's start command). The real run
inside a server is checked by the browser test (test_server_warmed_the_first_page)."""
from __future__ import annotations

import asyncio

from streamlit.runtime import Runtime

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


def test_no_database_yet_no_warm_up(tmp_path, monkeypatch):
    """No database: the first viewer sees the demo being built (app.py), so the server does not run the page (which
    would build the demo silently inside the server's start)."""
    db = tmp_path / "belum-ada" / "ilp.duckdb"
    monkeypatch.setenv("ILP_DB", str(db))
    rt = _with_runtime(monkeypatch, _FakeRuntime())
    assert asyncio.run(warm.warm()) == "no database"
    assert rt.calls == 0
    assert not db.parent.exists()


def test_the_lifespan_runs_the_first_page_once_before_serving(tmp_path, monkeypatch):
    db = tmp_path / "ilp.duckdb"
    db.write_bytes(b"")
    monkeypatch.setenv("ILP_DB", str(db))
    rt = _with_runtime(monkeypatch, _FakeRuntime())

    async def serve() -> int:
        async with warm.lifespan(None):
            return rt.calls  # what has run when the server starts answering

    assert asyncio.run(serve()) == 1


def test_a_failed_or_slow_warm_up_does_not_stop_the_server(tmp_path, monkeypatch):
    db = tmp_path / "ilp.duckdb"
    db.write_bytes(b"")
    monkeypatch.setenv("ILP_DB", str(db))
    _with_runtime(monkeypatch, _FakeRuntime(error=RuntimeError("boom")))
    assert asyncio.run(warm.warm()) == "failed: RuntimeError"
    _with_runtime(monkeypatch, _FakeRuntime(result=(False, "timeout")))
    assert asyncio.run(warm.warm()) == "timeout"
    _with_runtime(monkeypatch, _FakeRuntime(result=(False, "error")))

    async def serve() -> str:
        async with warm.lifespan(None):
            return "serving"

    assert asyncio.run(serve()) == "serving"
