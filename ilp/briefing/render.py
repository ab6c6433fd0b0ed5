"""Rendering Plotly figures to PNG without internet: kaleido driving a local Chromium (Debian's
/usr/bin/chromium, or $BROWSER_PATH), with an empty world topology served from a temporary folder."""
from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import plotly.graph_objects as go

from ilp.i18n import t

BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                      "/usr/bin/google-chrome-stable")
# Added to choreographer's own flags (which already include --headless, --no-sandbox, --disable-gpu,
# --no-first-run, --disable-component-update, --disable-sync): nothing may try to reach the internet.
EXTRA_CHROMIUM_FLAGS = ("--disable-background-networking", "--disable-quic", "--disable-default-apps",
                        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                        "--no-pings", "--mute-audio", "--hide-scrollbars")
RENDER_TIMEOUT_S = 90
# plotly.js always downloads a world topojson for a geo subplot (from cdn.plot.ly), even when the base
# map is hidden. Our maps draw only their own GeoJSON, so an empty topology served from a local folder
# is enough, and no request leaves the machine.
_EMPTY_TOPOJSON = {"type": "Topology", "arcs": [], "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "objects": {k: {"type": "GeometryCollection", "geometries": []}
                               for k in ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")}}


class RenderError(RuntimeError):
    """A chart could not be rendered to an image (no browser, browser failure, or a blank picture)."""


def find_browser() -> str:
    """$BROWSER_PATH if set (the variable choreographer/kaleido read), else a system Chromium/Chrome."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env
        raise RenderError(f"BROWSER_PATH={env!r} bukan berkas yang dapat dijalankan / is not an executable file.")
    for c in BROWSER_CANDIDATES:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if p := shutil.which(name):
            return p
    raise RenderError(
        "Grafik tidak dapat digambar: Chromium tidak ditemukan. Pasang paket Debian 'chromium' "
        "(apt-get install chromium) atau setel BROWSER_PATH ke Chrome/Chromium. "
        "/ Charts cannot be rendered: no Chromium found; install Debian's 'chromium' or set BROWSER_PATH.")


class _QuietByeFilter:
    """choreographer logs the wrapper's closing '{bye}' line as a JSON error with a traceback; drop it."""

    def filter(self, record) -> bool:
        return "JSONError decoding message" not in str(record.msg)


def _quiet_choreographer_logs() -> None:
    import logging
    lg = logging.getLogger("choreographer.channels.pipe")
    if not any(isinstance(f, _QuietByeFilter) for f in lg.filters):
        lg.addFilter(_QuietByeFilter())


def _offline_chromium_cls():
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        """choreographer's Chromium with flags that keep a closed network quiet."""

        def get_cli(self):
            return [*super().get_cli(), *EXTRA_CHROMIUM_FLAGS]

    return OfflineChromium


def _check_png(png: bytes, what: str) -> None:
    from PIL import Image, ImageStat
    if not png.startswith(b"\x89PNG"):
        raise RenderError(f"{what}: hasil gambar bukan PNG / rendered output is not a PNG.")
    im = Image.open(io.BytesIO(png)).convert("L")
    lo, hi = im.getextrema()
    if hi - lo < 16 or ImageStat.Stat(im).stddev[0] < 1.0:
        raise RenderError(f"{what}: gambar kosong (satu warna) / the rendered image is blank.")


def render_pngs(items: list[tuple[go.Figure, int, int]], scale: float = 3.0,
                timeout: float = RENDER_TIMEOUT_S) -> list[bytes]:
    """Render each (figure, width_px, height_px) to PNG bytes with one offline Chromium session.
    Raises RenderError when there is no browser, rendering fails, or an image comes out blank."""
    if not items:
        return []
    browser = find_browser()
    try:
        import kaleido
    except ImportError as e:  # pragma: no cover - kaleido is a dependency
        raise RenderError("Paket 'kaleido' tidak terpasang / kaleido is not installed.") from e
    browser_cls = _offline_chromium_cls()
    _quiet_choreographer_logs()
    figs = []
    for fig, w, h in items:
        f = go.Figure(fig)
        f.update_layout(width=w, height=h)
        figs.append((f.to_dict(), w, h))
    box: dict = {}
    with tempfile.TemporaryDirectory(prefix="ilp-topojson-") as d:
        for name in ("world_110m", "world_50m"):
            Path(d, f"{name}.json").write_text(json.dumps(_EMPTY_TOPOJSON), encoding="utf-8")
        topo_url = Path(d).as_uri() + "/"

        async def work() -> list[bytes]:
            out = []
            async with kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=browser,
                                       browser_cls=browser_cls, enable_sandbox=False, enable_gpu=False,
                                       enable_extensions=False, headless=True) as k:
                for fd, w, h in figs:
                    out.append(await k.calc_fig(fd, opts=dict(format="png", width=w, height=h, scale=scale),
                                                topojson=topo_url))
            return out

        def target() -> None:  # own thread + event loop: safe inside Streamlit, pytest or a notebook
            try:
                box["result"] = asyncio.run(work())
            except BaseException as e:  # noqa: BLE001 - handed to the caller below
                box["error"] = e

        th = threading.Thread(target=target, name="ilp-render", daemon=True)
        th.start()
        th.join(timeout * (len(figs) + 1) + 30)
    if th.is_alive():
        raise RenderError(f"Chromium ({browser}) tidak selesai menggambar dalam waktu / timed out.")
    if "error" in box:
        e = box["error"]
        raise RenderError(f"Grafik gagal digambar dengan {browser} / chart rendering failed: "
                          f"{type(e).__name__}: {e}") from e
    pngs = box["result"]
    for i, png in enumerate(pngs):
        _check_png(png, f"Grafik {i + 1}")
    return pngs


def render_png(fig: go.Figure, width: int, height: int, scale: float = 3.0) -> bytes:
    """One Plotly figure -> PNG bytes (width x height CSS pixels, times `scale`), offline."""
    return render_pngs([(fig, width, height)], scale=scale)[0]


def chart_images(d: dict) -> dict[str, bytes]:
    """Render the map and the trend chart (sized for the PDF boxes and slides) with one browser session."""
    """Render the map and the trend chart (sized for the PDF boxes) with one browser session."""
    items, keys = [], []
    if d["map_fig"] is not None:
        f = go.Figure(d["map_fig"])
        f.update_layout(template="plotly_white", font=dict(size=15), margin=dict(l=0, r=0, t=0, b=0),
                        legend=dict(font=dict(size=15), title=dict(text=d["indicator"].unit or "")))
        items.append((f, 710, 520))
        keys.append("map")
    if d["trend_fig"] is not None:
        f = go.Figure(d["trend_fig"])
        # on paper the national survey points keep their markers but not their labels, which would sit on top
        # of the district survey labels (same years)
        f.update_traces(selector=dict(name=t("stunting.survei_nasional", d["lang"])), mode="markers")
        f.update_layout(template="plotly_white", font=dict(size=14), margin=dict(l=10, r=10, t=10, b=10),
                        legend=dict(font=dict(size=13), orientation="h", yanchor="top", y=-0.12, x=0))
        items.append((f, 640, 520))
        keys.append("trend")
    return dict(zip(keys, render_pngs(items, scale=3.0)))
