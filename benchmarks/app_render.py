"""Time to first render: the app on the demo district, in a real headless Chromium when available
(server start -> first page drawn with its map), plus each page's script time under AppTest.

    .venv/bin/python benchmarks/app_render.py [--db PATH]

Goals (issue 2/4): first page rendered < 5 s; coverage page render printed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["ringkasan", "peta", "stunting", "fasilitas", "spm", "kelola"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apptest_times(db: Path) -> None:
    from streamlit.testing.v1 import AppTest
    os.environ["ILP_DB"] = str(db)
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        t0 = time.perf_counter()
        at.switch_page(f"pages/{page}.py")
        at.run()
        print(f"apptest_{page}_seconds: {time.perf_counter() - t0:.2f}")


def browser_times(db: Path) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("browser: skipped (no chromium)")
        return
    from playwright.sync_api import sync_playwright
    port = free_port()
    env = dict(os.environ, ILP_DB=str(db))
    t_start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.perf_counter() - t_start > 60:
                    raise SystemExit("server did not start")
                time.sleep(0.1)
        print(f"server_start_seconds: {time.perf_counter() - t_start:.2f}")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            for name in ["ringkasan", "peta", "stunting"]:
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{name}")
                page.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=60_000)
                print(f"browser_{name}_map_drawn_seconds: {time.perf_counter() - t0:.2f}")
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    a = ap.parse_args()
    tmp = None
    if a.db:
        db = Path(a.db)
    else:
        from ilp import demo
        tmp = Path(tempfile.mkdtemp())
        db = tmp / "demo.duckdb"
        t0 = time.perf_counter()
        demo.build(db)
        print(f"demo_build_seconds: {time.perf_counter() - t0:.2f}")
    browser_times(db)
    apptest_times(db)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
