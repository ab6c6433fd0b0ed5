"""The briefing as a 16:9 PowerPoint deck: headlines, map, trend, five kecamatan most in need, sources."""
from __future__ import annotations

import io
from pathlib import Path

from ilp.briefing.content import (MAX_CARDS, PRIORITY_COLUMNS, cell_text, collect, data_per_text, priority_rule,
                                  sources, status_word, trend_note)
from ilp.briefing.pdf import DEMO_RED, INK, MUTED, STATUS_RGB, _rgb
from ilp.briefing.render import chart_images
from ilp.i18n import fmt_periode, t

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
    heads = d["headlines"][:MAX_CARDS]
    cols, gap = (3 if len(heads) <= 6 else 4), 0.25 * inch
    cw = (W - 0.8 * inch - (cols - 1) * gap) / cols
    ch = 2.6 * inch
    for i, h in enumerate(heads):
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
             h["text"], size=32 if cols == 3 else 26, bold=True, color=color)
        text(s, x + 0.12 * inch, y + 1.2 * inch, cw - 0.24 * inch, 0.3 * inch, status_word(h, L), size=13, bold=True,
             color=color)
        text(s, x + 0.12 * inch, y + 1.5 * inch, cw - 0.24 * inch, 0.4 * inch, h.get("target_text") or "", size=12)
        text(s, x + 0.12 * inch, y + 1.85 * inch, cw - 0.24 * inch, 0.7 * inch, h["source"], size=9, color=MUTED)

    # 2 map, 3 trend
    per_r = fmt_periode(d["periode"], L) if d["periode"] else "–"
    for key, title, note in (("map", t("brief2.judul_peta", L, label=d["routine_label"], periode=per_r),
                              d["map_source"] + " " + t("brief2.abu_abu", L)),
                             ("trend", t("brief.judul_tren", L), trend_note(d, L))):
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
    cols_ = [(key, t(label, L), dec) for key, label, dec in PRIORITY_COLUMNS]
    tbl = s.shapes.add_table(pr.height + 1, len(cols_), Emu(int(0.4 * inch)), Emu(int(1.45 * inch)),
                             Emu(int(W - 0.8 * inch)), Emu(int(0.55 * inch * (pr.height + 1)))).table
    for j, (_, lab, _) in enumerate(cols_):
        tbl.cell(0, j).text = lab
        tbl.cell(0, j).text_frame.paragraphs[0].font.size = Pt(14)
        tbl.cell(0, j).text_frame.paragraphs[0].font.bold = True
    for i, r in enumerate(pr.iter_rows(named=True), start=1):
        for j, (key, _, dec) in enumerate(cols_):
            tbl.cell(i, j).text = cell_text(r, key, dec, L)
            tbl.cell(i, j).text_frame.paragraphs[0].font.size = Pt(18)
    text(s, 0.4 * inch, H - 1.3 * inch, W - 0.8 * inch, 1.0 * inch, priority_rule(pr, L), size=12,
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
