"""Screenshots of every page at 1920×1080, 1400×900 and 420 px wide (a phone), in both languages, into artifacts/.

Starts the app on 127.0.0.1 (a copy of the database, so nothing is written to yours), opens each page in headless
Chromium (Debian's /usr/bin/chromium; BROWSER_PATH overrides), waits until the script has finished and the maps
are drawn, and saves the first screen (what a projector or a phone shows without scrolling) and the full page:

    artifacts/screenshots/<width>x<height>/<lang>/<page>.png        first screen
    artifacts/screenshots/<width>x<height>/<lang>/<page>_full.png   whole page

    .venv/bin/python scripts/screenshots.py [--db PATH] [--pages ringkasan,peta] [--sizes 1920x1080,420x900]

Look at them: status words and contrast, cut-off tables, what is above the fold, labels in the right language.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import start_server, stop_server, free_port  # noqa: E402

PAGES = {"ringkasan": "", "peta": "peta", "stunting": "stunting", "fasilitas": "fasilitas", "spm": "spm",
         "mutu": "mutu", "kelola": "kelola"}
SIZES = [(1920, 1080), (1400, 900), (420, 900)]
OUT = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking"]


def wait_done(page, timeout_s: float = 120, settle_s: float = 1.5) -> bool:
    deadline = time.monotonic() + timeout_s
    quiet = None
    while time.monotonic() < deadline:
        shown = page.locator('[data-testid="stMainBlockContainer"] h1').count() > 0
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0 or \
            page.locator('[data-testid="stSkeleton"]').count() > 0
        if running or not shown:
            quiet = None
        elif quiet is None:
            quiet = time.monotonic()
        elif time.monotonic() - quiet >= settle_s:
            return True
        page.wait_for_timeout(250)
    return False


def shoot(url: str, pages: dict[str, str], sizes: list[tuple[int, int]], langs: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
    saved: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            for w, h in sizes:
                for lang in langs:
                    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="id-ID",
                                              is_mobile=w < 600, has_touch=w < 600)
                    page = ctx.new_page()
                    d = OUT / f"{w}x{h}" / lang
                    d.mkdir(parents=True, exist_ok=True)
                    for name, path in pages.items():
                        try:
                            page.goto(f"{url}/{path}?lang={lang}", wait_until="domcontentloaded", timeout=120_000)
                        except Exception as e:  # noqa: BLE001 - one slow page must not lose the others
                            print(f"FAIL {w}x{h} {lang} {name}: {str(e).splitlines()[0]}", flush=True)
                            continue
                        ok = wait_done(page)
                        if ok and page.locator(".js-plotly-plot").count():
                            try:
                                page.wait_for_selector(".js-plotly-plot .choroplethlayer path, .js-plotly-plot "
                                                       ".scatterlayer path", timeout=15_000)
                            except Exception:  # noqa: BLE001 - a page without a map: shoot what is there
                                pass
                            page.wait_for_timeout(800)
                        first = d / f"{name}.png"
                        page.screenshot(path=str(first))
                        full_h = page.evaluate("""() => {
                            const c = document.querySelector('[data-testid="stMainBlockContainer"]');
                            return c ? c.scrollHeight + 120 : document.body.scrollHeight; }""")
                        page.set_viewport_size({"width": w, "height": max(h, min(int(full_h), 12000))})
                        page.wait_for_timeout(600)
                        full = d / f"{name}_full.png"
                        page.screenshot(path=str(full), full_page=True)
                        page.set_viewport_size({"width": w, "height": h})
                        saved += [first, full]
                        print(f"{'ok ' if ok else 'SLOW'} {w}x{h} {lang} {name}", flush=True)
                    ctx.close()
        finally:
            browser.close()
    return saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="database to show (copied first); default: the configured one")
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    ap.add_argument("--langs", default="id,en")
    a = ap.parse_args()
    from ilp import config, demo
    src = a.db or config.db_path()
    if not Path(src).exists():
        demo.ensure_demo(Path(src))
    pages = {k: PAGES[k] for k in a.pages.split(",") if k in PAGES}
    sizes = [tuple(int(v) for v in s.split("x")) for s in a.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="pantau-shots-") as tmp:
        db = Path(tmp) / "ilp.duckdb"
        shutil.copyfile(src, db)
        port = free_port()
        proc = start_server(db, port)
        try:
            saved = shoot(f"http://127.0.0.1:{port}", pages, sizes, a.langs.split(","))
        finally:
            stop_server(proc)
    print(f"{len(saved)} screenshots under {OUT}")


if __name__ == "__main__":
    main()
