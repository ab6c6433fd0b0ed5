"""Pantau ILP server: `streamlit run serve.py` serves the app (app.py, the router) after one warm-up run of its
first page at server start (ui.warm), so the first viewer after a restart does not wait for the cold start.
`streamlit run app.py` serves the same app without the warm-up."""
import streamlit as st

from ui.warm import lifespan

app = st.App("app.py", lifespan=lifespan)
