"""A heavy import outside the server process: the preview (parse) or the import of a big upload runs in a child
Python process with a memory cap (resource.setrlimit RLIMIT_AS) and a time limit, so the Streamlit server's memory
does not grow with the file and a file too big for the machine costs a clean refusal, not the server.

    parsed = preview(db_path, "spm", path, "spm 2025.xlsx", {}, progress=print)          # Parsed, no tables
    res = run_import(db_path, "spm", path, "spm 2025.xlsx", "dinkes", {}, accept_valid=True)  # ImportResult

The child opens the database itself (read-only for a preview, read-write for the import) and sends back only
what the page shows: a preview's `Parsed` comes back without its tables (its row counts, capped problems and
notes are what the page needs; the import parses the file again inside its own child). When the child is killed
(time limit), runs out of memory or dies, the result is a whole-file Problem 'impor.terlalu_besar_diproses'
(or 'impor.proses_gagal') and the database is unchanged: the child's import transaction never committed, and the
failed import is logged by the caller's process. Task and result travel as pickles in private (0600) temporary
files that are removed in a `finally`.

Limits: ILP_IMPOR_MAX_MB (default 1500, address space of the child) and ILP_IMPOR_MAX_DETIK (default 900);
uploads below CHILD_ABOVE_BYTES (ILP_IMPOR_ANAK_MB, default 1 MB) are parsed in the server's process (starting a
child costs ~2 s; a file that small cannot need much memory: the zip guard bounds an .xlsx's inflated size).
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ilp.ingest.base import Msg, Parsed, Problem

ROOT = Path(__file__).resolve().parents[2]
LOG = logging.getLogger("pantau_ilp.impor")


def max_mb() -> int:
    return int(float(os.environ.get("ILP_IMPOR_MAX_MB") or 1500))


def max_seconds() -> float:
    return float(os.environ.get("ILP_IMPOR_MAX_DETIK") or 900)


def child_above_bytes() -> int:
    return int(float(os.environ.get("ILP_IMPOR_ANAK_MB") or 1) * 1048576)


def use_child(path: str | os.PathLike) -> bool:
    """Is this upload big enough to be parsed and imported in a child process?"""
    try:
        return Path(path).stat().st_size >= child_above_bytes()
    except OSError:
        return False


# ---------------------------------------------------------------- the parent side

class ChildFailed(Exception):
    """The child did not return a result; `problem` says why (a Msg rendered in the reader's language)."""

    def __init__(self, problem: Problem, killed_for: str | None):
        super().__init__(problem.msg.key)
        self.problem = problem
        self.killed_for = killed_for   # 'memori' | 'waktu' | 'berhenti' (the progress callback said stop) | None


def too_big(kind: str, sebab: Msg) -> Problem:
    return Problem(None, None, Msg("impor.terlalu_besar_diproses", {"sebab": sebab, "jenis": kind}))


def _private_file(suffix: str) -> Path:
    fd, p = tempfile.mkstemp(prefix="pantau-ilp-anak-", suffix=suffix)   # 0600
    os.close(fd)
    return Path(p)


def _kill(proc) -> None:
    """Stop the child and anything it started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run(task: dict, progress: Callable[[dict], None] | None, mem_mb: int | None, seconds: float | None):
    """Run `task` in a child; its result object, or ChildFailed."""
    mem_mb = mem_mb or max_mb()
    seconds = seconds or max_seconds()
    task = {**task, "mem_mb": mem_mb}
    tin, tout = _private_file(".task"), _private_file(".result")
    try:
        with open(tin, "wb") as f:
            pickle.dump(task, f)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        for var in ("POLARS_MAX_THREADS", "RAYON_NUM_THREADS", "OMP_NUM_THREADS", "MALLOC_ARENA_MAX"):
            env.setdefault(var, "2")   # few threads and malloc arenas: the cores are shared, and each reserves memory
        proc = subprocess.Popen([sys.executable, "-m", "ilp.ingest.child", str(tin), str(tout)], cwd=str(ROOT), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        start = time.monotonic()
        killed = None
        err_tail: list[str] = []
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        pending = {"out": b"", "err": b""}
        open_streams = 2
        while open_streams and not killed:
            left = seconds - (time.monotonic() - start)
            if left <= 0:
                killed = "waktu"
                break
            if _rss_mb(proc.pid) > mem_mb:
                killed = "memori"
                break
            for key, _ in sel.select(timeout=min(left, 0.2)):
                chunk = os.read(key.fileobj.fileno(), 65536)   # never blocks on a line without its end
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                *lines, pending[key.data] = (pending[key.data] + chunk).split(b"\n")
                if key.data == "err":
                    err_tail = (err_tail + [x.decode("utf-8", "replace").rstrip() for x in lines])[-20:]
                    pending["err"] = pending["err"][-4096:]
                    continue
                pending["out"] = pending["out"][-65536:]
                for line in lines:
                    try:
                        info = json.loads(line)
                    except ValueError:
                        continue
                    if progress is not None and progress(info) is False:   # the caller stops the child
                        killed = "berhenti"
                        break
                if killed:
                    break
        if killed:
            _kill(proc)
        if pending["err"]:
            err_tail.append(pending["err"].decode("utf-8", "replace"))
        sel.close()
        try:
            rc = proc.wait(timeout=max(1.0, seconds - (time.monotonic() - start)) if not killed else 10)
        except subprocess.TimeoutExpired:
            killed = "waktu"
            _kill(proc)
            rc = proc.wait()
        finally:
            proc.stdout.close()
            proc.stderr.close()
        if killed is None and rc == 0 and tout.stat().st_size:
            with open(tout, "rb") as f:
                return pickle.load(f)
        kind = task["kind"]
        text = "\n".join(err_tail).lower()
        if killed == "berhenti":
            raise ChildFailed(Problem(None, None, Msg("impor.proses_gagal", {"jenis": "dihentikan"})), "berhenti")
        if killed == "waktu":
            raise ChildFailed(too_big(kind, Msg("impor.sebab_waktu", {"detik": f"{seconds:.0f}"})), "waktu")
        if killed == "memori" or "memory" in text or "alloc" in text or rc == -signal.SIGKILL:
            raise ChildFailed(too_big(kind, Msg("impor.sebab_memori", {"mb": mem_mb})), "memori")
        why = f"sinyal {-rc}" if rc < 0 else f"kode {rc}"
        # the child's own error goes to the server log, not to the page (it may name the database file's path)
        LOG.warning("import child (%s %s) ended with %s: %s", task["op"], kind, why, " / ".join(err_tail[-5:]))
        raise ChildFailed(Problem(None, None, Msg("impor.proses_gagal", {"jenis": why})), None)
    finally:
        for p in (tin, tout):
            p.unlink(missing_ok=True)


def preview(db_path: str | os.PathLike, kind: str, path: str | os.PathLike, name: str, options: dict | None = None, *,
            progress: Callable[[dict], None] | None = None, mem_mb: int | None = None,
            seconds: float | None = None) -> Parsed:
    """runner.preview in a child. The Parsed comes back without its tables (rows_valid etc. kept); a child that
    fails gives a Parsed with one whole-file problem (fatal: nothing can be imported from it)."""
    task = {"op": "preview", "db": str(db_path), "kind": kind, "path": str(path), "name": name,
            "options": dict(options or {})}
    try:
        return _run(task, progress, mem_mb, seconds)
    except ChildFailed as e:
        return Parsed(problems=[e.problem])


def run_import(db_path: str | os.PathLike, kind: str, path: str | os.PathLike, name: str, user: str,
               options: dict | None = None, accept_valid: bool = False, *,
               progress: Callable[[dict], None] | None = None, mem_mb: int | None = None, seconds: float | None = None):
    """runner.run_import in a child (it parses the file again there). A child that fails leaves the database as it
    was; the failure is logged here (import_log, status 'gagal') and returned as a failed ImportResult."""
    from ilp.ingest import runner
    task = {"op": "import", "db": str(db_path), "kind": kind, "path": str(path), "name": name,
            "options": dict(options or {}), "user": user, "accept_valid": accept_valid}
    try:
        return _run(task, progress, mem_mb, seconds)
    except ChildFailed as e:
        con = _open(str(db_path), read_only=False)
        try:
            return runner.failed_import(con, kind, path, name, user, e.problem)
        finally:
            con.close()


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


# ---------------------------------------------------------------- the child side

VIRTUAL_MB = 3072   # address space reserved but not used (thread stacks, allocator arenas: ~2-3 GB at 300 MB resident)


def _limit_memory(mb: int) -> None:
    """RLIMIT_AS: the cap plus what the libraries reserve without using, so that a runaway allocation fails in the
    child (MemoryError, a clean refusal) before the machine runs short. The cap on what is resident is enforced by
    the parent (it polls the child's VmRSS and stops it above the cap)."""
    import resource
    cap = (int(mb) + VIRTUAL_MB) * 1048576
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _open(db_path: str, read_only: bool):
    import duckdb
    from ilp import db
    for i in range(50):
        try:
            return db.connect(db_path, read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as e:
            if "lock" not in str(e).lower() or i == 49:
                raise
            time.sleep(0.2)


def _say(**kw) -> None:
    print(json.dumps(kw), flush=True)


def main(argv: list[str]) -> int:
    with open(argv[0], "rb") as f:
        task = pickle.load(f)
    _limit_memory(task["mem_mb"])
    from ilp.ingest import runner
    opts = dict(task["options"])
    opts["_progress"] = lambda n: _say(baris=n)
    if os.environ.get("ILP_ANAK_UJI_TAHAN"):   # tests: stop inside the import's transaction, after the inserts
        runner._after_insert_hook = lambda: (_say(tahap="ditulis"), time.sleep(float(os.environ["ILP_ANAK_UJI_TAHAN"])))
    _say(tahap="mulai")
    if task["op"] == "preview":
        con = _open(task["db"], read_only=True)
        try:
            parsed = runner.preview(con, task["kind"], task["path"], task["name"], opts)
        finally:
            con.close()
        if parsed.problems and parsed.problems[0].msg.key == "impor.terlalu_besar_dibaca":   # a MemoryError
            parsed.problems[0] = too_big(task["kind"], Msg("impor.sebab_memori", {"mb": task["mem_mb"]}))
        problems = parsed.problems.compact() if hasattr(parsed.problems, "compact") else parsed.problems
        out = replace(parsed, tables={t: f.clear() for t, f in parsed.tables.items()}, problems=problems)
    else:
        con = _open(task["db"], read_only=False)
        try:
            out = runner.run_import(con, task["kind"], task["path"], task["name"], task["user"], opts,
                                    accept_valid=task["accept_valid"])
        finally:
            con.close()
    _say(tahap="selesai")
    with open(argv[1], "wb") as f:
        pickle.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
