"""Print the map GeoJSON payload (KB) of the kecamatan and desa layers.

    .venv/bin/python benchmarks/geo_payload.py

For each of the five real districts in ../shared/data (skipped when absent): the source file's
geometry, the simplified layer as the boundaries import stores it (ilp.geo.simplify_for_map), the
FeatureCollection the map sends, and the whole Plotly figure as the app sends it (ilp.charts.choropleth,
fig.to_json(): the geometry once, plus hover text), with the time to simplify and to build the figure.
Then the five districts' kecamatan as one province-wide layer (scope="provinsi"), and their kab/kota layer.
Then the demo database data/ilp.duckdb, if it exists (batas_wilayah.geojson as stored).
Budgets: kecamatan < 300 KB, desa < 1.5 MB per district; a province's kecamatan < 500 KB.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import shapely  # noqa: E402

import polars as pl  # noqa: E402

from ilp import charts, geo, indicators  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DISTRICTS = {"35.23": "Tuban", "33.29": "Brebes", "61.12": "Kubu Raya", "74.14": "Buton Tengah",
             "21.72": "Kota Tanjungpinang"}


def _kb(n: int) -> str:
    return f"{n / 1024:8.1f}"


def _figure_bytes(simp, name_col: str) -> tuple[int, float]:
    """Bytes of the choropleth figure the app sends for this layer, and the seconds to build it."""
    t = time.perf_counter()
    g = pl.DataFrame({"kode": [str(k) for k in simp["kode"]], "nama": [str(n) for n in simp[name_col]],
                      "geojson": [geo.map_geojson(x) for x in simp.geometry.values]})
    ind = indicators.get("stunting_prevalensi")
    vals = g.select("kode", "nama").with_columns(nilai=(pl.int_range(pl.len()) % 35).cast(pl.Float64))
    fig = charts.choropleth(ind, charts.map_classes(ind, vals, "id"), g, "id", selected=g["kode"][0])
    n = len(fig.to_json().encode())
    return n, time.perf_counter() - t


def _row(label: str, level: str, src_gdf, name_col: str = "nama", scope: str = "kabkota") -> None:
    t = time.perf_counter()
    simp = geo.simplify_for_map(src_gdf[["kode", name_col, "geometry"]], level, scope=scope)
    dt = time.perf_counter() - t
    raw = geo.payload_bytes(src_gdf.geometry.values)
    stored = geo.payload_bytes(simp.geometry.values)
    fc = geo.to_geojson_feature_collection(
        {"kode": k, "geojson": geo.map_geojson(g)} for k, g in zip(simp["kode"], simp.geometry.values))
    fig_bytes, fig_s = _figure_bytes(simp, name_col)
    budget = geo.MAP_BUDGET_PROVINSI_BYTES[level] if scope == "provinsi" else geo.MAP_BUDGET_BYTES[level]
    ok = "ok" if fig_bytes <= budget else "OVER"
    n_vert = int(shapely.get_num_coordinates(simp.geometry.values).sum())
    print(f"{label:<28} {level:<9} {len(src_gdf):>5} {_kb(raw)} {_kb(stored)} {_kb(len(fc.encode()))} "
          f"{_kb(fig_bytes)} {n_vert:>8} {simp.attrs.get('tolerance', 0):>8g} {dt:>6.2f} {fig_s:>6.2f}  {ok}")


def districts() -> None:
    if not (SHARED / "boundaries" / "kecamatan_5kab.geojson").is_file():
        print("../shared/data tidak tersedia: distrik nyata dilewati")
        return
    kec = geo.read_geo(SHARED / "boundaries" / "kecamatan_5kab.geojson")
    for kab, nama in DISTRICTS.items():
        part = kec[kec["kode"].str.startswith(kab + ".")].reset_index(drop=True)
        _row(f"{kab} {nama}", "kecamatan", part)
        desa = geo.read_geo(SHARED / "boundaries" / f"desa_{kab}.geojson")
        _row(f"{kab} {nama}", "desa", desa)
    # the five districts together as a province-wide map: kecamatan and kab/kota layers
    _row("5 kab (provinsi)", "kecamatan", kec, scope="provinsi")
    kab = geo.dissolve_kabkota(kec)
    kab["nama"] = kab["kode"]
    _row("5 kab (provinsi)", "kabkota", kab, scope="provinsi")
    # a full-resolution-sized layer: Tuban desa with ~16x the vertices
    desa = geo.read_geo(SHARED / "boundaries" / "desa_35.23.geojson")
    desa["geometry"] = shapely.segmentize(desa.geometry.values, 0.0001)
    _row("35.23 Tuban (densified)", "desa", desa)


def demo() -> None:
    path = ROOT / "data" / "ilp.duckdb"
    if not path.is_file():
        print("data/ilp.duckdb tidak ada: basis data demo dilewati")
        return
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select b.level, left(b.kode, 5) as kab, count(*) as n, sum(length(b.geojson)) as bytes "
                           "from batas_wilayah b group by all order by 2, 1").fetchall()
    finally:
        con.close()
    for level, kab, n, size in rows:
        budget = geo.MAP_BUDGET_BYTES.get(level, 0)
        print(f"{'demo ' + kab:<28} {level:<9} {n:>5} {'':>8} {_kb(int(size))} {'':>8} {'':>8} {'':>8} {'':>8} "
              f"{'':>6} {'':>6}  "
              f"{'ok' if size <= budget else 'OVER'}")


if __name__ == "__main__":
    print(f"{'district':<28} {'level':<9} {'feat':>5} {'src KB':>8} {'geom KB':>8} {'FC KB':>8} "
          f"{'fig KB':>8} {'vertices':>8} {'tol °':>8} {'sec':>6} {'fig s':>6}")
    districts()
    demo()
