"""First page after start (issue 14): a script run's questions share one read-only connection
(ui.common.questions), opened at its first question and closed when the run ends, so the app still holds no lock
while idle; Kelola Data (imports, here or in a child process) keeps a connection per question."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import run_page

_OPEN_RW = "import sys, duckdb; duckdb.connect(sys.argv[1]).close(); print('ok')"


@pytest.fixture
def page_db(fixture_db, tmp_path):
    p = tmp_path / "fixture.duckdb"
    shutil.copy(fixture_db, p)
    return p


def _count_opens(monkeypatch):
    from ui import common
    opened, closed = [], []
    orig = common.open_db

    def spy(*a, **kw):
        c = orig(*a, **kw)
        opened.append(kw.get("read_only", a[1] if len(a) > 1 else True))
        real_close = c.close

        def close():
            closed.append(1)
            return real_close()
        return _Wrapped(c, close)

    monkeypatch.setattr(common, "open_db", spy)
    common._q.clear()
    return opened, closed


class _Wrapped:
    """A connection whose close() is counted (DuckDB's connection object takes no new attributes)."""

    def __init__(self, con, close):
        self._con, self.close = con, close

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_page_run_opens_one_connection_and_closes_it(page_db, monkeypatch):
    from ui import common
    opened, closed = _count_opens(monkeypatch)
    calls = []
    orig = common.run_query
    monkeypatch.setattr(common, "run_query", lambda path, key, params: calls.append(key) or orig(path, key, params))
    at = run_page(page_db, "pages/ringkasan.py", monkeypatch)
    assert at.title and len(calls) > 10                      # Ringkasan asks over ten questions ...
    assert opened == [True] and closed == [1]                # ... on one read-only connection, closed at the end
    out = subprocess.run([sys.executable, "-c", _OPEN_RW, str(page_db)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr            # no lock held once the run is over


def test_stamp_change_reopens_within_a_run(page_db, monkeypatch):
    from ilp import config
    from ui import common
    monkeypatch.setenv("ILP_DB", str(page_db))
    path = str(config.db_path())
    stamps = iter([(1,), (1,), (2,)])
    monkeypatch.setattr(common, "_file_stamp", lambda p: next(stamps))
    with common.questions():
        a = common._run_connection(path)
        assert common._run_connection(path) is a              # same file stamp: the same connection
        b = common._run_connection(path)
        assert b is not a                                     # the file changed: a new one
    assert common._RUN.con is None


def test_kelola_keeps_a_connection_per_question(page_db, monkeypatch):
    opened, closed = _count_opens(monkeypatch)
    at = run_page(page_db, "pages/kelola.py", monkeypatch)
    assert not at.exception
    assert len(opened) >= 2 and len(opened) == len(closed)   # the page's own questions: one connection each


def test_writing_inside_a_run_closes_the_run_connection_first(page_db, monkeypatch):
    from ilp import config
    from ui import common
    monkeypatch.setenv("ILP_DB", str(page_db))
    path = str(config.db_path())
    with common.questions():
        common.run_query(path, "wilayah/meta", {})
        assert common._RUN.con is not None
        with common.writing() as wc:                          # would fail on DuckDB's one-configuration rule
            wc.execute("select 1").fetchall()
            assert common._RUN.con is None and not common._RUN.active
        assert common._RUN.active                             # the run's questions share again afterwards
        assert len(common.run_query(path, "wilayah/meta", {})) >= 0
    assert common._RUN.con is None
