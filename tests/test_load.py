"""Many viewers: 20 websocket sessions click through every page of a local server (127.0.0.1 only) for a bounded
time; the server answers its health check throughout and afterwards, and no session sees an error.
(The figures for the record come from benchmarks/load.py.)"""
import pytest

pytest.importorskip("websockets")

from benchmarks.load import run_load  # noqa: E402

SESSIONS = 20
SECONDS = 20   # long enough for every session to go round the pages several times (benchmarks/load.py runs 60 s)


@pytest.mark.slow
def test_twenty_viewers_keep_the_server_answering(demo_db):
    res = run_load(demo_db, sessions=SESSIONS, seconds=SECONDS, timeout=120)
    s = res.summary()
    assert s["errors"] == 0, s["first_errors"]
    assert s["health_checks"] >= SECONDS // 3 and s["health_failures"] == 0, s
    assert s["health_after"], s
    assert s["stopped_by_sigterm"], s              # not deadlocked: SIGTERM still stops it
    assert s["page_runs"] >= SESSIONS, s          # every session finished at least one page
