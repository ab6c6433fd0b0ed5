"""Big import files: time and peak memory to parse (preview) an SPM file of N rows, as .xlsx and as .csv, in a
child process each (so peak RSS is that parse alone), on a fresh database with the test fixture's facilities; then
the same preview the way Kelola Data runs a big upload (ilp.ingest.child: a child with a memory and time cap),
with this process's resident memory before and after (the server's memory must not grow with the file).

    .venv/bin/python benchmarks/import_big.py [N ...]        # default: 200000

Prints one line per file: rows, file size, seconds, peak RSS (MB), rows read/valid, problems kept, then the
ilp.ingest.child seconds and this process's RSS growth, then the import after that preview in a child (on a copy
of the database): from the preview's saved parse (now), and parsing the file again (what every big import did
before the saved parse), and the two totals preview + import. The row limit (setting max_rows, default 2,000,000) refuses
a bigger file from the worksheet XML scan, before any parser builds the sheet. The generated rows repeat 144 keys,
so almost every row is a rejected duplicate: the worst case for the problem list (kept: the first 10,000, every
rejected row counted).

Measured 2026-11-30, 1,000,000 rows (2 shared CPU cores; load average 4-9 from other work during every run):

| file | rows | size MB | parse s | peak RSS MB | problems kept | via ilp.ingest.child s | server RSS growth MB |
|---|---|---|---|---|---|---|---|
| .xlsx, before | 1,000,000 | 22.2 | 85.1 | 1740 | 999,856 | - | - |
| .csv, before | 1,000,000 | 32.5 | 57.1 | 1716 | 999,856 | - | - |
| .xlsx, after | 1,000,000 | 22.2 | 42.9 | 871 | 10,000 | 31.8 | +14 |
| .csv, after | 1,000,000 | 32.5 | 8.4 | 819 | 10,000 | 13.5 | +7 |

(Server RSS growth: this process around ilp.ingest.child.preview; it holds only the 10,000 kept messages. Before the
child compacted its result it was +77/+99 MB, the set of rejected row numbers.)

Preview + import of a big upload, parsed once (the import child reads the preview's saved parse, ilp.ingest.child),
measured 2026-11-30 (2 shared cores, load average 1.5-3.6 from other work):

| file | rows | preview in child s | import, parsing again s (before) | import, saved parse s (after) | total before s | total after s |
|---|---|---|---|---|---|---|
| .xlsx | 200,000 | 8.0 | 9.8 | 4.2 | 17.9 | 12.2 |
| .csv | 200,000 | 6.2 | 3.9 | 3.0 | 10.1 | 9.2 |
| .xlsx | 1,000,000 | 24.6 | 23.3 | 3.8 | 47.9 | 28.4 |
| .csv | 1,000,000 | 12.4 | 12.3 | 3.3 | 24.7 | 15.8 |

What is left of the import (~3-4 s) is the child's start, the database's checksum pass and the write with its facts;
the generated rows are almost all rejected duplicates (144 valid rows), so the saved parse is small here. For a
file of valid rows the saved parse grows with them: 1,000,000 rows x 7 columns (a 64-character child id, a date,
floats, codes) save in 0.6 s and load with their checks in 0.6 s, 25 MB on disk (Arrow IPC, lz4).

Where the time went before (cProfile, 100,000-row CSV, 16.3 s): one Problem with a nested message per duplicate
row (6.4 s), rows as Python lists cleaned cell by cell (5.1 s), per-cell typing (2.2 s). After: rows streamed and
turned into Polars columns 20,000 at a time, each distinct value parsed once, at most 10,000 problem messages
built (1.4 s). For the .xlsx the worksheet guard's regex scan of 273 MB of XML took 24 s of the 48 s; with
literal-prefix patterns and bulk max/count it takes ~11 s (under load). Baseline RSS of the child before parsing
(Python, Polars, DuckDB, fixture) is ~260 MB; the peak is in reading (+250 MB) and the duplicate check (+250 MB).

Earlier (200,000 rows): .xlsx 19.4 s / 569 MB, .csv 12.8 s / 570 MB; .xlsx 50,000 rows before the calamine-path
fix 51.1 s / 511 MB (the worksheet scan split cell tags at its 1 MB chunk boundary, so every sheet XML above 1 MB
went through openpyxl, ~17x slower).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3]); sys.path.insert(0, sys.argv[3] + "/tests")
from ilp import db
from ilp.ingest import runner
import make_bad_corpus as mbc
con = db.connect(sys.argv[2])
mbc.load_fixture(con)
t = time.perf_counter()
p = runner.preview(con, "spm", sys.argv[1], sys.argv[1].rsplit("/", 1)[-1], {})
dt = time.perf_counter() - t
print(json.dumps({"s": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "read": p.rows_read, "valid": p.rows_valid, "problems": len(p.problems),
                  "first": p.problems[0].text() if p.problems else ""}))
"""


def make_files(folder: Path, n: int) -> list[Path]:
    import xlsxwriter
    import make_bad_corpus as mbc
    head = mbc.SPM_HEAD.strip().split(",")
    csv = folder / f"spm_{n}.csv"
    with open(csv, "w") as f:
        f.write(mbc.SPM_HEAD)
        for i in range(n):
            f.write(f"2024,{i % 12 + 1},{mbc.PKM},,spm{(i // 12) % 12 + 1:02d},{i % 500},lap\n")
    xlsx = folder / f"spm_{n}.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, head)
    for i in range(n):
        ws.write_row(i + 1, 0, [2024, i % 12 + 1, mbc.PKM, "", f"spm{(i // 12) % 12 + 1:02d}", i % 500, "lap"])
    wb.close()
    return [xlsx, csv]


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def _copy_db(src: Path, dest: Path) -> Path:
    import shutil
    shutil.copy(src, dest)
    if Path(str(src) + ".wal").exists():
        shutil.copy(str(src) + ".wal", str(dest) + ".wal")
    return dest


def via_child(dbp: Path, f: Path, folder: Path) -> tuple[float, float, float, float]:
    """The preview then the import as Kelola Data runs a big upload (ilp.ingest.child): preview seconds, this
    process's RSS growth around it, the import's seconds from the preview's saved parse, and the import's
    seconds when it parses the file again (no saved parse: what every import did before), each on a copy of the
    database as it was at the preview."""
    import os
    os.environ.update({"ILP_UPLOADS": str(folder / "up"), "ILP_SALT_FILE": str(folder / "s"), "ILP_MAX_UPLOAD_MB": "500"})
    from ilp.ingest import child, runner
    key = runner.preview_key("spm", f, f.name, {})
    before = _rss_mb()
    t = time.perf_counter()
    p = child.preview(dbp, "spm", f, f.name, {}, key=key)
    s = time.perf_counter() - t
    assert not p.fatal, p.problems[0].text()
    grow = _rss_mb() - before
    how = []
    t = time.perf_counter()
    res = child.run_import(_copy_db(dbp, folder / "saved.duckdb"), "spm", f, f.name, "bench", {}, accept_valid=True,
                           key=key, progress=lambda i: how.append(i.get("tahap")))
    s_saved = time.perf_counter() - t
    assert res.ok and "tersimpan" in how, (res.problems[:1], how)
    how.clear()
    t = time.perf_counter()   # the saved parse was deleted by the import above: this import parses again
    res = child.run_import(_copy_db(dbp, folder / "again.duckdb"), "spm", f, f.name, "bench", {}, accept_valid=True,
                           key=key, progress=lambda i: how.append(i.get("tahap")))
    s_again = time.perf_counter() - t
    assert res.ok and "baca_ulang" in how, (res.problems[:1], how)
    for x in ("saved", "again"):
        for suffix in (".duckdb", ".duckdb.wal"):
            (folder / f"{x}{suffix}").unlink(missing_ok=True)
    return s, grow, s_saved, s_again


def main(sizes: list[int]) -> None:
    print("| file | rows | size MB | parse s | peak RSS MB | rows read | valid | problems | via child s | our RSS MB "
          "| import, saved parse s | import, parse again s | preview+import before s | after s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        for n in sizes:
            for f in make_files(folder, n):
                dbp = folder / f"b_{f.stem}_{f.suffix[1:]}.duckdb"
                out = subprocess.run([sys.executable, "-c", CHILD, str(f), str(dbp), str(ROOT)], capture_output=True,
                                     text=True, env={"ILP_UPLOADS": str(folder / "up"), "ILP_SALT_FILE": str(folder / "s"),
                                                     "PATH": "/usr/bin:/bin", "ILP_MAX_UPLOAD_MB": "500"})
                if out.returncode:
                    print(f"| {f.name} | {n} | error: {out.stderr.strip().splitlines()[-1][:120]} |")
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                cs, grow, s_saved, s_again = via_child(dbp, f, folder)
                print(f"| {f.suffix} | {n:,} | {f.stat().st_size / 1048576:.1f} | {r['s']:.1f} | {r['rss_mb']:.0f} | "
                      f"{r['read']:,} | {r['valid']:,} | {r['problems']} | {cs:.1f} | {grow:+.0f} | {s_saved:.1f} | "
                      f"{s_again:.1f} | {cs + s_again:.1f} | {cs + s_saved:.1f} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200_000])
