"""Many viewers at once: N websocket sessions clicking through every page against a local server (127.0.0.1 only).

Each session speaks Streamlit's own protocol (BackMsg rerun_script -> ForwardMsg ... script_finished), opening the
pages in turn (with the view in the URL, in both languages) until the time is up. Meanwhile the health endpoint is
polled: the server must answer throughout and afterwards. Prints page-run latency p50/p95 and the server's resident
memory before and after.

    .venv/bin/python benchmarks/load.py [--sessions 20] [--seconds 60] [--db data/ilp.duckdb]

Without --db the demo district is copied to a temporary folder (built first when missing). tests/test_load.py runs
a shorter version of the same thing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("ringkasan", "lang=id"), ("peta", "lang=id"), ("stunting", "lang=id"), ("fasilitas", "lang=en"),
         ("spm", "lang=id"), ("kelola", "lang=id"), ("peta", "lang=en&lapis=desa"), ("ringkasan", "lang=en")]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    health_failures: int = 0
    health_checks: int = 0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    health_after: bool = False
    stopped_by_sigterm: bool = False

    def summary(self) -> dict:
        lat = sorted(self.latencies)

        def q(p):
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 3) if lat else None
        return {"page_runs": len(lat), "p50_s": q(0.5), "p95_s": q(0.95), "max_s": round(lat[-1], 3) if lat else None,
                "errors": len(self.errors), "first_errors": self.errors[:5],
                "health_checks": self.health_checks, "health_failures": self.health_failures,
                "health_after": self.health_after, "stopped_by_sigterm": self.stopped_by_sigterm,
                "rss_before_mb": round(self.rss_before_mb, 1), "rss_after_mb": round(self.rss_after_mb, 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def healthy(port: int, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except Exception:
        return False


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, ILP_DB=str(db), ILP_UPLOADS=str(db.parent / "uploads"))
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120  # serve.py answers after its warm-up run of the first page (at most 60 s)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        if healthy(port, 1.0):
            return proc
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not answer within 120 s")


def stop_server(proc: subprocess.Popen) -> bool:
    """SIGTERM, then SIGKILL after 15 s; True when SIGTERM was enough (a deadlocked server ignored it)."""
    proc.terminate()
    try:
        proc.wait(15)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
        return False


async def run_page(ws, page: str, query: str, timeout: float) -> tuple[float, list[str]]:
    """One page run: ask for it, read until script_finished; returns (seconds, exception messages)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    t0 = time.monotonic()
    await ws.send(msg.SerializeToString())
    errs: list[str] = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element" \
                and fm.delta.new_element.WhichOneof("type") == "exception":
            errs.append(f"{page}?{query}: {fm.delta.new_element.exception.message[:200]}")
        elif kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            return time.monotonic() - t0, errs


async def viewer(port: int, i: int, until: float, res: Result, timeout: float) -> None:
    import websockets
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=30) as ws:
            n = i  # each viewer starts on a different page
            while time.monotonic() < until:
                page, query = PAGES[n % len(PAGES)]
                try:
                    dt_, errs = await run_page(ws, page, query, timeout)
                    res.latencies.append(dt_)
                    res.errors.extend(errs)
                except asyncio.TimeoutError:
                    res.errors.append(f"viewer {i}: {page} did not finish within {timeout:.0f} s")
                    return
                n += 1
    except Exception as e:  # a refused or dropped connection is an error of the run, reported
        res.errors.append(f"viewer {i}: {type(e).__name__}: {e}"[:300])


async def poll_health(port: int, until: float, res: Result) -> None:
    loop = asyncio.get_running_loop()
    while time.monotonic() < until:
        ok = await loop.run_in_executor(None, healthy, port, 5.0)
        res.health_checks += 1
        res.health_failures += 0 if ok else 1
        await asyncio.sleep(1.0)


async def warm_up(port: int, timeout: float) -> None:
    import websockets
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=30) as ws:
        for page, query in PAGES:
            await run_page(ws, page, query, timeout)


async def _drive(port: int, sessions: int, seconds: float, timeout: float, res: Result) -> None:
    until = time.monotonic() + seconds
    await asyncio.gather(poll_health(port, until, res),
                         *(viewer(port, i, until, res, timeout) for i in range(sessions)))


def run_load(db: Path, sessions: int = 20, seconds: float = 60, timeout: float = 90) -> Result:
    """Start a server on a copy-safe database path, drive it, stop it; the Result says what happened."""
    port = free_port()
    proc = start_server(db, port)
    res = Result()
    try:
        healthy(port)
        # one warm-up run per page, so the figures measure many viewers, not the first query's cache fill
        asyncio.run(warm_up(port, timeout))
        res.rss_before_mb = rss_mb(proc.pid)
        asyncio.run(_drive(port, sessions, seconds, timeout, res))
        time.sleep(1.0)
        res.health_after = healthy(port, 10.0)
        res.rss_after_mb = rss_mb(proc.pid)
    finally:
        res.stopped_by_sigterm = stop_server(proc)
    return res


def demo_copy(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from ilp import config, demo
    src = config.db_path()
    if not src.exists():
        demo.ensure_demo(src)
    dst = tmp / "ilp.duckdb"
    shutil.copyfile(src, dst)
    return dst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pantau-load-") as d:
        db = a.db or demo_copy(Path(d))
        res = run_load(db, a.sessions, a.seconds)
    s = res.summary()
    if a.json:
        print(json.dumps(s, indent=2))
    else:
        print(f"{a.sessions} sessions x {a.seconds:.0f} s: {s['page_runs']} page runs, p50 {s['p50_s']} s, "
              f"p95 {s['p95_s']} s, max {s['max_s']} s; errors {s['errors']}; health {s['health_checks']} checks, "
              f"{s['health_failures']} failed, after: {'ok' if s['health_after'] else 'NO ANSWER'}; "
              f"server RSS {s['rss_before_mb']} MB -> {s['rss_after_mb']} MB; "
              f"SIGTERM {'stopped it' if s['stopped_by_sigterm'] else 'IGNORED'}")
        for e in s["first_errors"]:
            print("  ", e)
    sys.exit(0 if s["errors"] == 0 and s["health_failures"] == 0 and s["health_after"]
             and s["stopped_by_sigterm"] else 1)


if __name__ == "__main__":
    main()
