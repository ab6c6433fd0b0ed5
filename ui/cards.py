"""Headline cards (Ringkasan, Stunting): label, value, status in words and colour, a short target line, and a
footnote with source, period and denominator. Colours come from ilp.summary.STATUS_STYLE, the one status colour
set (the briefing uses it too; each colour has at least 4.5:1 contrast on CARD_BG, tests/test_summary.py).
Also the methods expander (docs/metode.md) and the presentation view (?presentasi=1: no sidebar, larger cards)."""
from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from ilp.i18n import fmt_num
from ilp.summary import CARD_BG, STATUS_STYLE
from ui.common import lang, t

METODE_MD = Path(__file__).resolve().parent.parent / "docs" / "metode.md"

_CSS = f"""<style>
.ilp-card{{border-radius:10px;padding:8px 12px;margin-bottom:8px;background:{CARD_BG};border-left:8px solid #999;}}
.ilp-card .lbl{{font-size:.95rem;color:#222;font-weight:600;line-height:1.2}}
.ilp-card .row{{display:flex;align-items:baseline;gap:.5rem;flex-wrap:wrap}}
.ilp-card .val{{font-size:2.1rem;font-weight:700;line-height:1.1}}
.ilp-card .sts{{font-size:1rem;font-weight:700}}
.ilp-card .tgt{{font-size:.9rem;color:#222}}
.ilp-card .note{{font-size:.78rem;color:#333;margin-top:2px}}
.ilp-card .src{{font-size:.72rem;color:#444;margin-top:3px;display:-webkit-box;-webkit-line-clamp:2;
  -webkit-box-orient:vertical;overflow:hidden}}
.ilp-card details{{font-size:.75rem;color:#333;margin-top:2px}}
.ilp-card details[open] .src{{display:block}}
.ilp-card summary{{cursor:pointer;color:#444}}
</style>"""

_PRESENTASI_CSS = """<style>
[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],[data-testid="stSidebarNav"]{display:none!important}
header[data-testid="stHeader"]{display:none}
.block-container{padding-top:1rem!important;max-width:100%!important}
.ilp-card .val{font-size:3rem}.ilp-card .lbl{font-size:1.2rem}.ilp-card .sts{font-size:1.3rem}
.ilp-card .tgt{font-size:1.1rem}
</style>"""


def card_html(h: dict, lang_: str) -> str:
    """One card as HTML (every text escaped). h: a headline dict from ilp.summary.headlines. On the card: label,
    value, status in words, one short target line (about a dozen words); below it, small: weakest services, notes,
    how it is judged and the source (source, period, denominator)."""
    color, icon = STATUS_STYLE.get(h["status"], STATUS_STYLE["abu"])
    e = html.escape
    weak = ""
    if h.get("weakest"):
        weak = "<div class='note'>" + e(t("ringkasan.terlemah") + ": " + "; ".join(
            f"{n} {fmt_num(v, 0, lang_)}%" for n, v in h["weakest"])) + "</div>"
    notes = "".join(f"<div class='note'>{e(n)}</div>" for n in h.get("notes") or ())
    basis = f"<div class='note'>{e(h['basis'])}</div>" if h.get("basis") else ""
    more = weak + notes + basis
    # the footnote (source, period, denominator) is always there; the longer notes fold open on a click
    details = f"<details><summary>{e(t('ringkasan2.catatan'))}</summary>{more}</details>" if more else ""
    status_text = h.get("status_text") or ""
    return (f"<div class='ilp-card' style='border-left-color:{color}'><div class='lbl'>{e(h['label'])}"
            f"{' (P)' if h.get('project') else ''}</div>"
            f"<div class='row'><span class='val' style='color:{color}'>{e(h['text'])}</span>"
            f"<span class='sts' style='color:{color}'>{icon} {e(status_text)}</span></div>"
            f"<div class='tgt'>{e(h.get('target_text') or '')}</div>"
            f"<div class='src' title='{e(h['source'])}'>{e(h['source'])}</div>{details}</div>")


def cards(heads: list[dict], n_cols: int = 4) -> None:
    """Headline cards in a grid (one column on a phone: Streamlit stacks columns on narrow screens)."""
    L = lang()
    st.markdown(_CSS, unsafe_allow_html=True)
    for start in range(0, len(heads), n_cols):
        cols = st.columns(n_cols)
        for col, h in zip(cols, heads[start:start + n_cols]):
            with col:
                st.markdown(card_html(h, L), unsafe_allow_html=True)


def presentation() -> bool:
    """The presentation view (?presentasi=1): the sidebar hidden with CSS and the cards enlarged; True when on."""
    on = st.query_params.get("presentasi") == "1"
    if on:
        st.markdown(_PRESENTASI_CSS, unsafe_allow_html=True)
    return on


def methods() -> None:
    """'Metode': the methods document (docs/metode.md) in an expander."""
    with st.expander(t("ringkasan3.metode"), icon=":material/menu_book:"):
        if METODE_MD.exists():
            st.markdown(METODE_MD.read_text(encoding="utf-8"))
