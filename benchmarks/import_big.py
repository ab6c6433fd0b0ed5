"""Big import files: time and peak memory to parse (preview) an SPM file of N rows, as .xlsx and as .csv, in a
child process each (so peak RSS is that parse alone), on a fresh database with the test fixture's facilities.

    .venv/bin/python benchmarks/import_big.py [N ...]        # default: 200000

Prints one line per file: rows, file size, seconds, peak RSS (MB), rows imported/rejected. The row limit (setting
max_rows, default 2,000,000) refuses a bigger file from the worksheet XML scan, before any parser builds the sheet.
The generated rows repeat 144 keys, so almost every row is a rejected duplicate: the worst case for the problem list.

Measured 2026-11-30 (2 shared CPU cores, other work running):

| file | rows | size MB | parse s | peak RSS MB |
|---|---|---|---|---|
| .xlsx | 200,000 | 4.4 | 19.4 | 569 |
| .csv | 200,000 | 6.5 | 12.8 | 570 |
| .xlsx, before the fix below | 50,000 | 1.1 | 51.1 | 511 |

The fix: the worksheet scan that decides the fast path (calamine) split cell tags at its 1 MB chunk boundary, so
every sheet XML above 1 MB looked as if some cells had no address and went through openpyxl (~17x slower).
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


def main(sizes: list[int]) -> None:
    print("| file | rows | size MB | parse s | peak RSS MB | rows read | valid | problems |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        for n in sizes:
            for f in make_files(folder, n):
                dbp = folder / f"b_{f.stem}_{f.suffix[1:]}.duckdb"
                t = time.perf_counter()
                out = subprocess.run([sys.executable, "-c", CHILD, str(f), str(dbp), str(ROOT)], capture_output=True,
                                     text=True, env={"ILP_UPLOADS": str(folder / "up"), "ILP_SALT_FILE": str(folder / "s"),
                                                     "PATH": "/usr/bin:/bin", "ILP_MAX_UPLOAD_MB": "500"})
                if out.returncode:
                    print(f"| {f.name} | {n} | error: {out.stderr.strip().splitlines()[-1][:120]} |")
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"| {f.suffix} | {n:,} | {f.stat().st_size / 1048576:.1f} | {r['s']:.1f} | {r['rss_mb']:.0f} | "
                      f"{r['read']:,} | {r['valid']:,} | {r['problems']} |", flush=True)
                del t


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200_000])
