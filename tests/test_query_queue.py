"""Heavy work queued, not failed (issue 14): at most `query_concurrency` dashboard questions run at once in one
process; the others wait their turn, and a question's time limit starts only when it runs."""
from __future__ import annotations

import threading
import time

import polars as pl
import pytest

from ilp import db


def _drive(monkeypatch, con, n_threads: int, concurrency: int):
    """n_threads ask a question at once; returns (events in order, max questions running together, errors)."""
    monkeypatch.setenv("ILP_QUERY_CONCURRENCY", str(concurrency))
    events: list[tuple[str, str]] = []
    lock = threading.Lock()
    running = [0, 0]          # now, max

    class Timer(threading.Timer):
        def start(self):
            with lock:
                events.append(("limit", threading.current_thread().name))
            super().start()

    def slow_fetch(cur, sql, params=None):
        with lock:
            running[0] += 1
            running[1] = max(running[1], running[0])
            events.append(("run", threading.current_thread().name))
        time.sleep(0.15)
        with lock:
            running[0] -= 1
        return pl.DataFrame({"x": [1]})

    monkeypatch.setattr(db.threading, "Timer", Timer)
    monkeypatch.setattr(db, "fetch_pl", slow_fetch)
    errors: list[BaseException] = []

    def ask():
        try:
            db.run(con, "wilayah/meta")
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)

    threads = [threading.Thread(target=ask, name=f"q{i}") for i in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    return events, running[1], errors


def test_one_at_a_time_each_limit_starts_when_it_runs(monkeypatch, fixture_con):
    events, most, errors = _drive(monkeypatch, fixture_con, 4, 1)
    assert not errors
    assert most == 1
    # strictly limit, run, limit, run ... by the same thread: no question's clock starts while it waits
    assert len(events) == 8
    for (k1, t1), (k2, t2) in zip(events[::2], events[1::2]):
        assert (k1, k2) == ("limit", "run") and t1 == t2


def test_two_slots_let_two_run_together(monkeypatch, fixture_con):
    events, most, errors = _drive(monkeypatch, fixture_con, 4, 2)
    assert not errors
    assert most == 2
    assert sorted(t for k, t in events if k == "run") == ["q0", "q1", "q2", "q3"]


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_setting_below_one_still_runs_one(monkeypatch, fixture_con, value):
    monkeypatch.setenv("ILP_QUERY_CONCURRENCY", value)
    assert db.run(fixture_con, "wilayah/meta").height >= 1
