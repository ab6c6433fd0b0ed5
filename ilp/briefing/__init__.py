"""The Bupati/Sekda briefing: an A4 landscape PDF (fpdf2) of two pages, and a PowerPoint deck, both
rendered from one content model (ilp.content.build, the same cards, ranking, map and trend as Ringkasan).

content.py  what is shown (the content model plus district, 'data per', sources, the ranked-table spec)
render.py   Plotly figures to PNG offline (kaleido + a local Chromium; $BROWSER_PATH overrides)
pdf.py      the two-page PDF
pptx.py     the slides
Never imports streamlit.
"""
from ilp.briefing.content import PRIORITY_COLUMNS, collect, data_per_text, sources  # noqa: F401
from ilp.briefing.pdf import (  # noqa: F401
    FONT_DIR, FONT_REGULAR, STATUS_RGB, build_pdf, clean_text, write_pdf)
from ilp.briefing.pptx import build_pptx  # noqa: F401
from ilp.briefing.render import RenderError, chart_images, find_browser, render_png, render_pngs  # noqa: F401
