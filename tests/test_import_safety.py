"""An import is all-or-nothing, against a database FILE as the app uses it.

* Readers in other threads (own cursor from one shared connection, as the app does; and a second
  connection to the same file in the same process) only ever see the totals before or after,
  provided they read inside `runner.reading()`: DuckDB 2.0 on its own sometimes shows a reader
  that starts during a COMMIT the rows of one table but not yet those of another (a large
  append of >1 row group and a one-row insert: measured several times per dozen commits).
  A second read_only connection in the same process is refused by DuckDB (checked below).
* A process killed with SIGKILL inside the import transaction leaves the database as it was.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ilp import db
from ilp.ingest import runner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_bad_corpus as mbc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_PKM = 30
KODES = [mbc.PKM] + [f"P35230102{i:02d}" for i in range(N_PKM)]
SOURCES = ("PUSDATIN", "BPS_PROJ", "DUKCAPIL", "RIIL")
STATE_SQL = ("select (select count(*) from sasaran), (select coalesce(sum(jumlah), 0) from sasaran), "
             "(select count(*) from import_log where status in ('berhasil', 'sebagian'))")


def _write_sasaran(path: Path, years: range, value_offset: int = 0) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("tahun,kode_unit,jenis_unit,layanan,sumber,jumlah\n")
        for y in years:
            for k in KODES:
                for lay in range(1, 13):
                    for s in SOURCES:
                        f.write(f"{y},{k},puskesmas,spm{lay:02d},{s},{(y * 7 + lay) % 1000 + value_offset}\n")
                        n += 1
    return n


@pytest.fixture
def dbfile(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))
    path = tmp_path / "ilp.duckdb"
    con = db.connect(path)
    mbc.load_fixture(con, extra_puskesmas=N_PKM)
    small = tmp_path / "awal.csv"
    _write_sasaran(small, range(2020, 2026))
    res = runner.run_import(con, "sasaran", small, small.name, "uji")
    assert res.status == "berhasil"
    con.close()
    return path


def test_readers_see_before_or_after_never_half(dbfile, tmp_path, monkeypatch):
    big = tmp_path / "besar.csv"
    n = _write_sasaran(big, range(2000, 2101), value_offset=1)  # overlaps (replaces) the 2020-2025 rows
    con = db.connect(dbfile)  # one shared connection, as the app caches it
    before = tuple(con.cursor().execute(STATE_SQL).fetchall()[0])

    # DuckDB refuses a read_only connection to a file this process already opened read-write
    with pytest.raises(duckdb.ConnectionException):
        duckdb.connect(str(dbfile), read_only=True)
    other = duckdb.connect(str(dbfile))  # same configuration: allowed, shares the database instance

    in_txn = threading.Event()
    done = threading.Event()
    seen: list[tuple] = []
    seen_in_txn: list[tuple] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def pause_inside_transaction():
        in_txn.set()
        # rows are inserted but not committed: readers must not see them. Held until every reader has read
        # inside the transaction a few times (at most 1.5 s), instead of always 1.5 s
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            with lock:
                if len(seen_in_txn) >= 3 * len(threads):
                    break
            time.sleep(0.01)
        in_txn.clear()

    monkeypatch.setattr(runner, "_after_insert_hook", pause_inside_transaction)

    def reader(make_cursor):
        try:
            cur = make_cursor()
            extra = 0
            while extra < 5:
                if done.is_set():
                    extra += 1
                inside = in_txn.is_set()
                with runner.reading():  # what ilp.db.run must do; DuckDB alone is not enough (see runner.COMMIT_LOCK)
                    st = tuple(cur.execute(STATE_SQL).fetchall()[0])
                with lock:
                    seen.append(st)
                    if inside and in_txn.is_set():
                        seen_in_txn.append(st)
                time.sleep(0.005)
            cur.close()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader, args=(con.cursor,)) for _ in range(3)]
    threads.append(threading.Thread(target=reader, args=(other.cursor,)))
    for t in threads:
        t.start()
    result: dict = {}

    def writer():
        try:
            result["res"] = runner.run_import(con, "sasaran", big, big.name, "uji")
        except BaseException as e:  # pragma: no cover
            errors.append(e)
        finally:
            done.set()

    w = threading.Thread(target=writer)
    w.start()
    w.join(timeout=300)
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    res = result["res"]
    assert res.status == "berhasil" and res.rows_imported == n
    after = tuple(con.cursor().execute(STATE_SQL).fetchall()[0])
    assert after[0] == n and after[2] == before[2] + 1
    states = set(seen)
    assert states <= {before, after}, f"a reader saw a half-done import: {states - {before, after}}"
    assert before in states and after in states
    assert seen_in_txn and set(seen_in_txn) == {before}, "readers ran while the transaction was open"
    other.close()
    con.close()


PAUSE_MARKER = "ILP_IMPORT_PAUSED_IN_TRANSACTION"


@pytest.mark.slow  # by nature: starts a Python process on a 150k-row import and SIGKILLs it inside the transaction
def test_killed_import_leaves_database_unchanged(dbfile, tmp_path):
    big = tmp_path / "besar.csv"
    _write_sasaran(big, range(2000, 2101), value_offset=3)  # ~150k rows: more than one row group
    con = db.connect(dbfile)
    before = db.table_checksums(con)  # all tables, import_log included: the log row is in the same transaction
    con.close()

    env = {**os.environ, "ILP_UPLOADS": str(tmp_path / "uploads"),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # the subprocess sets the runner's plain hook itself: say so, then wait inside the transaction
    script = (
        "import sys, time\n"
        "from ilp import cli_import\n"
        "from ilp.ingest import runner\n"
        "def pause():\n"
        f"    print({PAUSE_MARKER!r}, file=sys.stderr, flush=True)\n"
        "    time.sleep(120)\n"
        "runner._after_insert_hook = pause\n"
        "sys.exit(cli_import.main(cli_import.build_parser().parse_args(sys.argv[1:])))\n")
    proc = subprocess.Popen([sys.executable, "-c", script, "sasaran", str(big), "--db", str(dbfile)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 180
        lines = []
        while time.time() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
            if PAUSE_MARKER in line:
                break
        assert any(PAUSE_MARKER in x for x in lines), "the import never reached its transaction:\n" + "".join(lines)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    con = db.connect(dbfile)
    assert db.table_checksums(con) == before, "a killed import left rows behind"
    # and the database is still fine for the next import
    res = runner.run_import(con, "sasaran", big, big.name, "uji")
    assert res.status == "berhasil"
    assert con.execute("select count(*) from sasaran").fetchall()[0][0] == res.rows_imported
    con.close()
