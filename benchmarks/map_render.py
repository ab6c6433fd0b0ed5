"""Time the desa map of the demo district in headless Chromium, offline: Plotly's geo `choropleth` (what the app
uses) against the MapLibre-based `choroplethmap` (style 'white-bg', no tiles).

    .venv/bin/python benchmarks/map_render.py [DB]      # default data/ilp.duckdb (python -m ilp demo)

Each figure is written as a self-contained HTML page (plotly.js inline) and opened with every network request
refused; printed: drawn or not, seconds to the first drawn layer, figure KB, any request the page tried.
On this machine (2 shared cores, demo 264 desa), two runs: geo 6,0 s and 10,4 s, MapLibre 7,6 s and 13,3 s, both
drawn offline with no request; the app keeps geo
(also: MapLibre text labels need glyphs from a server, and tests/test_browser.py asserts the geo layer).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import plotly.io as pio  # noqa: E402
import polars as pl  # noqa: E402

from ilp import charts, indicators  # noqa: E402


def figures(db: Path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select b.kode, w.nama, b.geojson, b.lat, b.lon from batas_wilayah b "
                           "join wilayah w using (kode) where b.level = 'desa'").fetchall()
    finally:
        con.close()
    g = pl.DataFrame(rows, schema=["kode", "nama", "geojson", "lat", "lon"], orient="row")
    ind = indicators.get("stunting_prevalensi")
    cl = charts.map_classes(ind, g.select("kode", "nama").with_columns(
        nilai=(pl.int_range(pl.len()) % 35).cast(pl.Float64)))
    geo_fig = charts.choropleth(ind, cl, g, "id")
    colors = [c for _, c in charts.legend_entries(ind)] + [charts.NO_DATA_COLOR]
    kelas = [len(colors) - 1 if k < 0 else k for k in cl["kelas"].to_list()]
    ml = go.Figure(go.Choroplethmap(
        geojson=charts.feature_collection(g), locations=cl["kode"].to_list(), z=[k + 0.5 for k in kelas],
        featureidkey="id", colorscale=charts.discrete_colorscale(colors), zmin=0, zmax=len(colors), showscale=False,
        marker_line_width=0.8, marker_line_color="#ffffff"))
    ml.update_layout(height=640, map=dict(style="white-bg", zoom=9, center=dict(
        lat=sum(g["lat"].to_list()) / g.height, lon=sum(g["lon"].to_list()) / g.height)))
    return {"choropleth (geo)": geo_fig, "choroplethmap (MapLibre)": ml}


def main(db: Path) -> None:
    from playwright.sync_api import sync_playwright
    out = Path(tempfile.mkdtemp())
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for i, (name, fig) in enumerate(figures(db).items()):
            path = out / f"map{i}.html"
            path.write_text(pio.to_html(fig, include_plotlyjs=True, full_html=True), encoding="utf-8")
            pg = b.new_page(viewport={"width": 1200, "height": 800})
            tried = []
            pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                     else (tried.append(r.request.url[:80]), r.abort()))
            t = time.perf_counter()
            pg.goto(path.as_uri())
            try:
                pg.wait_for_selector(".choroplethlayer path, .maplibregl-canvas", timeout=30_000)
                drawn = True
            except Exception:  # noqa: BLE001 - reported, not raised
                drawn = False
            print(f"{name:<28} {'drawn' if drawn else 'NOT drawn':<10} {time.perf_counter() - t:6.2f} s "
                  f"{len(fig.to_json()) / 1024:8.1f} KB  requests tried: {tried[:3]}")
            pg.close()
        b.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "ilp.duckdb")
