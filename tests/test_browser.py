"""Every page of the real app in headless Chromium (Debian's /usr/bin/chromium through Playwright), served as the
README starts it (streamlit run serve.py: app.py after a warm-up run of its first page):
no exception box, the Plotly map drawn where there is one, the English switch, the briefing download.
Full-page screenshots go to artifacts/screenshots/<page>.png for a human to look at."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
# page name -> URL path. Ringkasan is the default page: Streamlit serves it at "/" and ignores its url_path,
# so "/ringkasan" opens a "Page not found" dialog over the main page (reported to the lead).
PAGES = {"ringkasan": "", "peta": "peta", "stunting": "stunting", "fasilitas": "fasilitas", "spm": "spm",
         "kelola": "kelola"}
MAP_PAGES = {"ringkasan", "peta", "stunting"}
SHOTS = ROOT / "artifacts" / "screenshots"
START_TIMEOUT_S = 120  # serve.py answers after its warm-up run of the first page (ui.warm, at most 60 s)
RUN_TIMEOUT_S = 90
EDITOR_PASSWORD = "rahasia-uji-browser"
_SERVER: dict = {}  # the running server (process, log path), for failure messages


def _need_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI: {CHROMIUM} missing (install Debian's chromium)")
        pytest.skip(f"{CHROMIUM} missing")


def _server_note() -> str:
    """Why a page may not answer: is the server we started still running? (tail of its log)"""
    proc, log = _SERVER.get("proc"), _SERVER.get("log")
    if proc is None:
        return ""
    state = "running" if proc.poll() is None else f"EXITED with code {proc.returncode}"
    tail = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
    hint = (" ('Stopping...' = it received SIGTERM/SIGINT from outside this test, e.g. a pkill run elsewhere)"
            if proc.poll() is not None and "Stopping..." in tail else "")
    return f"\nstreamlit server {state}{hint}; log tail:\n{tail}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(demo_db, tmp_path_factory):
    _need_chromium()
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    import shutil
    db_file = log.parent / "demo.duckdb"   # the browser test imports: a copy, never the session's shared demo
    shutil.copy(demo_db, db_file)
    from ilp.passwords import hash_password
    env = dict(os.environ, ILP_DB=str(db_file), ILP_UPLOADS=str(log.parent / "uploads"),
               ILP_EDITORS="uji=" + hash_password(EDITOR_PASSWORD))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    _SERVER.update(proc=proc, log=log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on port {port} within {START_TIMEOUT_S} s:\n"
                            f"{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the group of the server we started (start_new_session)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _wait_done(page, settle_s: float = 1.5, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """The script has finished: the page title (h1) is shown and the 'running' status widget has been gone
    for settle_s."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        shown = page.locator('[data-testid="stMainBlockContainer"] h1').count() > 0
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0 or \
            page.locator('[data-testid="stSkeleton"]').count() > 0
        if running or not shown:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle_s:
            return
        page.wait_for_timeout(250)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "_timeout.png"))
    raise AssertionError(f"{page.url}: the page did not finish running in {timeout_s} s "
                         f"(screenshot {SHOTS / '_timeout.png'}; console: {page.console_errors[-5:]})"
                         + _server_note())


def _full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main container: grow the viewport to the content, then shoot."""
    h = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]') || document.body;
        const c = document.querySelector('[data-testid="stMainBlockContainer"]');
        return Math.max(m.scrollHeight, c ? c.scrollHeight + 120 : 0, 900);
    }""")
    page.set_viewport_size({"width": 1440, "height": min(int(h), 12000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)


def _open(page, url: str) -> None:
    try:
        page.goto(url, wait_until="domcontentloaded")
    except Exception as e:  # noqa: BLE001 - re-raised with the server's state
        raise AssertionError(f"{url}: {e}{_server_note()}") from e
    _wait_done(page)


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="id-ID")
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on("requestfailed", lambda r: pg.console_errors.append(f"request failed: {r.url[:200]} ({r.failure})"))
    pg.on("response", lambda r: pg.console_errors.append(f"HTTP {r.status}: {r.url[:200]}") if r.status >= 400 else None)
    yield pg
    ctx.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_in_browser(name, app_url, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open(page, f"{app_url}/{PAGES[name]}")
    if name in MAP_PAGES:
        # give plotly.js the time to draw the geo layer
        try:
            page.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=20_000)
        except Exception:  # noqa: BLE001 - reported by the assertion below, after the screenshot
            pass
    _full_screenshot(page, SHOTS / f"{name}.png")
    (SHOTS / f"{name}.console.txt").write_text("\n".join(page.console_errors), encoding="utf-8")
    assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').first.inner_text()[:500]
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()[:2000]
    assert page.get_by_text("DATA CONTOH").count() > 0, "demo banner missing"
    if name in MAP_PAGES:
        n = page.locator(".js-plotly-plot .choroplethlayer path").count()
        assert n > 0, (f"no choropleth drawn on /{name}; browser console errors: "
                       f"{page.console_errors[:5]}")


def test_server_warmed_the_first_page(app_url):
    """serve.py (the README's start command) ran the first page once before answering (ui.warm): its log says so,
    and the run had no error."""
    text = _SERVER["log"].read_text(errors="replace")
    assert "warm-up run of the first page: ok" in text, text[-3000:]


def test_english_switch(app_url, page):
    _open(page, f"{app_url}/?lang=en")
    assert page.get_by_text("SAMPLE DATA").count() > 0
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    _full_screenshot(page, SHOTS / "ringkasan_en.png")


def test_briefing_download(app_url, page):
    """The 'Unduh ringkasan (PDF)' button returns a PDF made on click."""
    _open(page, f"{app_url}/")
    btn = page.get_by_role("button", name="Unduh ringkasan (PDF)")
    btn.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as dl:
        btn.click()
    out = ROOT / "artifacts" / "ringkasan_dari_browser.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    dl.value.save_as(str(out))
    assert out.read_bytes()[:5] == b"%PDF-"
    assert dl.value.suggested_filename.endswith(".pdf")


def test_editor_login_and_upload_with_a_bad_row(app_url, page, tmp_path):
    """Kelola Data as an editor uses it: log in, upload a CSV saved by Indonesian Excel with one bad row,
    read the rejected-row report, import the valid rows, see the import in the log."""
    f = tmp_path / "target_kab.csv"
    f.write_bytes(("indikator;tahun;tingkat;kode_wilayah;nilai;dasar;sumber\r\n"
                   "stunting_prevalensi;2028;kabkota;99.01;13,8;RPJMD Kabupaten Contoh (fiktif);uji browser\r\n"
                   "stunting_prevalensi;2029;kabkota;99.01;abc;RPJMD Kabupaten Contoh (fiktif);uji browser\r\n"
                   ).encode("cp1252"))
    _open(page, f"{app_url}/kelola?jenis=target")   # the import kind is in the URL
    page.get_by_label("Nama pengguna").fill("uji")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk", exact=True).click()
    _wait_done(page)
    assert page.get_by_text("kata sandi salah").count() > 0
    page.get_by_label("Kata sandi").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    _wait_done(page)
    assert page.get_by_text("Masuk sebagai uji.").count() > 0
    page.locator('input[type="file"]').set_input_files(str(f))
    _wait_done(page)
    assert page.get_by_text("1 masalah ditemukan").count() > 0
    assert page.get_by_text("'abc' bukan angka").count() > 0
    page.get_by_role("button", name="Impor baris yang valid saja").click()
    _wait_done(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    _full_screenshot(page, SHOTS / "kelola_impor.png")
    assert page.get_by_text("1 baris diimpor (status: sebagian)").count() > 0
    assert page.locator('[data-testid="stException"]').count() == 0


_DECIMAL_POINT = r"^-?\d+\.\d{1,2}%?$"


def _shown_texts(page) -> list[str]:
    """Text a viewer reads in charts (SVG text of every Plotly figure) and tables (grid cells, where the grid
    exposes them)."""
    return page.evaluate("""() => [
        ...Array.from(document.querySelectorAll('.js-plotly-plot text')).map(e => e.textContent),
        ...Array.from(document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]')).map(e => e.textContent),
    ].map(s => (s || '').trim()).filter(s => s.length)""")


def _assert_indonesian_numbers(page, where: str) -> None:
    import re
    texts = _shown_texts(page)
    bad = [s for s in texts if re.search(r"\b(None|nan|NaN|inf|null)\b", s) or re.match(_DECIMAL_POINT, s)]
    assert not bad, f"{where}: {bad[:10]}"


def test_map_click_back_language_and_shared_link(app_url, page):
    """The view lives in the URL: a shared link opens it, a map click drills down, Back returns, the language
    switch relabels the widgets and keeps the view; no None/nan/inf or decimal point on screen in Indonesian."""
    from ilp.i18n import t
    # a shared link
    _open(page, f"{app_url}/peta?kec=99.01.02")
    assert "kec=99.01.02" in page.url and "lang=id" in page.url, page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=20_000)
    _assert_indonesian_numbers(page, "peta (link)")
    # back to the whole district, then a map click drills down
    _open(page, f"{app_url}/peta")
    page.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=20_000)
    before = page.url
    paths = page.locator(".js-plotly-plot .choroplethlayer path")
    paths.nth(min(2, paths.count() - 1)).click(force=True)
    page.wait_for_timeout(1500)
    _wait_done(page)
    assert "kec=" in page.url and page.url != before, f"a map click did not drill down: {page.url}"
    clicked = page.url
    _assert_indonesian_numbers(page, "peta (clicked)")
    # Back returns to the district view, and the select box follows
    page.go_back()
    page.wait_for_timeout(1500)
    _wait_done(page)
    assert "kec=" not in page.url or page.url != clicked, page.url
    # the language switch relabels the widgets and keeps the view
    page.go_forward()
    page.wait_for_timeout(1500)
    _wait_done(page)
    kec = [p for p in page.url.split("?", 1)[-1].split("&") if p.startswith("kec=")]
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_timeout(1500)
    _wait_done(page)
    assert "lang=en" in page.url, page.url
    if kec:
        assert kec[0] in page.url, (kec, page.url)
    assert page.get_by_text(t("umum.sumber_sasaran", "en")).count() + page.get_by_text(
        t("peta.indikator", "en")).count() > 0, "widgets not relabelled in English"
    assert page.get_by_text(t("peta.indikator", "id"), exact=True).count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "peta_en_after_switch.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
