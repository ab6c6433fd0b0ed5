"""Shared page helpers: short-lived connections (reading()/writing(); no lock held while idle), cached queries, language, header, URL-bound widgets, downloads."""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from contextlib import contextmanager

import polars as pl
import pyarrow as pa
import streamlit as st

from ilp import config, db, fmt
from ilp.i18n import t as _t

SUMBER_SASARAN = ("PUSDATIN", "DUKCAPIL", "BPS_PROJ", "RIIL")

# Script threads (one per viewer) must not each fan out into pyarrow's native pools: with ~20 viewers the pools and
# the interpreter lock waited on each other. One worker each; the tables we hand over are small and pre-formatted.
pa.set_cpu_count(1)
pa.set_io_thread_count(1)


def lang() -> str:
    """The reader's language: the URL (?lang=, so a shared link keeps it), else this session's, else the setting."""
    v = st.query_params.get("lang") or st.session_state.get("lang") or config.get("lang")
    return v if v in ("id", "en") else "id"


def t(key: str, **kw) -> str:
    return _t(key, lang(), **kw)


BUSY_TRIES = 8          # ~6 s of polite retrying before the page says the database is busy


class DatabaseBusy(RuntimeError):
    """Another process (e.g. `python -m ilp import`) holds the database's write lock."""


def _is_lock_error(e: Exception) -> bool:
    msg = str(e).lower()
    return "lock" in msg or "different configuration" in msg


def open_db(path: str | None = None, read_only: bool = True, tries: int | None = None):
    """A short-lived connection: read-only for questions, read-write only for an import. Retries while
    another process (or an import in this one) holds the lock, then raises DatabaseBusy."""
    import duckdb
    path = str(path or config.db_path())
    tries = tries or BUSY_TRIES
    for i in range(tries):
        try:
            return db.connect(path, read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as e:
            if not _is_lock_error(e):
                raise
            if i == tries - 1:
                raise DatabaseBusy(str(e)) from None
            time.sleep(0.1 * (i + 1))


_RUN = threading.local()   # this script thread's run: its one read-only connection (questions())


@contextmanager
def questions():
    """`with questions():` around one script run (app.py, a part's rerun): its questions share one read-only
    connection, opened at the first question and closed when the run ends, so the app still holds no lock while
    idle. A connection per question made DuckDB open the file, read its catalog and decompress the same blocks
    again for each one (a 27-kab/kota database, seven of Ringkasan's questions in a fresh process: 4.2 s -> 1.6 s).
    Nested use (a part inside a page run) keeps the outer connection."""
    if getattr(_RUN, "active", False):
        yield
        return
    _RUN.active, _RUN.con, _RUN.key = True, None, None
    try:
        yield
    finally:
        _RUN.active = False
        _close_run_connection()


def _close_run_connection() -> None:
    c, _RUN.con, _RUN.key = getattr(_RUN, "con", None), None, None
    if c is not None:
        c.close()


def _run_connection(path: str):
    """This run's read-only connection to `path`, reopened when the file changed (another process committed)."""
    k = (path, _file_stamp(path))
    if _RUN.con is None or _RUN.key != k:
        _close_run_connection()
        _RUN.con, _RUN.key = open_db(path), k
    return _RUN.con


def run_query(path: str, key: str, params: dict) -> pl.DataFrame:
    """One question: inside a run (questions()) on the run's connection, else on its own read-only connection,
    closed at once. Either way the app holds no lock while idle."""
    if getattr(_RUN, "active", False):
        c = _run_connection(path)
        try:
            return db.run(c, key, **params)
        except Exception:
            _close_run_connection()   # a failed read (an import committing, the time limit): the retry opens anew
            raise
    c = open_db(path)
    try:
        return db.run(c, key, **params)
    finally:
        c.close()


def _is_transient(e: Exception) -> bool:
    """An error a running import can cause for a reader (file being rewritten, lock, conflict): worth one retry and
    a short message, never the raw text (it names the server's file path and PID)."""
    import duckdb
    if isinstance(e, (duckdb.IOException, duckdb.ConnectionException, duckdb.TransactionException)):
        return True
    msg = str(e).lower()
    return any(w in msg for w in ("lock", "pid", "conflict", "wal", "checkpoint"))


def busy_stop() -> None:
    st.warning(t("umum.db_sibuk"), icon=":material/hourglass_top:")
    st.button(t("umum.coba_lagi"), key="busy_retry")
    st.stop()


@contextmanager
def reading():
    """`with reading() as c:` a read-only connection for code that needs one (e.g. the briefing)."""
    try:
        c = open_db()
    except DatabaseBusy:
        busy_stop()
    try:
        yield c
    finally:
        c.close()


@contextmanager
def writing():
    """`with writing() as c:` the read-write connection of one import, closed right after it. This run's read-only
    connection (questions()) is closed first (DuckDB opens a file once per process, read-only or not), and
    questions asked during the import use their own connections."""
    was_active = getattr(_RUN, "active", False)
    _close_run_connection()
    _RUN.active = False
    try:
        c = open_db(read_only=False)
    except DatabaseBusy:
        busy_stop()
    except db.DiskFull:   # viewers can still read; an import cannot start
        st.error(t("impor.disk_penuh", tempat=t("impor.tempat.database")))
        st.stop()
    try:
        yield c
    finally:
        c.close()
        _RUN.active = was_active


def first_start() -> None:
    """No database yet: build the demo district explicitly, with a progress bar saying so."""
    path = config.db_path()
    if path.exists():
        return
    from ilp import demo
    bar = st.progress(0.0, text=t("umum.demo_membangun"))

    def progress(fraction: float, msg_key: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=t("umum.demo_membangun") + " · " + t(msg_key))

    demo.ensure_demo(path, progress=progress)
    bar.empty()
    st.toast(t("umum.demo_selesai"), icon=":material/science:")


def data_version() -> int:
    return st.session_state.get("_data_version", 0)


def bump_data_version() -> None:
    """After an import in this app: every cached answer is stale for every viewer."""
    st.session_state["_data_version"] = data_version() + 1
    st.cache_data.clear()


def _file_stamp(path: str) -> tuple:
    """Changes whenever any process commits to the database (file or its WAL written)."""
    out = []
    for f in (path, path + ".wal"):
        try:
            st_ = os.stat(f)
            out.append((st_.st_mtime_ns, st_.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def data_stamp() -> tuple:
    """The database's data version (its file stamp): a key for answers computed from questions (ui.data)."""
    return _file_stamp(str(config.db_path()))


@st.cache_data(show_spinner=False, max_entries=256)
def _q(path: str, key: str, version: tuple, params: tuple) -> pl.DataFrame:
    """Keyed by the database's data version (its file stamp), the question and its parameters only, so every viewer
    shares one answer, and Streamlit's per-key compute lock makes a question asked by many viewers at once run
    once (the others wait for its result). An import (here or from the command line) changes the stamp."""
    return run_query(path, key, dict(params))


class PartUnavailable(RuntimeError):
    """A question of one part of a page failed for a passing reason (database busy, data being rewritten by an
    import, time limit). Raised only while a part is drawn (ui.components.part): that part shows a short message
    and its own retry button, the rest of the page renders. `msg_key`: the message (bagian.gagal / batas_waktu)."""

    def __init__(self, key: str, msg_key: str):
        super().__init__(key)
        self.key, self.msg_key = key, msg_key


_PARTS = threading.local()   # how many parts (ui.components.part) are being drawn in this script thread


@contextmanager
def in_part():
    """While a part is drawn, a failed question raises PartUnavailable for that part instead of stopping the page."""
    _PARTS.depth = getattr(_PARTS, "depth", 0) + 1
    try:
        yield
    finally:
        _PARTS.depth -= 1


def _part_active() -> bool:
    return getattr(_PARTS, "depth", 0) > 0


def _is_time_limit(e: Exception) -> bool:
    return isinstance(e, db.QueryError) and "batas waktu" in str(e)


def q(key: str, **params) -> pl.DataFrame:
    """A named query, cached until the database file changes (an import from the command line while
    the app runs shows up on the next rerun; an import here also clears the cache). A busy database, data being
    rewritten or the time limit: inside a part (ui.components.part) that part says so with a retry button;
    elsewhere (the page header) the page says so and stops."""
    import logging

    import duckdb
    path = str(config.db_path())
    for attempt in range(2):
        try:
            return _q(path, key, _file_stamp(path), tuple(sorted(params.items())))
        except DatabaseBusy:
            if _part_active():
                raise PartUnavailable(key, "bagian.gagal") from None
            busy_stop()
        except db.QueryError as e:
            if not _is_time_limit(e):
                raise
            logging.getLogger("pantau_ilp.ui").warning("query %s: %s", key, e)
            if _part_active():
                raise PartUnavailable(key, "bagian.batas_waktu") from None
            st.warning(t("bagian.batas_waktu"), icon=":material/hourglass_top:")
            st.button(t("umum.coba_lagi"), key=f"retry_{key}")
            st.stop()
        except duckdb.Error as e:
            if not _is_transient(e):
                raise
            logging.getLogger("pantau_ilp.ui").warning("query %s failed while the data changed: %s", key, e)
            if attempt == 0:
                time.sleep(0.5)   # an import committing: read again once
                continue
            if _part_active():
                raise PartUnavailable(key, "bagian.gagal") from None
            st.warning(t("umum.db_gagal"), icon=":material/hourglass_top:")
            st.button(t("umum.coba_lagi"), key=f"retry_{key}")
            st.stop()


def meta() -> dict[str, str]:
    return dict(q("wilayah/meta").iter_rows())


def kab() -> tuple[str, str]:
    """(kode, nama) of the district shown; the first kab/kota when several are loaded (choosable)."""
    info = q("wilayah/info_kab")
    if info.height == 0:
        return "", ""
    m = meta()
    codes = info["kode"].to_list()
    names = dict(zip(codes, info["nama"].to_list()))
    default = m.get("kode_kab") if m.get("kode_kab") in codes else codes[0]
    if len(codes) > 1:  # several districts loaded: choose in the sidebar, kept in the URL
        chosen = url_select(t("umum.kabkota"), codes, "kab", format_func=lambda k: f"{names[k]} ({k})",
                            default=default, sidebar=True)
    else:
        chosen = default
    return chosen, names[chosen]


def data_per(m: dict | None = None, kab_kode: str | None = None) -> str | None:
    """'Data per': the database's own setting (a date), else the latest period of the data itself
    (newest SPM month or weighing round, 'YYYY-MM'), never the day of an import. None = no data."""
    from ilp import checklist
    m = meta() if m is None else m
    if m.get("data_per"):
        return m["data_per"]
    kab_kode = kab_kode if kab_kode is not None else kab()[0]
    return checklist.latest_period(q("quality/checklist_kab", kab=kab_kode)) if kab_kode else None


def fmt_data_per(per: str | None) -> str:
    return "–" if not per else (fmt.period(per, lang()) if len(per) == 7 else fmt.date(per, lang()))


def kepala_daerah(kab_kode: str) -> str:
    """'Bupati' for a kabupaten, 'Wali Kota' for a kota (from the code list's jenis)."""
    info = q("wilayah/info_kab")
    jenis = dict(zip(info["kode"].to_list(), info["jenis"].to_list())).get(kab_kode, "kabupaten")
    return t("umum.wali_kota") if jenis == "kota" else t("umum.bupati")


def ensure_router() -> None:
    """A fresh server whose first visitor opens a deep link (/stunting?kec=...) runs the page file on
    its own (Streamlit's legacy pages/ folder mode) before app.py has declared st.navigation. Page files
    are named like their URL paths, so the legacy lookup always finds the page; here we switch the
    process to st.navigation mode and run app.py in place (language, sidebar, navigation, then this
    page), then stop the outer run. No rerun, so a click that started this run is not lost."""
    from streamlit.runtime.pages_manager import PagesManager  # no public API for this
    if PagesManager.uses_pages_directory:
        import runpy

        from ilp import config as _config
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(_config.ROOT / "app.py"), run_name="__main__")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=16)
def _facts_fresh(path: str, version: tuple) -> bool:
    """ilp.fakta.fresh for the database file at this version (its file stamp): one check per change, not per page."""
    from ilp import fakta
    c = _run_connection(path) if getattr(_RUN, "active", False) else open_db(path)
    try:
        cur = c.cursor()
        try:
            return fakta.fresh(cur)
        finally:
            cur.close()
    finally:
        if not getattr(_RUN, "active", False):
            c.close()


def facts_fresh(path: str) -> bool:
    """ilp.fakta.fresh for the database file `path`, checked once per change of the file (cached by its stamp)."""
    return _facts_fresh(path, _file_stamp(path))


def facts_banner() -> None:
    """A short note on every page while the facts are stale (a new version of the app, a database from before
    them): the figures are computed live from the data (correct, slower) until `python -m ilp perbarui-fakta`
    or an import updates them (ilp/fakta.py). A busy database never blocks the page for this hint."""
    path = str(config.db_path())
    try:
        ok = facts_fresh(path)
    except Exception:
        return
    if not ok:
        p = config.db_path()
        try:
            shown = str(p.resolve().relative_to(config.ROOT))
        except ValueError:
            shown = p.name
        st.info(t("fakta.banner_basi", db=shown), icon=":material/update:")


def header(title_key: str) -> tuple[str, str]:
    """Page title, demo banner, data date. Returns (kode_kab, nama_kab)."""
    ensure_router()
    m = meta()
    kode, nama = kab()
    st.title(t(title_key))
    cols = st.columns([3, 2])
    with cols[0]:
        st.markdown(f"**{fmt.md(nama)}** · `{kode}`")
    with cols[1]:
        per = data_per(m, kode)
        if per:
            st.markdown(f"{t('umum.data_per')}: **{fmt_data_per(per)}**")
        if kode:
            st.caption(t("umum.untuk_rapat", kepala=kepala_daerah(kode)))
    if m.get("is_demo") == "1":
        st.warning(t("umum.banner_demo"), icon=":material/science:")
    facts_banner()
    return kode, nama


def _to_url(key: str, wkey: str, encode) -> None:
    """on_change of a URL-bound widget: the new value goes into the URL before the rerun starts."""
    st.query_params[key] = encode(st.session_state[wkey])


def url_select(label: str, options: list, key: str, format_func=str, default=None, sidebar: bool = False):
    """A selectbox whose value lives in the URL (?key=value). The URL is the source of truth: a shared link, Back/
    Forward, or a map click that changed ?key= moves the box (its state is set from the URL before it is drawn);
    a change in the box goes into the URL in its on_change, so nothing writes an old value back. Labels come from
    `format_func` on every run, so a language switch relabels the box and keeps the choice."""
    if not options:
        return None
    as_str = [str(o) for o in options]
    by_str = dict(zip(as_str, options))
    cur = st.query_params.get(key)
    if cur in by_str:
        val = by_str[cur]
    elif default is not None and str(default) in by_str:
        val = by_str[str(default)]
    else:
        val = options[0]
    wkey = f"w_{key}"
    if wkey not in st.session_state or str(st.session_state[wkey]) != str(val) \
            or st.session_state[wkey] not in options:
        st.session_state[wkey] = val
    where = st.sidebar if sidebar else st
    val = where.selectbox(label, options, format_func=format_func, key=wkey, on_change=_to_url,
                          args=(key, wkey, str))
    if st.query_params.get(key) != str(val):
        st.query_params[key] = str(val)
    return val


def url_toggle(label: str, key: str, default: bool = False, where=None) -> bool:
    """A toggle kept in the URL as ?key=1/0 (a map layer, the labels), restored by links and Back/Forward."""
    cur = st.query_params.get(key)
    val = default if cur not in ("0", "1") else cur == "1"
    wkey = f"w_{key}"
    if st.session_state.get(wkey) is not val:
        st.session_state[wkey] = val
    out = (where or st).toggle(label, key=wkey, on_change=_to_url, args=(key, wkey, lambda v: "1" if v else "0"))
    if st.query_params.get(key) != ("1" if out else "0"):
        st.query_params[key] = "1" if out else "0"
    return out


def url_multiselect(label: str, options: list, key: str, default: list | None = None, format_func=str,
                    where=None) -> list:
    """A multiselect kept in the URL as ?key=a,b (order of the options), restored by links and Back/Forward."""
    as_str = [str(o) for o in options]
    by_str = dict(zip(as_str, options))
    cur = st.query_params.get(key)
    if cur is not None:
        val = [by_str[v] for v in cur.split(",") if v in by_str]
    else:
        val = [o for o in (default or []) if o in options]
    wkey = f"w_{key}"
    if st.session_state.get(wkey) != val:
        st.session_state[wkey] = val
    enc = lambda vs: ",".join(str(v) for v in vs)  # noqa: E731
    out = (where or st).multiselect(label, options, format_func=format_func, key=wkey, on_change=_to_url,
                                    args=(key, wkey, enc))
    if st.query_params.get(key) != enc(out):
        st.query_params[key] = enc(out)
    return out


def arrow(df: pl.DataFrame):
    """The frame as a pyarrow Table: st.dataframe serialises a pyarrow Table directly, whereas a Polars or pandas
    frame goes Polars -> pandas -> Arrow inside the script thread (pyarrow's native thread pool; with ~20 viewers
    that conversion deadlocked the server). Every table on screen goes through here."""
    return df.to_arrow()


def table(df: pl.DataFrame, columns: dict | None = None, **kw) -> None:
    """A table as the reader reads it: every cell formatted by ilp.fmt (1.234,5 · 25,7% · 2031 · 5 Februari 2025;
    '–' for missing, 'disembunyikan (n<10)' for suppressed rows), headers readable (kol.<column> or the given
    label keys). `columns`: {column: kind | label_key | (label_key, kind)} where inference is not enough."""
    shown = fmt.frame_for_display(df, columns, lang())
    kw.pop("column_config", None)
    st.dataframe(arrow(shown), hide_index=True, width="stretch", **kw)


def source_note(text: str) -> None:
    """A source line (period, denominator). Imported names inside `text` must already be fmt.md()-escaped."""
    st.caption(":material/info: " + text)


def _about(about: dict | None) -> dict[str, str]:
    """The 'Keterangan' sheet: what the caller says (source, period, denominator) plus the view's filters (the URL)."""
    out = dict(about or {})
    filters = [f"{k}={v}" for k, v in st.query_params.items() if k != "lang"]
    out.setdefault(t("umum.ket_filter"), ", ".join(filters) or "–")
    out.setdefault(t("umum.ket_diunduh"), fmt.date(dt.date.today(), lang()))
    return out


def downloads(df: pl.DataFrame, name: str, key: str, columns: dict | None = None, about: dict | None = None,
              period: str | None = None) -> None:
    """Excel first (the table with readable headers, then a sheet naming source, period, denominator and filters),
    then CSV (';' and comma decimals in Indonesian, ',' and '.' in English; UTF-8 with BOM). Numbers rounded as on
    screen, text cells neutralised against formulas, file names carry the period."""
    L = lang()
    stem = fmt.file_stem(name, period)
    info = _about(about)
    c1, c2 = st.columns(2)
    c1.download_button(t("umum.unduh_excel"), lambda: fmt.xlsx_bytes(df, stem, info, L, columns),
                       file_name=f"{stem}.xlsx", key=f"xlsx_{key}", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button(t("umum.unduh_csv"), lambda: fmt.csv_bytes(fmt.frame_for_download(df, columns, L), L),
                       file_name=f"{stem}.csv", mime="text/csv", key=f"csv_{key}", icon=":material/download:")
