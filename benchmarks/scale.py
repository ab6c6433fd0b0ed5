"""Scale benchmark (issue 14): a big kabupaten and a province database, built or reused, measured.

    .venv/bin/python benchmarks/scale.py [--dir /tmp/pantau-ilp-bench] [--skala 12] [--provinsi-kab 27] [--repeat 5]
                                         [--only kabupaten|provinsi] [--no-pages] [--rebuild]

Databases (kept in --dir and reused on the next run unless --rebuild):
- kabupaten.duckdb: the demo district with its children replicated --skala times (each copy its own child ids,
  same desa), i.e. ~0.37 M x skala measurements (12 -> ~4.5 M). The demo district has 14-20 kecamatan and
  ~260 desa: the desa count of a 400-500-desa kabupaten is not reproduced (the replicated children carry the
  load; the desa layer size is measured by benchmarks/geo_payload.py on real districts).
- provinsi.duckdb: Provinsi Contoh (ilp.demo.provinsi) with --provinsi-kab demo kabupaten side by side
  (27 -> ~10 M measurements). Generating one demo kabupaten takes ~30 s on two shared cores, so 27 take
  ~15 min; pass a smaller number to try it quickly (the size used is printed).

Prints, for each database: build time, rows, every dashboard query's p50/p95 (ms), each page's cold and warm
script time (AppTest, in this process: the server's side), the payload per page (bytes of the protobuf
elements the page sends; Plotly figures included), and this process's memory (RSS) after visiting every
page. The goals (printed, not asserted): first page <= 3 s; widget change <= 1 s; page payload <= 2 MB;
memory <= 1 GB.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from ilp import db  # noqa: E402

PAGES = ["ringkasan", "peta", "stunting", "fasilitas", "spm", "kelola"]
GOAL_FIRST_PAGE_S = 3.0
GOAL_WIDGET_S = 1.0
GOAL_PAYLOAD_MB = 2.0
GOAL_MEMORY_GB = 1.0


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- building

def build_kabupaten(path: Path, skala: int, seed: int = 2024) -> float:
    from ilp.demo import pipeline
    t0 = time.perf_counter()
    frames = pipeline.generate(seed)
    uk = frames["pengukuran"]
    frames["pengukuran"] = pl.concat(
        [uk] + [uk.with_columns(pl.col("id_anak") + pl.lit(f"-x{i:02d}")) for i in range(1, skala)])
    from ilp.demo.konstanta import DATA_PER, KODE_KAB, NAMA_KAB, VERSI
    pipeline.write(path, frames, (("is_demo", "1"), ("kode_kab", KODE_KAB), ("nama_kab", NAMA_KAB),
                                  ("data_per", DATA_PER.isoformat()), ("wilayah_versi", VERSI),
                                  ("skala_bench", str(skala))))
    return time.perf_counter() - t0


def build_provinsi(path: Path, n_kab: int, seed: int = 2024) -> float:
    from ilp.demo import provinsi
    t0 = time.perf_counter()
    provinsi.build(path, n_kab=n_kab, seed=seed)
    return time.perf_counter() - t0


# ---------------------------------------------------------------- measuring

def example_params(con) -> dict:
    meta = dict(con.execute("select key, value from meta").fetchall())
    kab = meta.get("kode_kab", "99.01")
    kec = con.execute("select min(kode) from wilayah where level = 'kecamatan' and kode_kab = $k", {"k": kab}).fetchall()[0][0]
    per = con.execute("select max(periode) from fakta_stunting_desa where kode_kab = $k and jenis = 'ronde'",
                      {"k": kab}).fetchall()[0][0] or "2026-02"
    ym = con.execute("select max(tahun), max(bulan) from fakta_spm").fetchall()[0]
    return {"kab": kab, "kec": kec, "periode": per, "tahun": ym[0] or 2026, "bulan": ym[1] or 1,
            "sumber_sasaran": "PUSDATIN", "kode": [kec], "jenis": None, "level": "kecamatan", "tabel": "faskes",
            "prov": kab[:2]}


def time_queries(con, repeat: int) -> list[tuple[str, float, float]]:
    params = example_params(con)
    out = []
    for key, q in sorted(db.queries().items()):
        if key.startswith("ingest/") or any(p not in params for p in q.params):
            continue
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            try:
                db.run(con, key, **{p: params[p] for p in q.params})
            except Exception as e:  # a query that fails here is reported, not hidden
                print(f"  query {key}: ERROR {type(e).__name__}: {str(e)[:120]}")
                break
            times.append((time.perf_counter() - t0) * 1000)
        if times:
            ts = sorted(times)
            p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]
            out.append((key, statistics.median(ts), p95))
    return out


def _payload(node) -> int:
    """Bytes of the protobuf messages of an AppTest element tree (what the server sends for the page)."""
    total = 0
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        total += proto.ByteSize()
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for c in children.values():
            total += _payload(c)
    return total


def time_pages(path: Path) -> list[tuple[str, float, float, int]]:
    from streamlit.testing.v1 import AppTest
    os.environ["ILP_DB"] = str(path)
    out = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=300)
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        size = _payload(at._tree) if hasattr(at, "_tree") else -1
        errs = [e.value for e in at.exception] if at.exception else []
        if errs:
            print(f"  page {page}: EXCEPTION {str(errs[0])[:200]}")
        out.append((page, cold, warm, size))
    return out


def report(name: str, path: Path, build_s: float | None, repeat: int, pages: bool) -> None:
    print(f"\n== {name}: {path}")
    print(f"build_seconds: {build_s:.1f}" if build_s is not None else "build_seconds: reused")
    con = db.connect(path, read_only=True)
    try:
        for t in ("pengukuran", "fakta_ukur_ronde", "fakta_stunting_desa", "wilayah", "faskes"):
            print(f"rows_{t}: {con.execute('select count(*) from ' + t).fetchall()[0][0]}")  # noqa: S608 - fixed names
        n = con.execute("select count(distinct kode_kab) from wilayah where level = 'desa'").fetchall()[0][0]
        print(f"kabkota: {n}")
        print("query_ms (p50, p95):")
        for key, p50, p95 in time_queries(con, repeat):
            print(f"  {key}: {p50:.0f} {p95:.0f}")
    finally:
        con.close()
    if not pages:
        return
    print("page_seconds (cold, warm) and payload_kb:")
    for page, cold, warm, size in time_pages(path):
        flag = "" if (cold <= GOAL_FIRST_PAGE_S and size <= GOAL_PAYLOAD_MB * 1e6) else "  (over goal)"
        print(f"  {page}: {cold:.2f} {warm:.2f} {size / 1000:.0f}{flag}")
    mem = rss_mb()
    print(f"memory_after_all_pages_mb: {mem:.0f} ({'ok' if mem <= GOAL_MEMORY_GB * 1024 else 'over goal'})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "pantau-ilp-bench"))
    ap.add_argument("--skala", type=int, default=12, help="children of the demo replicated this many times")
    ap.add_argument("--provinsi-kab", type=int, default=27)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=("kabupaten", "provinsi"))
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args(argv)
    d = Path(a.dir)
    d.mkdir(parents=True, exist_ok=True)
    print(f"sizes: kabupaten = demo x {a.skala} children; provinsi = {a.provinsi_kab} demo kabupaten")
    if a.only in (None, "kabupaten"):
        p = d / f"kabupaten_x{a.skala}.duckdb"
        b = build_kabupaten(p, a.skala) if (a.rebuild or not p.exists()) else None
        report("kabupaten besar", p, b, a.repeat, not a.no_pages)
    if a.only in (None, "provinsi"):
        p = d / f"provinsi_{a.provinsi_kab}.duckdb"
        b = build_provinsi(p, a.provinsi_kab) if (a.rebuild or not p.exists()) else None
        report("provinsi", p, b, a.repeat, not a.no_pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
