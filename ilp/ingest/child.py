"""A heavy import outside the server process: the preview (parse) or the import of a big upload runs in a child
Python process with a memory cap (resource.setrlimit RLIMIT_AS) and a time limit, so the Streamlit server's memory
does not grow with the file and a file too big for the machine costs a clean refusal, not the server.

    parsed = preview(db_path, "spm", path, "spm 2025.xlsx", {}, progress=print)          # Parsed, no tables
    res = run_import(db_path, "spm", path, "spm 2025.xlsx", "dinkes", {}, accept_valid=True)  # ImportResult
    discard(runner.preview_key("spm", path, "spm 2025.xlsx", {}))   # the page's "batal" / another file chosen

The child opens the database itself (read-only for a preview, read-write for the import) and sends back only
what the page shows: a preview's `Parsed` comes back without its tables (its row counts, capped problems and
notes are what the page needs). When the child is killed (time limit), runs out of memory or dies, the result is a
whole-file Problem 'impor.terlalu_besar_diproses' (or 'impor.proses_gagal') and the database is unchanged: the
child's import transaction never committed, and the failed import is logged by the caller's process. Task and
result travel as pickles in private (0600) temporary files that are removed in a `finally`.

The file is parsed once. The preview child keeps what it parsed (the valid rows of each table as Arrow IPC, the
problems/notes/counts as a pickle, and a manifest) in a saved parse: a private folder (0700)
`<system temp dir>/pantau-ilp-periksa-<uid>/<id>/` (`saved_root()`; the system temp dir is TMPDIR, else /tmp).
Its `<id>` and the manifest's signature are HMAC-SHA256s under a random key of this server process, over the
preview key (`runner.preview_key`: kind, the file's sha256 and name, every option; an option file by its sha256);
the manifest also holds the database's data stamp (`data_stamp`: its import log) and the sha256 of every file.
The import child uses the saved parse only when all of these match: the same file and options, no import since
the preview, nothing changed on disk; otherwise (missing, stale, tampered, unreadable, or written by another
server process) it parses the file again, which gives the same rows. The import stays one transaction.
What stays on disk: the rows to import (for an e-PPGBM export: pseudonymous child ids, dates, measurements; its
NIK, names and addresses are dropped by the parse and never written here), for as long as the page waits for
"impor" or "batal". It is deleted after the import (whatever its outcome), on cancel, when another file or other
options are chosen, when the preview fails, and any saved parse older than SAVED_MAX_AGE_S (a day: a session
closed without either button) is deleted by the next preview.

Limits: ILP_IMPOR_MAX_MB (default 1500, address space of the child) and ILP_IMPOR_MAX_DETIK (default 900), for the
preview and for the import alike; uploads below CHILD_ABOVE_BYTES (ILP_IMPOR_ANAK_MB, default 1 MB) are parsed in
the server's process (starting a child costs ~2 s; a file that small cannot need much memory: the zip guard bounds
an .xlsx's inflated size), where the page keeps the parsed tables for the import itself.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import pickle
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

import polars as pl

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
            seconds: float | None = None, key: str | None = None) -> Parsed:
    """runner.preview in a child, which keeps what it parsed for the import (module doc). The Parsed comes back
    without its tables (rows_valid etc. kept); a child that fails gives a Parsed with one whole-file problem
    (fatal: nothing can be imported from it). `key`: runner.preview_key of these arguments, when the caller has
    it already (it hashes the file)."""
    from ilp.ingest import runner
    key = key or runner.preview_key(kind, path, name, options)
    sweep()
    task = {"op": "preview", "db": str(db_path), "kind": kind, "path": str(path), "name": name,
            "options": dict(options or {}), "saved": _saved_task(key, create=True)}
    try:
        parsed = _run(task, progress, mem_mb, seconds)
    except ChildFailed as e:
        parsed = Parsed(problems=[e.problem])
    finally:
        _remove_partial(key)
    if parsed.fatal or not parsed.rows_valid:
        discard(key)   # nothing will be imported from it
    return parsed


def run_import(db_path: str | os.PathLike, kind: str, path: str | os.PathLike, name: str, user: str,
               options: dict | None = None, accept_valid: bool = False, *,
               progress: Callable[[dict], None] | None = None, mem_mb: int | None = None, seconds: float | None = None,
               key: str | None = None):
    """runner.run_import in a child: from the preview's saved parse when it matches this file, these options and
    the database as it is (progress says {'tahap': 'tersimpan'}), else the child parses the file again
    ({'tahap': 'baca_ulang', 'sebab': ...}). The saved parse is deleted afterwards, whatever the outcome. A child
    that fails leaves the database as it was; the failure is logged here (import_log, status 'gagal') and
    returned as a failed ImportResult."""
    from ilp.ingest import runner
    key = key or runner.preview_key(kind, path, name, options)
    task = {"op": "import", "db": str(db_path), "kind": kind, "path": str(path), "name": name,
            "options": dict(options or {}), "user": user, "accept_valid": accept_valid,
            "saved": _saved_task(key, create=False)}

    def told(info: dict):
        if info.get("tahap") == "baca_ulang":   # the server log says why the file was read again
            LOG.info("import of %s: saved parse not used (%s), the file is parsed again", kind, info.get("sebab"))
        return progress(info) if progress is not None else None
    try:
        return _run(task, told, mem_mb, seconds)
    except ChildFailed as e:
        con = _open(str(db_path), read_only=False)
        try:
            return runner.failed_import(con, kind, path, name, user, e.problem)
        finally:
            con.close()
    finally:
        discard(key)


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


# ---------------------------------------------------------------- the saved parse (preview -> import)

SAVED_MAX_AGE_S = 86400          # a saved parse nobody imported or cancelled (a closed session) lives a day at most
SAVED_VERSION = 1
_SECRET = secrets.token_bytes(32)  # this server process's key: names and signs its saved parses


class NotUsable(Exception):
    """The saved parse cannot be used (its message says why, for the progress line and the server log)."""


def saved_root() -> Path:
    """Where saved parses live (module doc); the folder is made 0700 and used only while it is ours alone."""
    return Path(tempfile.gettempdir()) / f"pantau-ilp-periksa-{os.getuid()}"


def _root(create: bool) -> Path | None:
    """The saved-parse folder, or None when it is missing (and not `create`) or not safely private: a link,
    another owner, or open to others (then the import simply parses the file again)."""
    root = saved_root()
    if create:
        try:
            os.mkdir(root, 0o700)
        except FileExistsError:
            pass
        except OSError as e:
            LOG.warning("saved parses: cannot make %s: %s", root, e)
            return None
    try:
        st = os.lstat(root)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        LOG.warning("saved parses: %s is not a private folder of this user; not used", root)
        return None
    return root


def saved_id(key: str) -> str:
    """The folder name of the saved parse for a preview key (keyed: it names neither the file nor its options)."""
    return _sign(_SECRET, key.encode())[:40]


def _sign(secret: bytes, data: bytes) -> str:
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def _saved_task(key: str, create: bool) -> dict | None:
    """What a child needs to write or read the saved parse of `key` (None: no private folder, nothing saved)."""
    root = _root(create)
    if root is None:
        return None
    return {"dir": str(root / saved_id(key)), "key": _sign(_SECRET, key.encode()), "secret": _SECRET}


def discard(key: str) -> None:
    """Delete the saved parse of a preview key (after the import, on cancel, when another file is chosen)."""
    root = _root(create=False)
    if root is not None:
        shutil.rmtree(root / saved_id(key), ignore_errors=True)


def _remove_partial(key: str) -> None:
    """A preview child stopped while writing leaves a half-written '.<id>.*' folder: remove it."""
    root = _root(create=False)
    if root is not None:
        for p in root.glob(f".{saved_id(key)}.*"):
            shutil.rmtree(p, ignore_errors=True)


def sweep(max_age_s: float = SAVED_MAX_AGE_S) -> int:
    """Delete saved parses (and half-written ones) older than `max_age_s`; how many were deleted."""
    root = _root(create=False)
    if root is None:
        return 0
    n = 0
    now = time.time()
    for p in root.iterdir():
        try:
            old = now - p.lstat().st_mtime > max_age_s
        except OSError:
            continue
        if old:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            n += 1
    return n


def data_stamp(con) -> str:
    """The database's data version as the parse sees it: every import (even a refused or cancelled one) adds a
    row to the import log, so a saved parse is stale when the newest rows of the log differ."""
    from ilp import db
    log = db.run(con, "quality/import_log")
    return hashlib.sha256(repr(log.rows()).encode()).hexdigest()


def _manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()


def save_parse(saved: dict, parsed: Parsed, stamp: str) -> Path:
    """Write `parsed` (its tables as Arrow IPC, the rest as a pickle, a signed manifest) into a new private folder,
    then put it in place of any older saved parse of the same key in one rename."""
    from ilp.ingest.runner import sha256_file
    dest = Path(saved["dir"])
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))   # 0700
    try:
        tables = []
        for i, (tbl, f) in enumerate(parsed.tables.items()):
            fp = tmp / f"t{i}.arrow"
            f.write_ipc(fp, compression="lz4")
            tables.append([tbl, fp.name, sha256_file(fp)])
        rest = tmp / "rest.pickle"
        with open(rest, "wb") as fh:
            pickle.dump(replace(parsed, tables={}), fh, protocol=pickle.HIGHEST_PROTOCOL)
        manifest = {"v": SAVED_VERSION, "key": saved["key"], "stamp": stamp, "tables": tables,
                    "rest": sha256_file(rest)}
        manifest["mac"] = _sign(saved["secret"], _manifest_bytes(manifest))
        (tmp / "manifest.json").write_bytes(_manifest_bytes(manifest))
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def load_parse(saved: dict | None, stamp: str) -> Parsed:
    """The saved parse for this key and data stamp, every file checked against the signed manifest; NotUsable
    when it is missing, stale, tampered or unreadable."""
    if saved is None:
        raise NotUsable("tanpa_folder")
    d = Path(saved["dir"])
    try:
        manifest = json.loads((d / "manifest.json").read_bytes())
        mac = manifest.pop("mac")
    except FileNotFoundError:
        raise NotUsable("tidak_ada") from None
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        raise NotUsable("rusak") from None
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _sign(saved["secret"], _manifest_bytes(manifest))):
        raise NotUsable("tanda_tangan")
    if manifest.get("v") != SAVED_VERSION or manifest.get("key") != saved["key"]:
        raise NotUsable("kunci")
    if manifest.get("stamp") != stamp:
        raise NotUsable("data_berubah")

    def checked(name: str, sha: str) -> bytes:
        if "/" in name or name.startswith("."):
            raise NotUsable("rusak")
        try:
            raw = (d / name).read_bytes()
        except OSError:
            raise NotUsable("rusak") from None
        if not hmac.compare_digest(hashlib.sha256(raw).hexdigest(), sha):
            raise NotUsable("isi_berubah")
        return raw

    try:
        parsed = pickle.loads(checked("rest.pickle", manifest["rest"]))   # only after its signed hash matched
        tables = {}
        for tbl, name, sha in manifest["tables"]:
            tables[tbl] = pl.read_ipc(io.BytesIO(checked(name, sha)))
    except NotUsable:
        raise
    except Exception:
        raise NotUsable("rusak") from None
    if not isinstance(parsed, Parsed):
        raise NotUsable("rusak")
    return replace(parsed, tables=tables)


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


def _preview(task: dict, opts: dict):
    from ilp.ingest import runner
    con = _open(task["db"], read_only=True)
    try:
        parsed = runner.preview(con, task["kind"], task["path"], task["name"], opts)
        stamp = data_stamp(con) if task.get("saved") else ""
    finally:
        con.close()
    if parsed.problems and parsed.problems[0].msg.key == "impor.terlalu_besar_dibaca":   # a MemoryError
        parsed.problems[0] = too_big(task["kind"], Msg("impor.sebab_memori", {"mb": task["mem_mb"]}))
    problems = parsed.problems.compact() if hasattr(parsed.problems, "compact") else parsed.problems
    parsed = replace(parsed, problems=problems)
    if task.get("saved") and parsed.rows_valid and not parsed.fatal:
        _say(tahap="menyimpan")
        try:
            save_parse(task["saved"], parsed, stamp)
        except OSError as e:   # e.g. a full disk: the import will parse the file again
            LOG.warning("saved parse not written: %s", e)
    return replace(parsed, tables={t: f.clear() for t, f in parsed.tables.items()})


def _import(task: dict, opts: dict):
    from ilp.ingest import runner
    con = _open(task["db"], read_only=False)
    try:
        try:
            parsed = load_parse(task.get("saved"), data_stamp(con))
            _say(tahap="tersimpan")
        except NotUsable as e:
            parsed = None
            _say(tahap="baca_ulang", sebab=str(e))
        return runner.run_import(con, task["kind"], task["path"], task["name"], task["user"], opts,
                                 accept_valid=task["accept_valid"], parsed=parsed)
    finally:
        con.close()


def work(task: dict):
    """What the child does with a task (also callable in a test's own process: no limits are set here)."""
    opts = dict(task["options"])
    opts["_progress"] = lambda n: _say(baris=n)
    _say(tahap="mulai")
    out = _preview(task, opts) if task["op"] == "preview" else _import(task, opts)
    _say(tahap="selesai")
    return out


def main(argv: list[str]) -> int:
    with open(argv[0], "rb") as f:
        task = pickle.load(f)
    _limit_memory(task["mem_mb"])
    from ilp.ingest import runner
    if os.environ.get("ILP_ANAK_UJI_TAHAN"):   # tests: stop inside the import's transaction, after the inserts
        runner._after_insert_hook = lambda: (_say(tahap="ditulis"), time.sleep(float(os.environ["ILP_ANAK_UJI_TAHAN"])))
    out = work(task)
    with open(argv[1], "wb") as f:
        pickle.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
