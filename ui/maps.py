"""Maps that drill down: a click on an area puts it in the URL and in its select box, then reruns."""
from __future__ import annotations

from functools import partial

import streamlit as st


def _picked(key: str, valid: dict, param: str) -> None:
    """on_select of a clickable map: the clicked area goes into ?param= before the rerun starts, and the select
    box bound to the same URL key (ui.common.url_select keeps its value under 'w_<param>') is reset from the URL,
    so it does not write the old value back: the click drills down in the same rerun (inside a part, the part's)."""
    ev = st.session_state.get(key) or {}
    pts = (ev.get("selection") or {}).get("points") or []
    if not pts:
        return
    clicked = pts[0].get("location") or pts[0].get("customdata")
    if clicked in valid and clicked != st.query_params.get(param, ""):
        st.query_params[param] = clicked
        st.session_state.pop(f"w_{param}", None)


def map_pick(fig, key: str, valid: dict, param: str = "kec") -> None:
    """Draw a clickable map. A click on an area (where the browser reports it) sets ?param= and clears the
    select box bound to the same URL key, then the page (or, inside a ui.components.part, only that part) reruns
    once with the new choice."""
    st.plotly_chart(fig, width="stretch", on_select=partial(_picked, key, dict(valid), param),
                    selection_mode="points", key=key)
