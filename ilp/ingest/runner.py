"""Run an import: keep the raw file, parse, and write all valid rows in ONE transaction.

Shared by the Kelola Data page and `python -m ilp import KIND FILE`:

    parsed = preview(con, "sasaran", path, "sasaran 2025.xlsx", {})          # parse only, never writes
    result = run_import(con, "sasaran", path, "sasaran 2025.xlsx", "dinkes",   # writes, or logs why not
                        accept_valid=True, parsed=parsed)
    cancel_log(con, "sasaran", path, "sasaran 2025.xlsx", "dinkes", parsed)   # the page's "batal"

A failed, refused or cancelled import changes no data table (only one import_log row is added).
The same file imported twice doubles nothing: rows are `insert or replace` on the primary key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl

from ilp import config, db, fakta
from ilp.db import COMMIT_LOCK, RWLock
from ilp.i18n import t
from ilp.ingest.base import ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.ingest.readers import ReadError, check_name, check_size, safe_filename

KIND_NAMES = ("wilayah", "boundaries", "faskes", "tenaga", "sasaran", "spm", "eppgbm", "rekap", "survei", "target")

LOG_SQL = ("insert into import_log (import_id, waktu, pengguna, jenis, nama_file, sha256, baris_dibaca, "
           "baris_diimpor, baris_ditolak, status, file_tersimpan) values ($import_id, $waktu, $pengguna, $jenis, "
           "$nama_file, $sha256, $dibaca, $diimpor, $ditolak, $status, $file)")

_after_insert_hook: Callable[[], None] | None = None  # tests: called inside the transaction after the inserts


# ---------------------------------------------------------------- commit visibility

# DuckDB 2.0 does NOT make a multi-table commit visible atomically to readers that start while
# the commit runs (measured: after a 150k-row append to one table plus one row in another, a
# concurrent reader sometimes sees the big table's new rows without the other row; see
# tests/test_import_safety.py). So the COMMIT of an import is taken under this lock, and every
# reader of the shared connection must query inside `reading()` (ilp.db.run should do so).
# The lock lives in ilp.db (one per process); ilp.db.run and fetch_pl read under it.
def commit_lock() -> RWLock:
    return COMMIT_LOCK


@contextmanager
def reading():
    """Readers: `with runner.reading(): cur.execute(...).fetchall()` never sees half an import."""
    with commit_lock().reading():
        yield


# ---------------------------------------------------------------- registry

class Kinds(dict):
    """Kind name -> ImportKind: the ten built-in kinds; tests may register more."""

    def register(self, kind: ImportKind) -> None:
        self[kind.name] = kind

    def reload(self) -> None:
        """Back to the built-in kinds only."""
        self.clear()
        self.update(_builtin())


def _builtin() -> dict[str, ImportKind]:
    from ilp.ingest import boundaries, eppgbm, faskes, rekap, sasaran, spm, survei, target, tenaga, wilayah
    kinds = (wilayah.KIND, boundaries.KIND, faskes.KIND, tenaga.KIND, sasaran.KIND, spm.KIND, eppgbm.KIND, rekap.KIND,
             survei.KIND, target.KIND)
    return {k.name: k for k in kinds}


REGISTRY = Kinds(_builtin())


# ---------------------------------------------------------------- options

def common_options(kind: ImportKind) -> tuple[Option, ...]:
    """Options every tabular kind has: the sheet to read and the header overrides (TARGET=HEADER)."""
    targets = tuple(c[0] for c in kind.columns if not c[0].startswith("_"))
    return (Option("sheet", "text", "impor.opsi.sheet", "impor.opsi.sheet_bantuan", metavar="NAMA"),
            Option("kolom", "mapping", "impor.opsi.kolom", "impor.opsi.kolom_bantuan", choices=targets,
                   metavar="TARGET=JUDUL"))


def kind_options(kind_name: str) -> tuple[Option, ...]:
    """The options of one kind, as declared: the common ones (kinds read as tables), then the kind's own."""
    k = REGISTRY[kind_name]
    own = {o.name for o in k.options}
    tabular = any(e in k.extensions for e in (".csv", ".xlsx"))
    return tuple(o for o in (common_options(k) if tabular else ()) if o.name not in own) + tuple(k.options)


# ---------------------------------------------------------------- result

@dataclass
class ImportResult:
    status: str                      # 'berhasil' | 'sebagian' | 'gagal' | 'dibatalkan'
    kind: str
    file_name: str                   # sanitised original name
    import_id: str
    sha256: str = ""
    kept_path: str | None = None     # the raw file under data/uploads/
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)  # rows written per table
    log_status: str | None = None    # import_log.status when it says more than `status`: 'gagal_disk_penuh',
                                     # 'gagal_database_rusak' (the log has no reason column)

    @property
    def ok(self) -> bool:
        return self.status in ("berhasil", "sebagian")

    def summary(self, lang: str = "id") -> str:
        return t("impor.ringkasan", lang, file=self.file_name, status=t(f"impor.status.{self.status}", lang),
                 kind=self.kind, dibaca=self.rows_read, diimpor=self.rows_imported, ditolak=self.rows_rejected,
                 import_id=self.import_id)


# ---------------------------------------------------------------- files

def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def uploads_dir() -> Path:
    return Path(config.get("uploads"))


def keep_file(path: str | os.PathLike, name: str, sha: str | None = None) -> tuple[Path, str]:
    """Copy the raw file to uploads as <YYYYmmdd-HHMMSS>_<sha256[:12]>_<safe name>; same bytes+name reuse the copy."""
    sha = sha or sha256_file(path)
    safe = safe_filename(name)
    d = uploads_dir()
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob(f"*_{sha[:12]}_*"):
        if old.name.split("_", 2)[-1] == safe and old.is_file():
            return old, sha
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = (d / f"{stamp}_{sha[:12]}_{safe}").resolve()
    if dest.parent != d.resolve():  # cannot happen with safe_filename; belt and braces
        raise ValueError("unsafe upload name")
    tmp = dest.with_name(dest.name + ".part")
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)   # no stray .part (disk full, interrupted)
        raise
    return dest, sha


def disk_full(e: BaseException) -> bool:
    """The error is a full disk (ENOSPC / EDQUOT), from Python or from DuckDB's own message."""
    return db.is_disk_full(e)


def integrity_problem(con) -> Problem | None:
    """A checksum pass before an import writes: checkpoint, then read every column of every table once (DuckDB
    verifies each block's checksum as it reads it). A corrupt block gives a plain Indonesian refusal."""
    cur = con.cursor()
    try:
        try:
            cur.execute("checkpoint")
        except Exception as e:   # another transaction is open (the page's reader): not a sign of damage
            if disk_full(e) or _corrupt(e):
                raise
        for tabel in db.run(con, "ingest/tabel_dasar")["table_name"].to_list():
            db.run(con, "ingest/baca_tabel", tabel=tabel)
    except Exception as e:
        if disk_full(e):
            return _whole("impor.disk_penuh", tempat=Msg("impor.tempat.database"))
        if _corrupt(e):
            return _whole("impor.database_rusak", sebab=str(e).splitlines()[0][:200])
        raise
    finally:
        cur.close()
    return None


def _corrupt(e: BaseException) -> bool:
    """DuckDB's words for a block whose checksum does not match, or a file it cannot make sense of."""
    text = str(e).lower()
    return "corrupt" in text or "checksum" in text


# ---------------------------------------------------------------- parse

def _whole(key: str, **params) -> Problem:
    return Problem(None, None, Msg(key, params))


def _error(key: str, e: BaseException) -> Problem:
    return _whole(key, jenis=f"{type(e).__name__}: {str(e)[:300]}")


def preview(con, kind: str, path: str | os.PathLike, name: str, options: dict | None = None) -> Parsed:
    """Parse only (nothing is written). Whole-file problems have row None. Adds notes on rows that
    will replace rows already in the database (same key)."""
    k = REGISTRY.get(kind)
    if k is None:
        return Parsed(problems=[_whole("impor.jenis_tidak_dikenal", jenis=kind, pilihan=", ".join(sorted(REGISTRY)))])
    try:
        check_size(path)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    ext = Path(name or str(path)).suffix.lower()
    if k.extensions and ext and ext not in k.extensions and not (ext in (".txt", ".tsv") and ".csv" in k.extensions):
        return Parsed(problems=[_whole("impor.ekstensi_ditolak", ext=ext, jenis=kind, diterima=", ".join(k.extensions))])
    opts = dict(options or {})
    opts.setdefault("name", name)
    try:
        parsed = k.parse(Source(path=Path(path), name=name, options=opts), con)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    except MemoryError:
        return Parsed(problems=[_whole("impor.terlalu_besar_dibaca")])
    except Exception as e:  # a bug or a hostile file must never take the page down
        if _corrupt(e):
            return Parsed(problems=[_whole("impor.database_rusak", sebab=str(e).splitlines()[0][:200])])
        return Parsed(problems=[_error("impor.tidak_bisa_diproses", e)])
    from ilp.ingest.lookups import existing_keys
    for tbl, f in parsed.tables.items():
        if tbl in db.UPSERT_SQL and f.height:
            n = existing_keys(con, tbl, f)
            if n:
                parsed.notes.append(Msg("impor.catatan.menggantikan", {"n": n, "tabel": tbl}))
    return parsed


# ---------------------------------------------------------------- import

def preview_key(kind_name: str, path: str | os.PathLike, name: str, options: dict | None = None) -> str:
    """What a preview depends on, as one string: the kind, the file's sha256 and name, and the options (a 'file'
    option, e.g. a crosswalk saved under a new temporary name each run, by its content's sha256). The Kelola Data
    page parses an upload once per key instead of on every rerun."""
    files = {o.name for o in kind_options(kind_name) if o.type == "file"}
    opts = {k: (sha256_file(v) if k in files and v else v) for k, v in (options or {}).items()}
    return repr((kind_name, sha256_file(path), name, sorted(opts.items(), key=lambda kv: kv[0])))


def logged_name(kind_name: str, file_name: str, sha: str) -> str:
    """The file name import_log keeps: as given, except for kinds with personal data (keep_raw False), whose
    file name may hold a child's name ('ppgbm Budi Santoso.xlsx'): those are logged as '<kind>-<sha256[:12]>.<ext>'."""
    kind = REGISTRY.get(kind_name)
    if kind is None or kind.keep_raw:
        return file_name
    return f"{kind_name}-{(sha or '0' * 12)[:12]}{Path(file_name).suffix.lower()[:10]}"


def _safe_log(cur, res: ImportResult, user: str, when: dt.datetime) -> None:
    """Log a failed import; when even the log cannot be written (the disk is full), say so instead of a traceback."""
    try:
        _log(cur, res, user, when)
    except Exception as e:
        try:
            cur.execute("rollback")
        except Exception:
            pass
        res.problems.append(_whole("impor.log_gagal", sebab=Msg("impor.disk_penuh_singkat") if disk_full(e)
                                   else type(e).__name__))


def _log(cur, res: ImportResult, user: str, when: dt.datetime) -> None:
    cur.execute(LOG_SQL, {"import_id": res.import_id, "waktu": when, "pengguna": user or "?", "jenis": res.kind,
                          "nama_file": logged_name(res.kind, res.file_name, res.sha256), "sha256": res.sha256 or "-", "dibaca": res.rows_read,
                          "diimpor": res.rows_imported, "ditolak": res.rows_rejected, "status": res.log_status or res.status,
                          "file": str(res.kept_path) if res.kept_path else None})


def _with_import_id(con, table: str, f: pl.DataFrame, import_id: str) -> pl.DataFrame:
    """Rows carry the import that wrote them, in tables that record it."""
    if "import_id" in db.run(con, "ingest/kolom_tabel", tabel=table)["column_name"].to_list():
        return f.with_columns(pl.lit(import_id, dtype=pl.String).alias("import_id"))
    return f


def _write(con, parsed: Parsed, import_id: str, res: ImportResult, user: str, when: dt.datetime) -> dict[str, int]:
    """All tables + the log row in one transaction on a cursor of its own."""
    cur = con.cursor()
    written: dict[str, int] = {}
    try:
        cur.execute("begin transaction")
        try:
            left = fakta.kabs_left(cur, parsed.tables)   # before the write: a moved facility's old kab/kota
            for tbl, (sql, params) in parsed.replace.items():
                if tbl not in db.UPSERT_SQL:
                    raise ValueError(f"tabel tidak boleh ditulis: {tbl}")
                cur.execute(sql, params or {})
            for tbl, f in parsed.tables.items():
                if f.height:
                    written[tbl] = db.upsert(cur, tbl, _with_import_id(con, tbl, f, import_id))
            if parsed.meta:
                db.upsert(cur, "meta", pl.DataFrame({"key": list(parsed.meta), "value": list(parsed.meta.values())},
                                                    schema={"key": pl.String, "value": pl.String}))
            fakta.refresh_for_import(cur, parsed.tables, parsed.replace, left)  # facts of the kab/kota touched, same txn
            res.rows_imported = parsed.rows_valid
            res.tables = written
            if _after_insert_hook is not None:
                _after_insert_hook()
            _log(cur, res, user, when)
            with commit_lock().writing():
                cur.execute("commit")
        except BaseException:
            try:
                cur.execute("rollback")
            except Exception:
                pass
            raise
    finally:
        cur.close()
    return written


def _keep(kind_name: str, path, file_name: str) -> tuple[str | None, str]:
    """Keep the raw upload unless the kind holds personal data (then only its checksum is logged)."""
    kind = REGISTRY.get(kind_name)
    if kind is not None and not kind.keep_raw:
        return None, sha256_file(path)
    p, sha = keep_file(path, file_name)
    return str(p), sha


def run_import(con, kind_name: str, path: str | os.PathLike, name: str, user: str, options: dict | None = None,
               accept_valid: bool = False, parsed: Parsed | None = None) -> ImportResult:
    """Keep the raw file, parse (unless `parsed` is given), and write or refuse; always logs."""
    when = dt.datetime.now()
    res = _no_data(kind_name, path, name, "gagal")   # until it is written
    import_id = res.import_id
    cur = con.cursor()
    try:
        try:
            check_name(name)
            check_size(path)
            res.kept_path, res.sha256 = _keep(kind_name, path, res.file_name)
        except (ReadError, OSError) as e:
            if isinstance(e, OSError) and not disk_full(e):
                raise
            res.problems = [e.problem if isinstance(e, ReadError)
                            else _whole("impor.disk_penuh", tempat=Msg("impor.tempat.unggahan"))]
            if isinstance(e, OSError):
                res.log_status = "gagal_disk_penuh"
            _checksum(res, path)
            _safe_log(cur, res, user, when)
            return res
        broken = integrity_problem(con)   # before anything reads or writes the data tables
        if broken is not None:
            res.problems = [broken]
            res.log_status = "gagal_disk_penuh" if broken.msg.key == "impor.disk_penuh" else "gagal_database_rusak"
            _safe_log(cur, res, user, when)
            return res
        if parsed is None:
            parsed = preview(con, kind_name, res.kept_path or path, name, options)
        res.problems = list(parsed.problems)
        res.notes = list(parsed.notes)
        res.rows_read = parsed.rows_read
        res.rows_rejected = parsed.rejected_rows
        nothing = parsed.rows_valid == 0 or not any(f.height for f in parsed.tables.values())
        if parsed.fatal or (parsed.problems and not accept_valid) or nothing:
            if nothing and not parsed.problems:
                res.problems.append(_whole("impor.tanpa_baris_diimpor"))
            res.status = "gagal"
            _log(cur, res, user, when)
            return res
        res.status = "sebagian" if parsed.problems else "berhasil"
        try:
            _write(con, parsed, import_id, res, user, when)
        except Exception as e:
            res.status = "gagal"
            res.rows_imported = 0
            res.tables = {}
            if disk_full(e):
                res.problems.append(_whole("impor.disk_penuh", tempat=Msg("impor.tempat.database")))
                res.log_status = "gagal_disk_penuh"
            else:
                res.problems.append(_error("impor.digulung_balik", e))
            _safe_log(cur, res, user, when)
        return res
    finally:
        cur.close()


def cancel_log(con, kind_name: str, path: str | os.PathLike, name: str, user: str, parsed: Parsed | None = None) -> ImportResult:
    """The user saw the preview and cancelled: keep the raw file, log 'dibatalkan', write no data."""
    res = _no_data(kind_name, path, name, "dibatalkan")
    try:
        check_size(path)
        res.kept_path, res.sha256 = _keep(kind_name, path, res.file_name)
    except (ReadError, OSError):
        _checksum(res, path)
    if parsed is not None:
        res.rows_read, res.rows_rejected = parsed.rows_read, parsed.rejected_rows
        res.problems, res.notes = list(parsed.problems), list(parsed.notes)
    return _log_alone(con, res, user)


def failed_import(con, kind_name: str, path: str | os.PathLike, name: str, user: str, problem: Problem) -> ImportResult:
    """An import that could not run to its end (ilp.ingest.child: the child process doing it was stopped or died
    before it committed anything): log 'gagal' with `problem`, write no data."""
    res = _no_data(kind_name, path, name, "gagal")
    res.problems = [problem]
    _checksum(res, path)
    return _log_alone(con, res, user)


def _no_data(kind_name: str, path, name: str, status: str) -> ImportResult:
    """The result of an import before (or without) any data written: a new import id, the sanitised file name."""
    return ImportResult(status=status, kind=kind_name, file_name=safe_filename(name or Path(path).name),
                        import_id=str(uuid.uuid4()))


def _checksum(res: ImportResult, path) -> None:
    """The file's sha256 for the log, when it can still be read."""
    try:
        res.sha256 = sha256_file(path)
    except OSError:
        pass


def _log_alone(con, res: ImportResult, user: str) -> ImportResult:
    """Log `res` in a transaction of its own (no data written with it); a log that cannot be written is said."""
    cur = con.cursor()
    try:
        _safe_log(cur, res, user, dt.datetime.now())
    finally:
        cur.close()
    return res


# ---------------------------------------------------------------- reports and templates

def rejected_report(problems: list[Problem], lang: str = "id") -> pl.DataFrame:
    """One line per problem: baris, kolom, nilai, pesan (in `lang`); whole-file problems first. Cells a spreadsheet
    would run as a formula (=, +, -, @, tab, CR first) get a leading apostrophe (ilp.fmt.safe_cell)."""
    from ilp.fmt import safe_cell  # a value from the file is text in the report, never a formula in its reader's Excel
    rows = sorted(problems, key=lambda p: (p.row if p.row is not None else -1, p.column or ""))
    return pl.DataFrame({
        "baris": [p.row for p in rows],
        "kolom": [safe_cell(p.column) for p in rows],
        "nilai": [safe_cell(p.nilai) for p in rows],
        "pesan": [safe_cell(p.msg.text(lang)) for p in rows],
    }, schema={"baris": pl.Int64, "kolom": pl.String, "nilai": pl.String, "pesan": pl.String})


def template_xlsx(kind: str | ImportKind, lang: str = "id") -> bytes:
    """An Excel template in `lang`: header row, a description row (skipped on import in either language), an example row."""
    import xlsxwriter

    k = kind if isinstance(kind, ImportKind) else REGISTRY[kind]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(k.name[:31])
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    desc = wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
    for j, (col, d, ex) in enumerate(k.columns):
        ws.write_string(0, j, col, bold)
        ws.write_string(1, j, d.text(lang) if d else "", desc)
        ws.write_string(2, j, ex or "")
        ws.set_column(j, j, max(14, min(40, len(col) + 4)))
    ws.set_row(1, 45)
    ws.freeze_panes(1, 0)
    info = wb.add_worksheet(t("impor.template.lembar", lang)[:31])
    title = getattr(k, f"title_{lang}", None) or k.title_id
    lines = [t("impor.template.judul", lang, jenis=title),
             *(t(f"impor.template.baris{i}", lang) for i in (1, 2, 3))]
    for i, line in enumerate(lines):
        info.write_string(i, 0, line)
    info.set_column(0, 0, 100)
    wb.close()
    return buf.getvalue()
