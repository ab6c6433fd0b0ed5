"""The Bupati/Sekda briefing: an A4 landscape PDF (fpdf2) of two pages, and a PowerPoint deck.

Page 1: district, "data per" date, DATA CONTOH mark, the headline figures (value, target, status, source)
and the five kecamatan most in need with the rule that ranks them.
Page 2: the kecamatan map of routine stunting prevalence, the stunting trend against the target path
(survey and routine never joined), and every source used.

Charts are the same Plotly figures as the Ringkasan page, rendered to PNG offline by kaleido driving a
local Chromium (Debian's /usr/bin/chromium, or $BROWSER_PATH). Never imports streamlit.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

import plotly.graph_objects as go
import polars as pl

from ilp import content, db, summary
from ilp.i18n import fmt_date, fmt_num, fmt_periode, t

Run = Callable[..., pl.DataFrame]

# ---------------------------------------------------------------------------------------------------------
# Rendering Plotly figures to PNG without internet
# ---------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------
# Data for the briefing (the same calls as pages/ringkasan.py)
# ---------------------------------------------------------------------------------------------------------

def _runner(con) -> Run:
    return lambda key, **p: db.run(con, key, **p)


def _district(run: Run, kab: str | None) -> tuple[str, str, dict]:
    meta = dict(run("wilayah/meta").iter_rows())
    info = run("wilayah/info_kab")
    if info.height == 0:
        raise ValueError("Basis data belum berisi kabupaten/kota / the database holds no district yet.")
    codes = info["kode"].to_list()
    if kab is None:
        kab = meta.get("kode_kab") if meta.get("kode_kab") in codes else codes[0]
    if kab not in codes:
        raise ValueError(f"Kode kab/kota {kab!r} tidak ada di basis data (ada: {', '.join(codes)}).")
    nama = info.filter(pl.col("kode") == kab)["nama"][0]
    return kab, nama, meta


def data_per_text(d: dict) -> str:
    """'Data per': the database's own date if set, else the latest complete round of the routine data
    (the period the figures describe, not the day they were imported)."""
    L = d["lang"]
    if d.get("data_per"):
        return fmt_date(d["data_per"], L)
    return fmt_periode(d["periode"], L) if d.get("periode") else "–"


def collect(con, kab: str | None = None, lang: str = "id") -> dict:
    """Everything the briefing shows: the Ringkasan content model (ilp.content.build, the same cards,
    ranking, map and trend as the page) plus plain data for the sources; no rendering."""
    run = _runner(con)
    kab, nama, meta = _district(run, kab)
    model = content.build(run, kab, lang)
    map_fig = model.map.figure(lang, labels=True)
    return dict(kab=kab, nama=nama, meta=meta, is_demo=meta.get("is_demo") == "1", data_per=meta.get("data_per"),
                headlines=model.cards, priority=model.ranking, periode=model.map.periode, map_fig=map_fig,
                map_source=model.map.source, routine_label=model.routine.label(lang),
                trend_fig=model.trend.figure(lang), trend=model.trend.trend, survey=model.trend.survey,
                targets=run("stunting/target", kab=kab), indicator=model.map.indicator,
                spm=summary.latest_spm(run), lang=lang)


def sources(d: dict) -> list[str]:
    """One line per source used: e-PPGBM round, surveys, the legal basis of each target, SPM, facilities."""
    lang = d["lang"]
    out: list[str] = []
    def bare(s: str) -> str:  # the section is titled "Sumber": drop the "Sumber: " each card line starts with
        return re.sub(r"^(Sumber|Source)\s*:\s*", "", s)

    for h in d["headlines"]:
        if h["key"] == "stunting_rutin":
            out.append(bare(h["source"]))
    sv = d["survey"]
    if sv.height:
        for (tingkat, sumber), g in sv.group_by(["tingkat", "sumber"], maintain_order=True):
            which = ", ".join(f"{s} {y}" for s, y in zip(g["survei"].to_list(), g["tahun"].to_list()))
            out.append(t("brief.src_survei", lang, daftar=which, tingkat=t(f"brief.tingkat_{tingkat}", lang),
                         sumber=sumber or "–"))
    tg = d["targets"]
    if tg.height:
        for (dasar, sumber), g in tg.group_by(["dasar", "sumber"], maintain_order=True):
            yrs = ", ".join(str(y) for y in g["tahun"].to_list())
            tk = t(f"brief.tingkat_{g['tingkat'][0]}", lang)
            out.append(t("brief.src_target", lang, dasar=dasar or "–", tingkat=tk, tahun=yrs, sumber=sumber or "–"))
        out.append(t("brief.src_interpolasi", lang))
    for h in d["headlines"]:
        if h["key"] == "spm_rata2":
            out.append(bare(h["source"]))
    for h in d["headlines"]:
        if h.get("project"):
            out.append(t("brief.src_fasilitas", lang))
            break
    ind = d["indicator"]
    if d["map_fig"] is not None:
        out.append(t("brief.src_peta", lang, denom=ind.denominator_text(lang), kelas=ind.legend_source or "–"))
    out.append(t("brief.src_data_per", lang, tanggal=data_per_text(d),
                 dibuat=fmt_date(dt.date.today(), lang)))
    return out


# ---------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"
STATUS_RGB = {k: c for k, (c, _) in summary.STATUS_STYLE.items()}  # the one status colour set
INK = "#1f2933"
MUTED = "#5f6b76"
DEMO_RED = "#c62828"
# characters DejaVu Sans lacks, and what to print instead
REPLACE = {"\u24df": "(P)", "✅": "", "⛔": "", "⚠️": "", "\ufe0f": "", "🧪": "", "⬇️": "", "ℹ️": ""}

PAGE_W, PAGE_H, M = 297.0, 210.0, 10.0


def _font_paths() -> tuple[Path, Path]:
    reg, bold = FONT_DIR / FONT_REGULAR, FONT_DIR / FONT_BOLD
    if not reg.is_file() or not bold.is_file():
        raise FileNotFoundError(f"Font DejaVu Sans tidak ditemukan di {FONT_DIR} (pasang paket Debian "
                                "fonts-dejavu-core) / DejaVu Sans fonts missing.")
    return reg, bold


@lru_cache(maxsize=4)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(path).getBestCmap())


def clean_text(s: str, font_path: str | None = None) -> str:
    """Replace characters the font cannot draw (circled p U+24DF -> (P), emoji dropped)."""
    for a, b in REPLACE.items():
        s = s.replace(a, b)
    cmap = _cmap(font_path or str(_font_paths()[0]))
    out = []
    for ch in s:
        if ord(ch) in cmap or ch in "\n\t":
            out.append(ch)
            continue
        alt = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in alt if ord(c) in cmap))
    return "".join(out)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _new_pdf():
    from fpdf import FPDF
    reg, bold = _font_paths()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(M, M, M)
    pdf.add_font("DejaVu", "", str(reg))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.c_margin = 0.8
    return pdf


class _Doc:
    """Small layout helpers on top of fpdf2 (absolute positions in mm)."""

    def __init__(self, pdf, lang: str):
        self.pdf = pdf
        self.lang = lang
        self.font_path = str(_font_paths()[0])

    def text(self, s: str) -> str:
        return clean_text(s, self.font_path)

    def box(self, x, y, w, h, s, size=12.0, min_size=None, bold=False, color=INK, align="L",
            line=1.18) -> float:
        """Write s inside the box (x, y, w, h), shrinking the type down to min_size to fit; lines that
        still do not fit are cut with an ellipsis. Returns the height used."""
        pdf = self.pdf
        s = self.text(s)
        min_size = min_size or size
        pdf.set_text_color(*_rgb(color))
        size_ = size
        while True:
            pdf.set_font("DejaVu", "B" if bold else "", size_)
            lh = size_ * 0.3528 * line
            lines = pdf.multi_cell(w, lh, s, dry_run=True, output="LINES", align=align)
            if len(lines) * lh <= h + 0.01 or size_ <= min_size:
                break
            size_ = max(min_size, size_ - 0.5)
        maxl = max(1, int((h + 0.01) // lh))
        if len(lines) > maxl:
            lines = lines[:maxl]
            last = lines[-1]
            while last and pdf.get_string_width(last + "…") > w - 2 * pdf.c_margin:
                last = last[:-1]
            lines[-1] = last.rstrip() + "…"
        for i, ln in enumerate(lines):
            pdf.set_xy(x, y + i * lh)
            pdf.cell(w, lh, ln, align=align)
        return len(lines) * lh

    def rect(self, x, y, w, h, fill: str, stroke: str | None = None, radius: float = 0):
        pdf = self.pdf
        pdf.set_fill_color(*_rgb(fill))
        if stroke:
            pdf.set_draw_color(*_rgb(stroke))
            pdf.set_line_width(0.3)
        style = "DF" if stroke else "F"
        if radius:
            pdf.rect(x, y, w, h, style=style, round_corners=True, corner_radius=radius)
        else:
            pdf.rect(x, y, w, h, style=style)


def _header(doc: _Doc, d: dict, title: str, big: bool) -> float:
    """Title line, district and date, DATA CONTOH stamp. Returns the y where content starts."""
    L = d["lang"]
    right_w = 70.0 if d["is_demo"] else 0.0
    w = PAGE_W - 2 * M - right_w - 4
    if big:
        doc.box(M, M, w, 11, f"{d['nama']} — {title}", size=22, min_size=15, bold=True)
        per = data_per_text(d)
        doc.box(M, M + 11.5, w, 7, f"{t('umum.data_per', L)} {per}  ·  {t('brief.kode', L)} {d['kab']}",
                size=13, color=MUTED)
        top = M + 21
    else:
        per = data_per_text(d)
        doc.box(M, M, w, 8, f"{d['nama']} — {title}", size=16, min_size=12, bold=True)
        doc.box(M, M + 8.5, w, 6, f"{t('umum.data_per', L)} {per}", size=11, color=MUTED)
        top = M + 16
    if d["is_demo"]:
        top = max(top, M + 18)
        x = PAGE_W - M - right_w
        doc.rect(x, M, right_w, 10, DEMO_RED)
        doc.box(x, M + 1.6, right_w, 7, t("brief.data_contoh", L), size=17, bold=True, color="#ffffff", align="C")
        doc.box(x, M + 10.8, right_w, 6.5, t("brief.data_contoh_note", L), size=7.5, min_size=6, color=DEMO_RED,
                align="C", line=1.05)
    doc.pdf.set_draw_color(*_rgb("#c8ced3"))
    doc.pdf.set_line_width(0.4)
    doc.pdf.line(M, top, PAGE_W - M, top)
    return top + 3


def _cards(doc: _Doc, d: dict, y0: float, card_h: float = 48.0) -> float:
    L = d["lang"]
    heads = d["headlines"][:6]
    cols, gap = 3, 4.0
    cw = (PAGE_W - 2 * M - (cols - 1) * gap) / cols
    for i, h in enumerate(heads):
        x = M + (i % cols) * (cw + gap)
        y = y0 + (i // cols) * (card_h + gap)
        color = STATUS_RGB.get(h["status"], STATUS_RGB["abu"])
        doc.rect(x, y, cw, card_h, "#f6f7f8")
        doc.rect(x, y, 3.2, card_h, color)
        ix, iw = x + 6, cw - 8
        label = h["label"] + (" (P)" if h.get("project") else "")
        doc.box(ix, y + 2.5, iw, 10.5, label, size=13, min_size=10, bold=True)
        doc.box(ix, y + 13, iw * 0.55, 13, h["text"], size=32, min_size=22, bold=True, color=color)
        doc.box(ix + iw * 0.55, y + 14.5, iw * 0.45, 11, t(f"brief.status_{h['status']}", L), size=12,
                min_size=9, bold=True, color=color, align="R")
        yy = y + 27
        if h.get("target_text"):  # up to two lines: a target keeps its legal basis (e.g. Perpres 72/2021)
            yy += doc.box(ix, yy, iw, 8.2, h["target_text"], size=10.5, min_size=8.5)
        if h.get("weakest"):
            weak = t("ringkasan.terlemah", L) + ": " + "; ".join(f"{n} {fmt_num(v, 0, L)}%" for n, v in h["weakest"])
            yy += doc.box(ix, yy + 0.3, iw, 6.2, weak, size=8, min_size=7, color=INK, line=1.1) + 0.3
        if h.get("notes"):  # the recap cross-check and provisional rounds, as on the page
            yy += doc.box(ix, yy + 0.3, iw, 6.2, " · ".join(h["notes"]), size=7.5, min_size=6.5, color=INK,
                          line=1.1) + 0.3
        doc.box(ix, yy + 0.5, iw, y + card_h - yy - 1.3, h["source"], size=8, min_size=6.5, color=MUTED, line=1.1)
    rows = math.ceil(len(heads) / cols) if heads else 0
    return y0 + rows * (card_h + gap) - gap


def _priority_table(doc: _Doc, d: dict, y0: float, bottom: float) -> float:
    L = d["lang"]
    pdf = doc.pdf
    doc.box(M, y0, PAGE_W - 2 * M, 8, t("ringkasan.prioritas", L), size=15, bold=True)
    y = y0 + 8.5
    cols = [("peringkat", t("brief.kol_peringkat", L), 25, 0),
            ("nama", t("brief.kol_kecamatan", L), 62, None),
            ("prevalensi_pct", t("brief.kol_stunting", L), 45, 1),
            ("desa_pustu_pct", t("brief.kol_desa_pustu", L), 45, 1),
            ("pustu_lengkap_pct", t("brief.kol_pustu_lengkap", L), 52, 1),
            ("spm_rata2_pct", t("brief.kol_spm", L), 55, 1)]
    total = sum(c[2] for c in cols)
    scale = (PAGE_W - 2 * M) / total
    widths = [c[2] * scale for c in cols]
    rule_h = 7.5
    n = d["priority"].height
    head_h = 9.0
    row_h = min(7.6, max(5.5, (bottom - y - head_h - rule_h - 1) / max(n, 1)))
    x = M
    doc.rect(M, y, PAGE_W - 2 * M, head_h, "#e4e8ec")
    for (key, label, _, _), w in zip(cols, widths):
        doc.box(x + 1, y + 0.6, w - 2, head_h - 1, label, size=10, min_size=8, bold=True,
                align="L" if key == "nama" else "C", line=1.05)
        x += w
    y += head_h
    for i, r in enumerate(d["priority"].iter_rows(named=True)):
        if i % 2:
            doc.rect(M, y, PAGE_W - 2 * M, row_h, "#f6f7f8")
        x = M
        for (key, _, _, dec), w in zip(cols, widths):
            v = r.get(key)
            if key == "nama":
                s = str(v or r.get("kode") or "–")
            elif key == "peringkat":
                s = str(v)
            else:
                s = fmt_num(v, dec, L) + ("%" if v is not None else "")
            doc.box(x + 1, y + (row_h - 12 * 0.3528 * 1.18) / 2, w - 2, row_h, s, size=12,
                    bold=key in ("peringkat", "nama"), align="L" if key == "nama" else "C")
            x += w
        y += row_h
    pdf.set_draw_color(*_rgb("#c8ced3"))
    pdf.line(M, y, PAGE_W - M, y)
    y += 1.2
    y += doc.box(M, y, PAGE_W - 2 * M, rule_h, t("ringkasan.aturan_prioritas", L), size=8.5, min_size=7, color=MUTED,
                 line=1.1)
    return y


def _charts_page(doc: _Doc, d: dict, y0: float, images: dict[str, bytes]) -> float:
    L = d["lang"]
    pdf = doc.pdf
    gap = 6.0
    map_w = 142.0
    tr_w = PAGE_W - 2 * M - map_w - gap
    img_h = 104.0
    y = y0
    per = fmt_periode(d["periode"], L) if d["periode"] else "–"
    doc.box(M, y, map_w, 7, t("brief2.judul_peta", L, label=d["routine_label"], periode=per), size=13, min_size=10, bold=True)
    doc.box(M + map_w + gap, y, tr_w, 7, t("brief.judul_tren", L), size=13, min_size=10, bold=True)
    y += 7.5
    if "map" in images:
        pdf.image(io.BytesIO(images["map"]), x=M, y=y, w=map_w, h=img_h)
    else:
        doc.box(M, y + img_h / 2 - 4, map_w, 8, t("umum.tidak_ada_data", L), size=12, color=MUTED, align="C")
    if "trend" in images:
        pdf.image(io.BytesIO(images["trend"]), x=M + map_w + gap, y=y, w=tr_w, h=img_h)
    else:
        doc.box(M + map_w + gap, y + img_h / 2 - 4, tr_w, 8, t("umum.tidak_ada_data", L), size=12, color=MUTED,
                align="C")
    y += img_h + 1
    ind = d["indicator"]
    h1 = doc.box(M, y, map_w, 10, d["map_source"] + " " + t("brief2.abu_abu", L), size=8.5, min_size=7,
                 color=MUTED)
    tr = d["trend"]
    ket = t("brief.ket_tren", L)
    if tr.get("slope_per_year") is not None and tr.get("proj_value") is not None:
        ket = t("stunting.laju", L, laju=fmt_num(tr["slope_per_year"], 2, L), proj=fmt_num(tr["proj_value"], 1, L)) \
            + " " + ket
    h2 = doc.box(M + map_w + gap, y, tr_w, 10, ket, size=8.5, min_size=7, color=MUTED)
    return y + max(h1, h2) + 1


def _sources(doc: _Doc, d: dict, y0: float, bottom: float) -> float:
    L = d["lang"]
    pdf = doc.pdf
    pdf.set_draw_color(*_rgb("#c8ced3"))
    pdf.line(M, y0, PAGE_W - M, y0)
    y = y0 + 1.5
    doc.box(M, y, 80, 7, t("brief.sumber", L), size=13, bold=True)
    y += 7.5
    lines = [f"• {s}" for s in sources(d)]
    # two columns, filled in order; type shrinks until everything fits above the bottom margin
    col_w = (PAGE_W - 2 * M - 6) / 2
    for size in (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0):
        pdf.set_font("DejaVu", "", size)
        lh = size * 0.3528 * 1.15
        hs = [len(pdf.multi_cell(col_w, lh, doc.text(s), dry_run=True, output="LINES")) * lh + 0.8 for s in lines]
        half = sum(hs) / 2
        acc, split = 0.0, len(lines)
        for i, hh in enumerate(hs):
            if acc + hh / 2 > half:
                split = i
                break
            acc += hh
        left, right = sum(hs[:split]), sum(hs[split:])
        if y + max(left, right) <= bottom:
            break
    for col, chunk in enumerate((lines[:split], lines[split:])):
        yy = y
        x = M + col * (col_w + 6)
        for s in chunk:
            used = doc.box(x, yy, col_w, bottom - yy, s, size=size, min_size=size, color=INK, line=1.15)
            yy += used + 0.8
    return bottom


def build_pdf(con, out_path, kab: str | None = None, lang: str = "id") -> Path:
    """Write the briefing PDF (A4 landscape, two pages) and return its path."""
    d = collect(con, kab, lang)
    return write_pdf(d, out_path)


def chart_images(d: dict) -> dict[str, bytes]:
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


def write_pdf(d: dict, out_path) -> Path:
    L = d["lang"]
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    images = chart_images(d)
    pdf = _new_pdf()
    doc = _Doc(pdf, L)
    pdf.set_title(doc.text(f"{t('brief.judul', L)} — {d['nama']}"))
    pdf.set_author("Pantau ILP")
    pdf.set_creator("Pantau ILP (ilp.briefing)")
    pdf.set_lang("id-ID" if L == "id" else "en")
    bottom = PAGE_H - M

    # page 1: headline figures + five kecamatan most in need
    pdf.add_page()
    y = _header(doc, d, t("brief.judul", L), big=True)
    # the status word on each card says what its colour means, so the colour legend line is not repeated
    y = _cards(doc, d, y + 1) + 3
    if d["priority"].height:
        _priority_table(doc, d, y, bottom)
    else:
        doc.box(M, y, PAGE_W - 2 * M, 8, t("ringkasan.prioritas", L), size=15, bold=True)
        doc.box(M, y + 9, PAGE_W - 2 * M, 8, t("ringkasan.prioritas_kosong", L), size=12, color=MUTED)
    _footer(doc, d, 1)

    # page 2: map, trend, sources
    pdf.add_page()
    y = _header(doc, d, t("brief.judul_hal2", L), big=False)
    y = _charts_page(doc, d, y, images)
    _sources(doc, d, y + 1, bottom - 4)
    _footer(doc, d, 2)

    pdf.output(str(out))
    return out


def _footer(doc: _Doc, d: dict, page: int) -> None:
    L = d["lang"]
    s = t("brief.kaki", L, hal=page, nama=d["nama"])
    if d["is_demo"]:
        s = t("brief.data_contoh", L) + " · " + s
    doc.box(M, PAGE_H - M - 3, PAGE_W - 2 * M, 4, s, size=7, color=MUTED, align="R")


# ---------------------------------------------------------------------------------------------------------
# PowerPoint (one slide per topic)
# ---------------------------------------------------------------------------------------------------------

def build_pptx(con, out_path, kab: str | None = None, lang: str = "id") -> Path:
    """16:9 deck: headlines, map, trend, five kecamatan most in need, sources."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    d = collect(con, kab, lang)
    L = lang
    images = chart_images(d)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    W, H = prs.slide_width, prs.slide_height
    inch = 914400

    def rgb(hx):
        return RGBColor(*_rgb(hx))

    def text(slide, x, y, w, h, s, size=18, bold=False, color=INK, align=None):
        tb = slide.shapes.add_textbox(Emu(int(x)), Emu(int(y)), Emu(int(w)), Emu(int(h)))
        tf = tb.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        p.text = s
        p.font.size = Pt(size)
        p.font.bold = bold
        p.font.color.rgb = rgb(color)
        if align is not None:
            p.alignment = align
        return tb

    per = data_per_text(d)

    def slide_with_title(title):
        s = prs.slides.add_slide(blank)
        text(s, 0.4 * inch, 0.25 * inch, W - 3.4 * inch, 0.7 * inch, title, size=28, bold=True)
        text(s, 0.4 * inch, 0.85 * inch, W - 3.4 * inch, 0.4 * inch, f"{d['nama']} · {t('umum.data_per', L)} {per}",
             size=14, color=MUTED)
        if d["is_demo"]:
            box = s.shapes.add_shape(1, W - 2.9 * inch, 0.3 * inch, 2.5 * inch, 0.55 * inch)
            box.fill.solid()
            box.fill.fore_color.rgb = rgb(DEMO_RED)
            box.line.fill.background()
            tf = box.text_frame
            tf.text = t("brief.data_contoh", L)
            tf.paragraphs[0].font.size = Pt(20)
            tf.paragraphs[0].font.bold = True
            tf.paragraphs[0].font.color.rgb = RGBColor(255, 255, 255)
        return s

    # 1 headlines
    s = slide_with_title(t("brief.judul", L))
    cols, gap = 3, 0.25 * inch
    cw = (W - 0.8 * inch - (cols - 1) * gap) / cols
    ch = 2.6 * inch
    for i, h in enumerate(d["headlines"][:6]):
        x = 0.4 * inch + (i % cols) * (cw + gap)
        y = 1.45 * inch + (i // cols) * (ch + gap)
        color = STATUS_RGB.get(h["status"], STATUS_RGB["abu"])
        card = s.shapes.add_shape(1, Emu(int(x)), Emu(int(y)), Emu(int(cw)), Emu(int(ch)))
        card.fill.solid()
        card.fill.fore_color.rgb = rgb("#f6f7f8")
        card.line.color.rgb = rgb(color)
        card.line.width = Pt(3)
        text(s, x + 0.12 * inch, y + 0.08 * inch, cw - 0.24 * inch, 0.6 * inch,
             h["label"] + (" (P)" if h.get("project") else ""), size=15, bold=True)
        text(s, x + 0.12 * inch, y + 0.7 * inch, cw - 0.24 * inch, 0.8 * inch,
             f"{h['text']}  {t('brief.status_' + h['status'], L)}", size=32, bold=True, color=color)
        text(s, x + 0.12 * inch, y + 1.45 * inch, cw - 0.24 * inch, 0.4 * inch, h.get("target_text") or "", size=13)
        text(s, x + 0.12 * inch, y + 1.85 * inch, cw - 0.24 * inch, 0.7 * inch, h["source"], size=9, color=MUTED)

    # 2 map, 3 trend
    per_r = fmt_periode(d["periode"], L) if d["periode"] else "–"
    for key, title, note in (("map", t("brief2.judul_peta", L, label=d["routine_label"], periode=per_r),
                              d["map_source"] + " " + t("brief2.abu_abu", L)),
                             ("trend", t("brief.judul_tren", L), t("brief.ket_tren", L))):
        s = slide_with_title(title)
        if key in images:
            from PIL import Image
            im = Image.open(io.BytesIO(images[key]))
            max_w, max_h = W - 0.8 * inch, H - 2.3 * inch
            ratio = min(max_w / im.width, max_h / im.height)
            w_, h_ = im.width * ratio, im.height * ratio
            s.shapes.add_picture(io.BytesIO(images[key]), Emu(int((W - w_) / 2)), Emu(int(1.35 * inch)),
                                 Emu(int(w_)), Emu(int(h_)))
        text(s, 0.4 * inch, H - 0.85 * inch, W - 0.8 * inch, 0.6 * inch, note, size=11, color=MUTED)

    # 4 priority kecamatan
    s = slide_with_title(t("ringkasan.prioritas", L))
    pr = d["priority"]
    cols_ = [("peringkat", t("brief.kol_peringkat", L), 0), ("nama", t("brief.kol_kecamatan", L), None),
             ("prevalensi_pct", t("brief.kol_stunting", L), 1), ("desa_pustu_pct", t("brief.kol_desa_pustu", L), 1),
             ("pustu_lengkap_pct", t("brief.kol_pustu_lengkap", L), 1), ("spm_rata2_pct", t("brief.kol_spm", L), 1)]
    tbl = s.shapes.add_table(pr.height + 1, len(cols_), Emu(int(0.4 * inch)), Emu(int(1.45 * inch)),
                             Emu(int(W - 0.8 * inch)), Emu(int(0.55 * inch * (pr.height + 1)))).table
    for j, (_, lab, _) in enumerate(cols_):
        tbl.cell(0, j).text = lab
        tbl.cell(0, j).text_frame.paragraphs[0].font.size = Pt(14)
        tbl.cell(0, j).text_frame.paragraphs[0].font.bold = True
    for i, r in enumerate(pr.iter_rows(named=True), start=1):
        for j, (key, _, dec) in enumerate(cols_):
            v = r.get(key)
            sv = str(v) if dec in (None, 0) else fmt_num(v, dec, L) + ("%" if v is not None else "")
            tbl.cell(i, j).text = sv
            tbl.cell(i, j).text_frame.paragraphs[0].font.size = Pt(18)
    text(s, 0.4 * inch, H - 1.3 * inch, W - 0.8 * inch, 1.0 * inch, t("ringkasan.aturan_prioritas", L), size=12,
         color=MUTED)

    # 5 sources
    s = slide_with_title(t("brief.sumber", L))
    tb = s.shapes.add_textbox(Emu(int(0.4 * inch)), Emu(int(1.45 * inch)), Emu(int(W - 0.8 * inch)),
                              Emu(int(H - 1.8 * inch)))
    tf = tb.text_frame
    tf.word_wrap = True
    for i, line in enumerate(sources(d)):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = "• " + line
        p.font.size = Pt(12)
        p.font.color.rgb = rgb(INK)

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(out))
    return out
