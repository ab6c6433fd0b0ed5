"""Maps that drill down: a click on an area puts it in the URL and in its select box, then reruns."""
from __future__ import annotations

import streamlit as st


def map_pick(fig, key: str, valid: dict, param: str = "kec") -> None:
    """Draw a clickable map. A click on an area (where the browser reports it) sets ?param= and clears the
    select box bound to the same URL key (ui.common.url_select keeps its value under 'w_<param>'), so the box
    does not write the old value back into the URL on the rerun: the click drills down."""
    ev = st.plotly_chart(fig, width="stretch", on_select="rerun", selection_mode="points", key=key)
    pts = ev.get("selection", {}).get("points", []) if ev else []
    if pts:
        clicked = pts[0].get("location") or pts[0].get("customdata")
        if clicked in valid and clicked != st.query_params.get(param, ""):
            st.query_params[param] = clicked
            st.session_state.pop(f"w_{param}", None)
            st.rerun()
