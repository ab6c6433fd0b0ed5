"""The briefing as an A4 landscape PDF (fpdf2) of two pages.

Page 1: district, "data per" date, DATA CONTOH mark, the headline cards (value, target, status, source)
and the five kecamatan most in need with the rule that ranks them.
Page 2: the kecamatan map of routine stunting prevalence, the stunting trend against the target path
(survey and routine never joined), and every source used."""
from __future__ import annotations

import io
import math
import unicodedata
from functools import lru_cache
from pathlib import Path


from ilp import summary
from ilp.briefing.content import (MAX_CARDS, PRIORITY_COLUMNS, cell_text, collect, data_per_text, priority_rule,
                                  sources, status_word, trend_note)
from ilp.briefing.render import chart_images
from ilp.i18n import fmt_num, fmt_periode, t

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
    heads = d["headlines"][:MAX_CARDS]
    cols, gap = (3 if len(heads) <= 6 else 4), 4.0
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
        split = 0.55 if cols == 3 else 0.45  # four narrower cards: more room for the status words
        doc.box(ix, y + 13, iw * split, 13, h["text"], size=32 if cols == 3 else 26, min_size=18, bold=True,
                color=color)
        doc.box(ix + iw * split, y + 14.5, iw * (1 - split), 11, status_word(h, L), size=12,
                min_size=8, bold=True, color=color, align="R")
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
    widths_mm = {"peringkat": 25, "nama": 62, "prevalensi_pct": 45, "desa_pustu_pct": 45, "pustu_lengkap_pct": 52,
                 "spm_rata2_pct": 55}
    cols = [(key, t(label, L), widths_mm[key], dec) for key, label, dec in PRIORITY_COLUMNS]
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
            s = cell_text(r, key, dec, L)
            doc.box(x + 1, y + (row_h - 12 * 0.3528 * 1.18) / 2, w - 2, row_h, s, size=12,
                    bold=key in ("peringkat", "nama"), align="L" if key == "nama" else "C")
            x += w
        y += row_h
    pdf.set_draw_color(*_rgb("#c8ced3"))
    pdf.line(M, y, PAGE_W - M, y)
    y += 1.2
    y += doc.box(M, y, PAGE_W - 2 * M, rule_h, priority_rule(d["priority"], L), size=8.5, min_size=7, color=MUTED,
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
    ket = trend_note(d, L)
    h2 = doc.box(M + map_w + gap, y, tr_w, 22, ket, size=8.5, min_size=6.5, color=MUTED)
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
