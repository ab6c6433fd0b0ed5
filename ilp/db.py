"""DuckDB access: connection, schema, and the query registry (one SQL file per question).

Queries live in queries/<domain>/<name>.sql and start with a header:

    -- name: prevalensi_per_kecamatan
    -- title: Prevalensi stunting per kecamatan | Stunting prevalence by kecamatan
    -- grain: one row per kecamatan x periode
    -- params: $kab (VARCHAR), $periode (VARCHAR 'YYYY-MM')
    -- source: pengukuran; flagged z-scores excluded

They are run by name ("stunting/prevalensi_per_kecamatan") with named $params only;
SQL text is never built by string formatting.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from ilp import config

class RWLock:
    """Many readers or one committer; a waiting committer blocks new readers (no starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._waiting = 0

    @contextmanager
    def reading(self):
        with self._cond:
            while self._writer or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self):
        with self._cond:
            self._waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# DuckDB 2.0 does not make a multi-table commit visible atomically to readers that start while
# it runs (tests/test_import_safety.py measures it), so an import's COMMIT is taken under the
# writing side and every query of this module runs under the reading side.
COMMIT_LOCK = RWLock()

QUERIES_DIR = config.ROOT / "queries"
SCHEMA_FILE = Path(__file__).with_name("schema.sql")
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER_RE = re.compile(r"^--\s*([a-z_]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Query:
    key: str  # "stunting/prevalensi_per_kecamatan"
    sql: str
    header: dict = field(default_factory=dict)
    params: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.header.get("title", self.key)

    @property
    def reads_staging(self) -> bool:
        """Does the question read a staging view (every view of the schema is `stg_*`; the facts' views are among
        them)? Only such a question needs the stale-facts guard; one on base tables alone (the import's reads,
        the checksum pass) does not. Conservative: a mention anywhere in the text counts."""
        return "stg_" in self.sql.lower()

    @property
    def source(self) -> str:
        return self.header.get("source", "")


def _parse(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER_RE.match(line.strip())
        if not m:
            if line.strip().startswith("--") or not line.strip():
                continue
            break
        header[m.group(1)] = m.group(2).strip()
    key = path.relative_to(QUERIES_DIR).with_suffix("").as_posix()
    body = "\n".join(l for l in text.splitlines() if not l.strip().startswith("--"))
    params = tuple(dict.fromkeys(_PARAM_RE.findall(body)))
    return Query(key=key, sql=text, header=header, params=params)


@lru_cache(maxsize=None)
def queries() -> dict[str, Query]:
    """All question SQL files under queries/, by key (staging views are schema and queries/fakta the facts'
    writers (ilp/fakta.py): neither are questions)."""
    return {q.key: q for q in (_parse(p) for p in sorted(QUERIES_DIR.rglob("*.sql")))
            if not q.key.startswith(("staging/", "fakta/"))}


def query(key: str) -> Query:
    try:
        return queries()[key]
    except KeyError:
        raise KeyError(f"Kueri tidak dikenal: {key!r}") from None


def connect(path: str | Path | None = None, read_only: bool = False,
            refresh_facts: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database; a writable connection also makes sure the schema exists and, unless `refresh_facts`
    is False, recomputes stale facts (ilp.fakta.ensure: an import must leave them fresh). A read-only open of a
    file from an older version brings only its schema up to date (`_upgrade_if_old`), never the facts."""
    p = config.db_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    if read_only and str(p) != ":memory:" and p.exists():
        _upgrade_if_old(p)
    con = duckdb.connect(str(p), read_only=read_only)
    if not read_only:
        try:
            init_schema(con)
            if refresh_facts:
                from ilp import fakta
                fakta.ensure(con)   # facts older than the data (a new version, a write outside an import)
        except (duckdb.Error, OSError) as e:
            con.close()
            if is_disk_full(e):
                raise DiskFull(str(e).splitlines()[0][:200]) from None
            raise
    return con


class DiskFull(RuntimeError):
    """The database cannot be opened for writing because the disk is full (viewers can still read it)."""


def is_disk_full(e: BaseException) -> bool:
    """The error is a full disk (ENOSPC / EDQUOT), from Python or from DuckDB's own message."""
    import errno
    if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(e).lower()
    return "no space left on device" in text or "disk quota exceeded" in text or "not enough space" in text


@lru_cache(maxsize=None)
def schema_stamp() -> str:
    """Checksum of this version's schema.sql and staging views (stored by init_schema in table skema)."""
    import hashlib
    h = hashlib.sha256(SCHEMA_FILE.read_bytes())
    for name in STAGING_VIEWS:
        h.update((STAGING_DIR / f"{name}.sql").read_bytes())
    return h.hexdigest()[:16]


def _upgrade_if_old(p: Path) -> None:
    """A database written by an older version (its schema or staging views differ from this one's) is
    brought up to date once, on a short writable connection, before read-only use (the app only reads, so
    without this a new view or fact table would be missing). Only the schema (tables, views, seeds: well under
    a second): its facts are then stale and read through the live rule (ilp.fakta.guard) until
    `python -m ilp perbarui-fakta` or an import recomputes them; recomputing here, inside a viewer's first
    question and holding the write lock, took minutes on a large province. When another process holds the file, the
    reader goes on with the database as it is. A file already found current is not opened again for the check
    until it changes (every dashboard question opens its own read-only connection)."""
    try:
        st = p.stat()
        seen = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        seen = None
    if seen is not None and seen in _CURRENT:
        return
    try:
        con = duckdb.connect(str(p), read_only=True)
        try:
            row = con.execute("select max(stamp) from skema").fetchall()
            current = row[0][0] == schema_stamp()
        except duckdb.CatalogException:
            current = False
        finally:
            con.close()
        if not current:
            connect(p, refresh_facts=False).close()
        elif seen is not None:
            _CURRENT.add(seen)
    except (duckdb.IOException, duckdb.ConnectionException, duckdb.InvalidInputException):
        pass


_CURRENT: set[tuple[str, int, int]] = set()   # (file, mtime, size) whose schema stamp matched this version


# Staging views (dbt's staging layer): shared building blocks the mart queries roll up. Created by
# init_schema in this order (a later view may select from an earlier one).
STAGING_DIR = QUERIES_DIR / "staging"
STAGING_VIEWS = ("stg_ukur_bulan", "stg_desa_puskesmas", "stg_ukur_ronde_hitung", "stg_ukur_ronde",
                 "stg_stunting_desa_hitung", "stg_stunting_desa", "stg_stunting_puskesmas_hitung",
                 "stg_stunting_puskesmas", "stg_diflag_hitung", "stg_diflag", "stg_balita_sasaran_desa",
                 "stg_tenaga_terakhir", "stg_rekap_unit", "stg_ukur_semua",
                 "stg_prevalensi_kab", "stg_prevalensi_kecamatan", "stg_ronde", "stg_rekap_kab", "stg_rekap_kecamatan",
                 "stg_survei",
                 "stg_mutu_ringkas_hitung", "stg_mutu_ringkas", "stg_mutu_umur_hitung", "stg_mutu_umur",
                 "stg_mutu_haz_hitung", "stg_mutu_haz", "stg_mutu_desa_hitung", "stg_mutu_desa",
                 "stg_kualitas_hitung", "stg_kualitas",
                 "stg_jaringan_faskes", "stg_jaringan_desa", "stg_jaringan_kecamatan_hitung", "stg_jaringan_kecamatan",
                 "stg_jaringan_mulai_hitung", "stg_jaringan_mulai", "stg_spm_kumulatif_hitung", "stg_spm_kumulatif")


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables (schema.sql), staging views (queries/staging) and the reference seeds; idempotent."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    for name in STAGING_VIEWS:
        con.execute((STAGING_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    seed_reference(con)
    con.execute("delete from skema")
    con.execute("insert into skema values ($s)", {"s": schema_stamp()})


def seed_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The reference seeds (data/reference/*.csv: SPM services, national targets, national survey
    series), loaded only where missing so a user's own imported rows are never overwritten.
    Connecting never builds the demo: that is `ilp.demo.ensure_demo`, called by the app explicitly."""
    from ilp import reference

    return reference.seed(con, only_missing=True)


# The one writer for the demo and the import runner: a constant statement per table (identifiers
# never come from input, no SQL text is built at run time); insert or replace on the primary key.
UPSERT_SQL: dict[str, str] = {
    "meta": "insert or replace into meta by name select * from _ilp_rows",
    "wilayah": "insert or replace into wilayah by name select * from _ilp_rows",
    "xwalk_bps_dagri": "insert or replace into xwalk_bps_dagri by name select * from _ilp_rows",
    "batas_wilayah": "insert or replace into batas_wilayah by name select * from _ilp_rows",
    "faskes": "insert or replace into faskes by name select * from _ilp_rows",
    "wilayah_kerja": "insert or replace into wilayah_kerja by name select * from _ilp_rows",
    "tenaga": "insert or replace into tenaga by name select * from _ilp_rows",
    "ilp_puskesmas": "insert or replace into ilp_puskesmas by name select * from _ilp_rows",
    "ilp_posyandu": "insert or replace into ilp_posyandu by name select * from _ilp_rows",
    "layanan_spm": "insert or replace into layanan_spm by name select * from _ilp_rows",
    "sasaran": "insert or replace into sasaran by name select * from _ilp_rows",
    "fakta_spm": "insert or replace into fakta_spm by name select * from _ilp_rows",
    "pengukuran": "insert or replace into pengukuran by name select * from _ilp_rows",
    "rekap_stunting": "insert or replace into rekap_stunting by name select * from _ilp_rows",
    "survei_stunting": "insert or replace into survei_stunting by name select * from _ilp_rows",
    "target": "insert or replace into target by name select * from _ilp_rows",
}


def primary_key(con, table: str) -> list[str]:
    """The table's primary-key columns, from the catalog ([] if it has none)."""
    rows = con.execute("select constraint_column_names from duckdb_constraints() "
                       "where constraint_type = 'PRIMARY KEY' and table_name = $t and schema_name = 'main'",
                       {"t": table}).fetchall()
    return list(rows[0][0]) if rows else []


def upsert(con, table: str, frame: pl.DataFrame) -> int:
    """Insert or replace `frame`'s rows into `table` on its primary key; returns rows written.

    Columns are matched by name (columns the frame leaves out take the table default). Within one
    frame the last row of a duplicated key wins. Runs on the connection or cursor given, so it joins
    the caller's transaction. An unknown table or column raises ValueError before anything is written."""
    if table not in UPSERT_SQL:
        raise ValueError(f"tabel tidak boleh ditulis: {table}")
    if frame.height == 0:
        return 0
    cols = {r[0] for r in con.execute("select column_name from information_schema.columns "
                                      "where table_schema = 'main' and table_name = $t", {"t": table}).fetchall()}
    unknown = [c for c in frame.columns if c not in cols]
    if unknown:
        raise ValueError(f"kolom tidak ada di tabel {table}: {unknown}")
    pk = primary_key(con, table)
    if pk and all(k in frame.columns for k in pk):
        frame = frame.unique(subset=pk, keep="last", maintain_order=True)
    con.register("_ilp_rows", frame.to_arrow())
    try:
        con.execute(UPSERT_SQL[table])
    finally:
        con.unregister("_ilp_rows")
    return frame.height


def run(con: duckdb.DuckDBPyConnection, key: str, **params) -> pl.DataFrame:
    """Run the named query with named $params on its own cursor; returns a Polars DataFrame."""
    q = query(key)
    missing = [p for p in q.params if p not in params]
    if missing:
        raise TypeError(f"Kueri {key} butuh parameter: {', '.join(missing)}")
    bound = {p: params[p] for p in q.params}
    cur = con.cursor()
    try:
        with query_slot():   # queued, not failed: the time limit starts when the question gets its turn
            if q.reads_staging:
                _guard_facts(cur)
            # time limit (settings query_timeout_s) and row cap (query_max_rows), as in Datasette
            timer = threading.Timer(float(config.get("query_timeout_s")), cur.interrupt)
            timer.start()
            try:
                out = fetch_pl(cur, q.sql, bound)
            except duckdb.InterruptException:
                raise QueryError(f"Kueri {key} melebihi batas waktu {config.get('query_timeout_s')} detik") from None
            finally:
                timer.cancel()
    finally:
        cur.close()
    cap = int(config.get("query_max_rows"))
    if out.height > cap:
        raise QueryError(f"Kueri {key} menghasilkan {out.height} baris, melebihi batas {cap} baris")
    return out


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


@contextmanager
def query_slot():
    """At most `query_concurrency` dashboard questions run at once in this process (DuckDB already uses every
    core for one); the others wait here in turn. Many viewers opening heavy pages together then queue instead of
    all running at once and hitting the time limit (and the server's memory) together."""
    n = max(1, int(config.get("query_concurrency")))
    with _SLOTS_LOCK:
        sem = _SLOTS.setdefault(n, threading.BoundedSemaphore(n))
    with sem:
        yield


def _guard_facts(cur) -> None:
    """Stale facts (written outside an import) are never shown: this cursor reads the live rule instead."""
    from ilp import fakta
    try:
        with COMMIT_LOCK.reading():
            fakta.guard(cur)
    except duckdb.CatalogException:   # a database from before the fact tables: its views are the live rules
        pass


class QueryError(RuntimeError):
    """A dashboard query hit its time limit or row cap (message in Indonesian)."""


def fetch_pl(con, sql: str, params: dict | None = None) -> pl.DataFrame:
    """Execute a (constant) statement with named params and return all rows as Polars."""
    with COMMIT_LOCK.reading():
        rel = con.sql(sql, params=params) if params else con.sql(sql)
        return pl.from_arrow(rel.to_arrow_table())


_meta_lock = threading.Lock()


def get_meta(con, key: str, default: str | None = None) -> str | None:
    row = con.cursor().execute("select value from meta where key = $k", {"k": key}).fetchall()
    row = row[0] if row else None
    return row[0] if row else default


def set_meta(con, key: str, value: str) -> None:
    with _meta_lock:
        con.execute("insert or replace into meta values ($k, $v)", {"k": key, "v": value})


def table_checksums(con) -> dict[str, str]:
    """Per-table content checksum (order independent), for tests that prove nothing changed."""
    out = {}
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_type = 'BASE TABLE' order by 1").fetchall()]
    for t in names:
        # relation API with a constant expression (one hash per column); the name comes from the catalog
        n, *hashes = con.table(t).aggregate("count(*) as n, coalesce(bit_xor(hash(row(columns(*)))), 0)").fetchall()[0]
        out[t] = f"{n}:" + ":".join(str(h) for h in hashes)
    return out
