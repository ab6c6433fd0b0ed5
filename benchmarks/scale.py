"""Scale benchmark (issue 14): a big kabupaten and a province database, built or reused, measured like a server.

    .venv/bin/python benchmarks/scale.py [--dir /tmp/pantau-ilp-bench] [--salinan 6] [--provinsi-kab 27] [--repeat 3]
                                         [--only kabupaten|provinsi] [--no-pages] [--no-browser] [--rebuild]

Databases (kept in --dir and reused on the next run unless --rebuild; build them one at a time):
- kabupaten_besar.duckdb: two demo districts (seeds 2024 and 3031) merged into one Kabupaten Contoh 99.01
  (ilp.demo.besar: the second half's kecamatan 99.01.xx become 99.01.(xx+50), its map east of the first),
  children replicated --salinan times: 34 kecamatan, 519 desa, 4.61 M measurements (built in 279 s, peak 5.1 GB).
- provinsi_<N>.duckdb: Provinsi Contoh (ilp.demo.provinsi) of --provinsi-kab demo kabupaten (27 -> ~10 M
  measurements: 10.1 M, 468 kecamatan, 6,808 desa, built in 679 s, peak 11.6 GB). Results: benchmarks/SCALE.md.
Both are written by ilp.demo.pipeline.write: one transaction, the facts computed as at import.

Measured per database, never in the process that built it (its memory holds the build):
- in a fresh child process (`--measure DB`): every dashboard query's p50/p95 (ms); each page's cold and warm
  script time (AppTest: the server's side), the payload it sends (bytes of the page's protobuf elements, Plotly
  figures included); every widget change listed in WIDGETS (one selectbox changed, the rerun's server time);
  the child's memory (RSS) after visiting every page;
- in a real browser (Playwright + Debian chromium) against `streamlit run serve.py` (the README's start command:
  app.py after one warm-up run of its first page, ui.warm) started for this database: the time until the server
  answers (its warm-up included), the first page after the server starts (Ringkasan: from the request until the
  page is drawn: title shown, no 'running' indicator or stale elements, chart present), every page's open time
  and the bytes the server sent over the websocket for it, the same widget changes timed from the click on the
  option until the page is redrawn, and the server's memory (RSS, and its peak) after visiting every page.
The goals (issue 14; printed with ok/over goal, not asserted): first page after start <= 3 s; any widget change
<= 1 s server time and <= 1.5 s until redrawn in the browser; no page payload over 2 MB; server memory <= 1 GB
after visiting every page.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ilp import db  # noqa: E402

PAGES = ["ringkasan", "provinsi", "peta", "stunting", "fasilitas", "spm", "mutu", "kelola"]
# one selectbox changed per line: (page, URL key of ui.common.url_select, i18n key of its label)
WIDGETS = [
    ("ringkasan", "ind", "ringkasan.peta_indikator"),
    ("provinsi", "kab", "provinsi.pilih_kabkota"),
    ("peta", "ind", "peta.indikator"),
    ("peta", "lapis", "peta.lapis"),
    ("peta", "kec", "umum.pilih_kecamatan"),
    ("stunting", "kec", "umum.pilih_kecamatan"),
    ("stunting", "periode", "stunting.ronde"),
    ("spm", "bulan", "spm.sd_bulan"),
    ("mutu", "periode", "mutu.ronde"),
    ("kelola", "jenis", "kelola.jenis"),
]
GOAL_FIRST_PAGE_S = 3.0
REPEAT_BUDGET_MS = 5000
GOAL_WIDGET_S = 1.0
GOAL_WIDGET_BROWSER_S = 1.5
GOAL_PAYLOAD_MB = 2.0
GOAL_MEMORY_MB = 1024
CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def ok(value: float, goal: float) -> str:
    return "ok" if value <= goal else "OVER GOAL"


# ---------------------------------------------------------------- building

def build_kabupaten(path: Path, salinan: int) -> float:
    from ilp.demo import besar
    t0 = time.perf_counter()
    besar.build(path, salinan=salinan)
    return time.perf_counter() - t0


def build_provinsi(path: Path, n_kab: int, seed: int = 2024) -> float:
    from ilp.demo import provinsi
    t0 = time.perf_counter()
    provinsi.build(path, n_kab=n_kab, seed=seed)
    return time.perf_counter() - t0


# ---------------------------------------------------------------- measuring in a fresh child process

def example_params(con) -> dict:
    meta = dict(con.execute("select key, value from meta").fetchall())
    kab = meta.get("kode_kab", "99.01")
    kec = con.execute("select min(kode) from wilayah where level = 'kecamatan' and kode_kab = $k", {"k": kab}).fetchall()[0][0]
    per = con.execute("select max(periode) from fakta_stunting_desa where kode_kab = $k and jenis = 'ronde'",
                      {"k": kab}).fetchall()[0][0] or "2026-02"
    ym = con.execute("select max(tahun), max(bulan) from fakta_spm").fetchall()[0]
    return {"kab": kab, "kec": kec, "periode": per, "tahun": ym[0] or 2026, "bulan": ym[1] or 1,
            "sumber_sasaran": "PUSDATIN", "kode": [kec], "jenis": None, "level": "kecamatan", "tabel": "faskes",
            "prov": kab[:2]}


def time_queries(con, repeat: int) -> list[tuple[str, float, float]]:
    params = example_params(con)
    out = []
    for key, q in sorted(db.queries().items()):
        if key.startswith("ingest/") or any(p not in params for p in q.params):
            continue
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            try:
                db.run(con, key, **{p: params[p] for p in q.params})
            except Exception as e:  # a query that fails here is reported, not hidden
                print(f"  query {key}: ERROR {type(e).__name__}: {str(e)[:120]}")
                break
            times.append((time.perf_counter() - t0) * 1000)
            if times[-1] > REPEAT_BUDGET_MS:   # a slow query is timed once: its p50 = p95 = that run
                break
        if times:
            ts = sorted(times)
            p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]
            out.append((key, statistics.median(ts), p95))
    return out


def _payload(node) -> int:
    """Bytes of the protobuf messages of an AppTest element tree (what the server sends for the page)."""
    total = 0
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        total += proto.ByteSize()
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for c in children.values():
            total += _payload(c)
    return total


SEEN_OPTIONS: dict[str, list] = {}


def _alerts(at) -> list[str]:
    """Errors and warnings on the page (a part that hit the time limit says so in place of its content)."""
    try:
        return [str(e.value)[:90] for e in list(at.error) + list(at.warning)
                if not str(e.value).startswith(("DATA CONTOH", "SAMPLE DATA"))]   # the demo banner
    except Exception:  # noqa: BLE001 - a diagnostic only
        return []


def _record_selectbox_options() -> None:
    """AppTest shows a selectbox's options only as formatted labels; to choose one as a user does (set_value of
    the raw option), the raw options are recorded per widget key as the page creates the box."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator
    orig = DeltaGenerator.selectbox

    def selectbox(self, label, options=(), *args, **kwargs):
        if kwargs.get("key"):
            SEEN_OPTIONS[kwargs["key"]] = list(options)
        return orig(self, label, options, *args, **kwargs)
    DeltaGenerator.selectbox = selectbox
    st.selectbox = lambda *a, **k: selectbox(st._main, *a, **k)


def measure(path: Path, repeat: int, pages: bool) -> dict:
    """Queries, pages and widget changes in this (fresh) process; prints as it goes, returns the figures."""
    res: dict = {"queries": [], "pages": {}, "widgets": {}}
    con = db.connect(path, read_only=True)
    try:
        for t in ("pengukuran", "fakta_ukur_ronde", "fakta_stunting_desa", "faskes"):
            res[f"rows_{t}"] = con.execute("select count(*) from " + t).fetchall()[0][0]  # noqa: S608 - fixed names
        for lvl in ("kecamatan", "desa"):
            res[f"n_{lvl}"] = con.execute("select count(*) from wilayah where level = $l", {"l": lvl}).fetchall()[0][0]
        res["n_kabkota"] = con.execute("select count(distinct kode_kab) from wilayah where level = 'desa'").fetchall()[0][0]
        print(" ".join(f"{k}={v}" for k, v in res.items() if k.startswith(("rows_", "n_"))), flush=True)
        print("query_ms (p50, p95):", flush=True)
        for key, p50, p95 in time_queries(con, repeat):
            print(f"  {key}: {p50:.0f} {p95:.0f}", flush=True)
            res["queries"].append((key, p50, p95))
    finally:
        con.close()
    if not pages:
        return res
    from streamlit.testing.v1 import AppTest
    _record_selectbox_options()
    os.environ["ILP_DB"] = str(path)
    print("apptest page_seconds cold, warm; payload_kb; widget changes (server s):", flush=True)
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        size = _payload(at._tree) if hasattr(at, "_tree") else -1
        if at.exception:
            print(f"  page {page}: EXCEPTION {str(at.exception[0].value)[:200]}", flush=True)
        shown = _alerts(at)
        if shown:
            print(f"  page {page}: shows {shown}", flush=True)
        res["pages"][page] = (cold, warm, size)
        print(f"  {page}: cold {cold:.2f} warm {warm:.2f} payload {size / 1000:.0f} kB", flush=True)
        for wpage, key, _label in WIDGETS:
            if wpage != page:
                continue
            try:
                sb = at.selectbox(key=f"w_{key}")
            except KeyError:
                print(f"    widget {key}: not on this page here", flush=True)
                continue
            raw = SEEN_OPTIONS.get(f"w_{key}", [])
            i = next((j for j in range(len(sb.options)) if j != sb.index), None)
            if i is None or len(raw) != len(sb.options):
                continue
            t0 = time.perf_counter()
            sb.set_value(raw[i]).run()   # as a user's choice: the widget's on_change puts it in the URL, then reruns
            dt = time.perf_counter() - t0
            shown = _alerts(at)
            if shown:
                print(f"    widget {key}: page shows {shown}", flush=True)
            if at.exception:
                print(f"    widget {key}: EXCEPTION {str(at.exception[0].value)[:200]}", flush=True)
            res["widgets"][f"{page}.{key}"] = dt
            print(f"    widget {key} -> {sb.options[i]!s:.40}: {dt:.2f} s ({ok(dt, GOAL_WIDGET_S)})", flush=True)
    res["rss_mb"] = rss_mb()
    print(f"  child memory after every page: {res['rss_mb']:.0f} MB", flush=True)
    return res


def measure_in_child(path: Path, repeat: int, pages: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", str(path), "--repeat", str(repeat)]
    if not pages:
        cmd.append("--no-pages")
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = {}
    for line in p.stdout:
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
        else:
            print(line, end="", flush=True)
    p.wait()
    return out


# ---------------------------------------------------------------- measuring in the browser

def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _busy(page) -> bool:
    return (page.locator('[data-testid="stStatusWidget"]').count() > 0
            or page.locator('[data-testid="stSkeleton"]').count() > 0
            or page.locator('[data-stale="true"]').count() > 0
            or page.locator('[data-testid="stMainBlockContainer"] h1').count() == 0)


def _wait_drawn(page, t0: float, chart: bool, settle: float = 0.6, timeout: float = 300.0,
                need_busy: bool = False) -> float:
    """Seconds from t0 until the page is drawn: not busy (and a chart present when `chart`, unless a part says it
    failed in its place), and staying so for
    `settle` s (the returned time is when that quiet state began). `need_busy`: after a widget change, wait to
    see the rerun start (or 2 s without one) before accepting a quiet state."""
    seen = not need_busy
    quiet_since = None
    while time.perf_counter() - t0 < timeout:
        now = time.perf_counter()
        busy = _busy(page) or (chart and page.locator(".js-plotly-plot").count() == 0
                                and page.locator('[data-testid="stAlert"], [data-testid="stException"]').count() == 0)
        if busy:
            seen, quiet_since = True, None
        elif quiet_since is None:
            quiet_since = now
        elif (seen or now - t0 > 2.0) and now - quiet_since >= settle:
            return quiet_since - t0
        page.wait_for_timeout(50)
    return float("inf")


CHART_PAGES = {"ringkasan", "peta", "stunting", "spm", "provinsi"}


def browser_measure(path: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from ilp.i18n import t
    res: dict = {"pages": {}, "widgets": {}}
    if not Path(CHROMIUM).exists():
        print("browser: skipped (no chromium)")
        return res
    port = _free_port()
    log = Path(tempfile.gettempdir()) / f"scale_server_{port}.log"
    env = dict(os.environ, ILP_DB=str(path), ILP_UPLOADS=str(path.parent / "uploads"))
    t_start = time.perf_counter()
    with open(log, "w") as lf:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
                                 "--server.headless", "true", "--server.port", str(port), "--server.address",
                                 "127.0.0.1", "--browser.gatherUsageStats", "false",
                                 "--server.fileWatcherType", "none"],
                                cwd=ROOT, env=env, stdout=lf, stderr=subprocess.STDOUT)
    try:
        import urllib.request
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except Exception:  # noqa: BLE001 - not up yet
                if proc.poll() is not None or time.perf_counter() - t_start > 120:
                    raise SystemExit(f"server did not start (log {log})")
                time.sleep(0.2)
        res["server_start_s"] = time.perf_counter() - t_start
        print(f"browser: server answering after {res['server_start_s']:.1f} s; RSS {rss_mb(proc.pid):.0f} MB", flush=True)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            ctx = b.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
            page = ctx.new_page()
            received = [0]

            def on_ws(ws):
                ws.on("framereceived", lambda payload: received.__setitem__(
                    0, received[0] + len(payload if isinstance(payload, (bytes, bytearray)) else payload.encode())))
            page.on("websocket", on_ws)
            for name in PAGES:
                received[0] = 0
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{name}", wait_until="domcontentloaded")
                dt = _wait_drawn(page, t0, chart=name in CHART_PAGES)
                kb = received[0] / 1000
                exc = page.locator('[data-testid="stException"]').count()
                res["pages"][name] = (dt, kb)
                label = "first page after server start" if name == PAGES[0] else "page open"
                print(f"  {name}: {label} {dt:.2f} s, websocket {kb:.0f} kB" + (" EXCEPTION shown" if exc else ""),
                      flush=True)
                for wpage, key, label_key in WIDGETS:
                    if wpage != name:
                        continue
                    box = page.locator('[data-testid="stSelectbox"]').filter(   # main area or sidebar
                        has_text=t(label_key, "id"))
                    if box.count() == 0:
                        print(f"    widget {key}: not on this page here", flush=True)
                        continue
                    opts = page.locator('[role="listbox"] [role="option"]')
                    for target_sel in ('[data-baseweb="select"]', 'input', 'svg'):
                        try:
                            box.first.scroll_into_view_if_needed(timeout=5_000)
                            box.first.locator(target_sel).first.click(timeout=5_000)
                            opts.first.wait_for(timeout=5_000)
                            break
                        except Exception:  # noqa: BLE001 - try the next part of the box
                            page.keyboard.press("Escape")
                    else:
                        print(f"    widget {key}: could not open its list in the browser", flush=True)
                        continue
                    target = None
                    for i in range(opts.count()):
                        if opts.nth(i).get_attribute("aria-selected") != "true":
                            target = opts.nth(i)
                            break
                    if target is None:
                        page.keyboard.press("Escape")
                        continue
                    text = target.inner_text()
                    received[0] = 0
                    t0 = time.perf_counter()
                    target.click()
                    dt = _wait_drawn(page, t0, chart=name in CHART_PAGES, need_busy=True)
                    res["widgets"][f"{name}.{key}"] = (dt, received[0] / 1000)
                    print(f"    widget {key} -> {text[:40]}: redrawn {dt:.2f} s ({ok(dt, GOAL_WIDGET_BROWSER_S)}), "
                          f"websocket {received[0] / 1000:.0f} kB", flush=True)
            res["server_rss_mb"] = rss_mb(proc.pid)
            res["server_peak_mb"] = rss_mb(proc.pid, "VmHWM")
            print(f"  server memory after every page: {res['server_rss_mb']:.0f} MB (peak {res['server_peak_mb']:.0f} MB)",
                  flush=True)
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return res


# ---------------------------------------------------------------- the summary

def summary(name: str, build_s: float | None, m: dict, br: dict) -> list[str]:
    lines = [f"-- {name}: measurements {m.get('rows_pengukuran', 0) / 1e6:.2f} M, kab/kota {m.get('n_kabkota')}, "
             f"kecamatan {m.get('n_kecamatan')}, desa {m.get('n_desa')}; build "
             + (f"{build_s:.0f} s" if build_s is not None else "reused")]
    if br.get("server_start_s") is not None:
        lines.append(f"server start until it answers (warm-up of the first page included): {br['server_start_s']:.2f} s")
    if br.get("pages"):
        first = br["pages"][PAGES[0]][0]
        lines.append(f"first page after start (Ringkasan, browser): {first:.2f} s  goal <= {GOAL_FIRST_PAGE_S:g} s  "
                     f"{ok(first, GOAL_FIRST_PAGE_S)}")
    for page, (cold, warm, size) in m.get("pages", {}).items():
        lines.append(f"page {page}: script cold {cold:.2f} s, warm {warm:.2f} s; payload {size / 1e6:.2f} MB  "
                     f"goal <= {GOAL_PAYLOAD_MB:g} MB  {ok(size / 1e6, GOAL_PAYLOAD_MB)}")
    for page, (dt, kb) in br.get("pages", {}).items():
        lines.append(f"browser {page}: open {dt:.2f} s; websocket {kb / 1000:.2f} MB  goal <= {GOAL_PAYLOAD_MB:g} MB  "
                     f"{ok(kb / 1000, GOAL_PAYLOAD_MB)}")
    for w, dt in m.get("widgets", {}).items():
        lines.append(f"widget {w}: server {dt:.2f} s  goal <= {GOAL_WIDGET_S:g} s  {ok(dt, GOAL_WIDGET_S)}")
    for w, (dt, kb) in br.get("widgets", {}).items():
        lines.append(f"widget {w}: redrawn in browser {dt:.2f} s  goal <= {GOAL_WIDGET_BROWSER_S:g} s  "
                     f"{ok(dt, GOAL_WIDGET_BROWSER_S)}")
    if "rss_mb" in m:
        lines.append(f"memory after every page (AppTest child): {m['rss_mb']:.0f} MB  goal <= {GOAL_MEMORY_MB} MB  "
                     f"{ok(m['rss_mb'], GOAL_MEMORY_MB)}")
    if "server_rss_mb" in br:
        lines.append(f"memory after every page (streamlit server): {br['server_rss_mb']:.0f} MB, peak "
                     f"{br['server_peak_mb']:.0f} MB  goal <= {GOAL_MEMORY_MB} MB  {ok(br['server_rss_mb'], GOAL_MEMORY_MB)}")
    slow = sorted(m.get("queries", []), key=lambda r: -r[2])[:5]
    if slow:
        lines.append("slowest queries p50/p95 ms: " + ", ".join(f"{k} {a:.0f}/{b:.0f}" for k, a, b in slow))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "pantau-ilp-bench"))
    ap.add_argument("--salinan", type=int, default=6, help="copies of the big kabupaten's children")
    ap.add_argument("--provinsi-kab", type=int, default=27)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=("kabupaten", "provinsi"))
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--measure", help=argparse.SUPPRESS)   # internal: measure this database in this process
    a = ap.parse_args(argv)
    if a.measure:
        print("RESULT " + json.dumps(measure(Path(a.measure), a.repeat, not a.no_pages)), flush=True)
        return 0
    d = Path(a.dir)
    d.mkdir(parents=True, exist_ok=True)
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load: {Path('/proc/loadavg').read_text().strip()}")
    todo = []
    if a.only in (None, "kabupaten"):
        todo.append(("kabupaten besar", d / "kabupaten_besar.duckdb", lambda p: build_kabupaten(p, a.salinan)))
    if a.only in (None, "provinsi"):
        todo.append(("provinsi", d / f"provinsi_{a.provinsi_kab}.duckdb", lambda p: build_provinsi(p, a.provinsi_kab)))
    out = []
    for name, p, build in todo:
        b = build(p) if (a.rebuild or not p.exists()) else None
        print(f"\n== {name}: {p} (build {'reused' if b is None else f'{b:.0f} s'})", flush=True)
        m = measure_in_child(p, a.repeat, not a.no_pages)
        br = {} if (a.no_pages or a.no_browser) else browser_measure(p)
        out += [""] + summary(name, b, m, br)
    print("\n== summary (goals of issue 14)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
