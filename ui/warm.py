"""Warm-up at server start (serve.py): before the server answers, the app's first page (app.py with no URL
parameters: Ringkasan in Indonesian) runs once in a session of its own, so the first viewer does not pay for the
imports (DuckDB, Polars, PyArrow, pandas, Plotly, the core), the database file's first reads and the questions of
the first page (cached by data version, shared by every session). Issue 14: first page after start <= 3 s.

Streamlit's own script check does the run (Runtime.does_script_run_without_error: a real AppSession on the shared
caches, at most 60 s). Skipped when there is no database yet: app.py then builds the demo district in front of the
first viewer, with its progress bar (ui.common.first_start), not hidden inside the server's start. Skipped too when
the facts are stale (a new version of the app, before `python -m ilp perbarui-fakta`): the page would run the live
rules, up to the 60 s limit on a large district, while the server does not answer at all; the first viewer sees the
page with its banner instead. A failed or timed-out warm-up is logged and the server starts anyway: the first
viewer then pays the cold start."""
from __future__ import annotations

import time
from contextlib import asynccontextmanager

from streamlit.logger import get_logger

from ilp import config

LOG = get_logger("pantau_ilp.warm")


async def warm() -> str:
    """Run the first page once; returns what happened ('ok', 'error', 'timeout', 'no database', 'stale facts',
    'failed: ...')."""
    path = config.db_path()
    if not path.exists():
        LOG.info("warm-up skipped: no database at %s yet (the first visit builds the demo district)", path)
        return "no database"
    from streamlit.runtime import Runtime

    from ui.common import facts_fresh

    t0 = time.perf_counter()
    try:
        if not facts_fresh(str(path)):
            LOG.warning("warm-up skipped: the facts of %s are stale (run python -m ilp perbarui-fakta)", path)
            return "stale facts"
        ok, msg = await Runtime.instance().does_script_run_without_error()
    except Exception as e:  # never keep the server from starting over a warm-up
        LOG.warning("warm-up of the first page failed: %s: %s", type(e).__name__, e)
        return f"failed: {type(e).__name__}"
    LOG.info("warm-up run of the first page: %s in %.1f s (%s)", "ok" if ok else msg, time.perf_counter() - t0,
             path)
    return "ok" if ok else msg


@asynccontextmanager
async def lifespan(_app):
    """st.App lifespan: the runtime has started; warm up, then serve."""
    await warm()
    yield
