"""Headline cards (Ringkasan, Stunting): value, target, status colour and icon, source, notes.
Colours come from ilp.summary.STATUS_STYLE, the one status colour set (the briefing uses it too)."""
from __future__ import annotations

import html

import streamlit as st

from ilp.i18n import fmt_num
from ilp.summary import STATUS_STYLE
from ui.common import lang, t

_CSS = """<style>
.ilp-card{border-radius:10px;padding:14px 16px;margin-bottom:12px;background:#fafafa;border-left:10px solid #999;}
.ilp-card .lbl{font-size:1.05rem;color:#333;font-weight:600}
.ilp-card .val{font-size:2.6rem;font-weight:700;line-height:1.1}
.ilp-card .tgt{font-size:1rem;color:#333}
.ilp-card .note{font-size:.85rem;color:#444;margin-top:2px}
.ilp-card .src{font-size:.8rem;color:#666;margin-top:4px}
</style>"""


def card_html(h: dict, lang_: str) -> str:
    """One card as HTML (every text escaped). h: a headline dict from ilp.summary.headlines."""
    color, icon = STATUS_STYLE.get(h["status"], STATUS_STYLE["abu"])
    e = html.escape
    weak = ""
    if h.get("weakest"):
        weak = "<div class='tgt'>" + e(t("ringkasan.terlemah") + ": " + "; ".join(
            f"{n} {fmt_num(v, 0, lang_)}%" for n, v in h["weakest"])) + "</div>"
    notes = "".join(f"<div class='note'>{e(n)}</div>" for n in h.get("notes") or ())
    return (f"<div class='ilp-card' style='border-left-color:{color}'><div class='lbl'>{icon} {e(h['label'])}"
            f"{' (P)' if h.get('project') else ''}</div><div class='val' style='color:{color}'>{e(h['text'])}</div>"
            f"<div class='tgt'>{e(h.get('target_text') or '')}</div>{weak}{notes}"
            f"<div class='src'>{e(h['source'])}</div></div>")


def cards(heads: list[dict], n_cols: int = 3) -> None:
    """Headline cards in a grid, then the status-colour legend."""
    L = lang()
    st.markdown(_CSS, unsafe_allow_html=True)
    cols = st.columns(n_cols)
    for i, h in enumerate(heads):
        with cols[i % n_cols]:
            st.markdown(card_html(h, L), unsafe_allow_html=True)
    st.caption(t("ringkasan.legenda_status"))
