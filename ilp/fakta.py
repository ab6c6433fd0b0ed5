"""Facts computed at import, not per view (issue 14).

The per-child-per-round table (`fakta_ukur_ronde`: the latest valid measurement of each child in each
round, with its stunting flags and the one Puskesmas it counts in) and the stunting aggregates per desa x
round and per Puskesmas x round (`fakta_stunting_desa`, `fakta_stunting_puskesmas`), the flagged
measurements per month (`fakta_diflag`) and the data-quality (Mutu) aggregates (`fakta_mutu`: the checks per
unit and round; `fakta_mutu_umur`, `fakta_mutu_haz`: age and HAZ distributions; `fakta_mutu_desa`: children
measured per desa; `fakta_kualitas`: measurements per month), the SPM year to date (`fakta_spm_kumulatif`: the
cumulative numerator per Puskesmas x layanan x tahun x bulan) and the ILP network per kecamatan
(`fakta_jaringan_kecamatan`: the counts; `fakta_jaringan_mulai`: Puskesmas per ILP start date, so that "started by
today" is decided when asked, never frozen at import) are real tables,
written in the same transaction as the import that changed their inputs, for the kab/kota it touched.
The rules live once, as views (queries/staging/*_hitung.sql); queries/fakta/*.sql fill the tables from
them; the dashboard reads the `stg_` views, which select from the tables.

Freshness: `fakta_status` keeps the data stamp (queries/fakta/cap.sql: row counts of the inputs, checksums of
the small ones, and the schema stamp, so a version whose rules or fact tables changed recomputes them) the facts
were computed at. Every import refreshes and re-stamps. A write outside an import (a hand edit, a test) that
changes a count (or a value of a small input) makes the facts stale; `guard(cursor)` then shadows the `stg_` views with the live rule on that cursor only
(temporary views), so a reader never sees stale figures; a writable `connect` (an import) refreshes stale facts.

Two ways to fill: an import refreshes the kab/kota it touched (`refresh(con, kabs, inputs)`: delete and refill
those rows, in the fact tables that read a table it wrote: FACTS lists each table's inputs); when every kab/kota
must be recomputed (a new version of the app: the schema stamp changed; a database from before the facts) `recompute(con)` drops the fact tables, recreates them empty and fills each for all
kab/kota in one statement (queries/fakta/kosongkan.sql, semua_*.sql), in one transaction. A viewer never pays
for it: a read-only open of an old database only brings its schema up to date (ilp.db.connect), its figures
come from the live rule until `python -m ilp perbarui-fakta` (`perbarui`) or any import refreshes, and the app
says so (`fresh`). Pure: never imports streamlit.
"""
from __future__ import annotations

from pathlib import Path
import time
from typing import Callable, Iterable, Mapping

import polars as pl

FAKTA_DIR = Path(__file__).resolve().parents[1] / "queries" / "fakta"
# inputs of each fact table: an import refreshes only the tables that read what it wrote
_STUNTING_IN = frozenset({"pengukuran", "wilayah", "wilayah_kerja", "faskes"})
_SPM_IN = frozenset({"fakta_spm", "faskes", "wilayah"})
_JARINGAN_IN = frozenset({"faskes", "wilayah", "tenaga", "ilp_puskesmas", "ilp_posyandu"})
# (table, its queries/fakta/{hapus,isi,semua}_<name>.sql, its inputs), in fill order: the aggregates read the first
FACTS = (("fakta_ukur_ronde", "ukur_ronde", _STUNTING_IN), ("fakta_stunting_desa", "stunting_desa", _STUNTING_IN),
         ("fakta_stunting_puskesmas", "stunting_puskesmas", _STUNTING_IN), ("fakta_diflag", "diflag", _STUNTING_IN),
         ("fakta_mutu", "mutu", _STUNTING_IN), ("fakta_mutu_umur", "mutu_umur", _STUNTING_IN),
         ("fakta_mutu_haz", "mutu_haz", _STUNTING_IN), ("fakta_mutu_desa", "mutu_desa", _STUNTING_IN),
         ("fakta_kualitas", "kualitas", _STUNTING_IN), ("fakta_spm_kumulatif", "spm_kumulatif", _SPM_IN),
         ("fakta_jaringan_kecamatan", "jaringan_kecamatan", _JARINGAN_IN),
         ("fakta_jaringan_mulai", "jaringan_mulai", _JARINGAN_IN))
TABLES = tuple(t for t, _, _ in FACTS)
# the full recompute: one statement per table, every kab/kota at once, in fill order
_SEMUA = tuple((t, f"semua_{n}") for t, n, _ in FACTS)
# inputs of the facts, and the column of each that names the area a row belongs to (its first 5 chars = kab)
INPUTS = {"pengukuran": "kode_desa", "wilayah": "kode_kab", "wilayah_kerja": "kode_desa", "faskes": "kode_kec"}
# inputs whose rows name a facility, not an area: the kab/kota is that of the facility's kecamatan in faskes
# (queries/fakta/kab_faskes.sql, read on the import's cursor after its rows are written)
INPUTS_FASKES = {"fakta_spm": "kode_puskesmas", "tenaga": "kode_faskes", "ilp_puskesmas": "kode_puskesmas",
                 "ilp_posyandu": "kode_posyandu"}
# the stg_ views over the tables, and the live rule each falls back to when the tables are stale
SHADOWS = (("stg_ukur_ronde", "stg_ukur_ronde_hitung"), ("stg_stunting_desa", "stg_stunting_desa_hitung"),
           ("stg_stunting_puskesmas", "stg_stunting_puskesmas_hitung"), ("stg_diflag", "stg_diflag_hitung"),
           ("stg_mutu_ringkas", "stg_mutu_ringkas_hitung"), ("stg_mutu_umur", "stg_mutu_umur_hitung"),
           ("stg_mutu_haz", "stg_mutu_haz_hitung"), ("stg_mutu_desa", "stg_mutu_desa_hitung"),
           ("stg_kualitas", "stg_kualitas_hitung"), ("stg_spm_kumulatif", "stg_spm_kumulatif_hitung"),
           ("stg_jaringan_kecamatan", "stg_jaringan_kecamatan_hitung"), ("stg_jaringan_mulai", "stg_jaringan_mulai_hitung"))
_SHADOW_SQL = {  # constant statements (no SQL text is built at run time)
    "stg_ukur_ronde": "create or replace temp view stg_ukur_ronde as select * from main.stg_ukur_ronde_hitung",
    "stg_stunting_desa": "create or replace temp view stg_stunting_desa as select * from main.stg_stunting_desa_hitung",
    "stg_stunting_puskesmas": "create or replace temp view stg_stunting_puskesmas as "
                              "select * from main.stg_stunting_puskesmas_hitung",
    "stg_diflag": "create or replace temp view stg_diflag as select * from main.stg_diflag_hitung",
    "stg_mutu_ringkas": "create or replace temp view stg_mutu_ringkas as select * from main.stg_mutu_ringkas_hitung",
    "stg_mutu_umur": "create or replace temp view stg_mutu_umur as select * from main.stg_mutu_umur_hitung",
    "stg_mutu_haz": "create or replace temp view stg_mutu_haz as select * from main.stg_mutu_haz_hitung",
    "stg_mutu_desa": "create or replace temp view stg_mutu_desa as select * from main.stg_mutu_desa_hitung",
    "stg_kualitas": "create or replace temp view stg_kualitas as select * from main.stg_kualitas_hitung",
    "stg_spm_kumulatif": "create or replace temp view stg_spm_kumulatif as select * from main.stg_spm_kumulatif_hitung",
    "stg_jaringan_kecamatan": "create or replace temp view stg_jaringan_kecamatan as "
                              "select * from main.stg_jaringan_kecamatan_hitung",
    "stg_jaringan_mulai": "create or replace temp view stg_jaringan_mulai as select * from main.stg_jaringan_mulai_hitung",
}
_UNSHADOW_SQL = {
    "stg_ukur_ronde": "drop view if exists temp.stg_ukur_ronde",
    "stg_stunting_desa": "drop view if exists temp.stg_stunting_desa",
    "stg_stunting_puskesmas": "drop view if exists temp.stg_stunting_puskesmas",
    "stg_diflag": "drop view if exists temp.stg_diflag",
    "stg_mutu_ringkas": "drop view if exists temp.stg_mutu_ringkas",
    "stg_mutu_umur": "drop view if exists temp.stg_mutu_umur",
    "stg_mutu_haz": "drop view if exists temp.stg_mutu_haz",
    "stg_mutu_desa": "drop view if exists temp.stg_mutu_desa",
    "stg_kualitas": "drop view if exists temp.stg_kualitas",
    "stg_spm_kumulatif": "drop view if exists temp.stg_spm_kumulatif",
    "stg_jaringan_kecamatan": "drop view if exists temp.stg_jaringan_kecamatan",
    "stg_jaringan_mulai": "drop view if exists temp.stg_jaringan_mulai",
}


def _sql(name: str) -> str:
    return (FAKTA_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _exec(con, name: str, **params) -> None:
    con.execute(_sql(name), params or None)


def stamp(con) -> tuple[str, str | None]:
    """(current data stamp, stamp the facts were computed at or None)."""
    return tuple(con.execute(_sql("cap")).fetchall()[0])


def fresh(con) -> bool:
    """The facts were computed at the current data and schema stamp. False also for a database from before the
    facts (no fact tables): then the dashboard's figures come from the live rule (correct, slower) and the app
    shows a banner saying so until `python -m ilp perbarui-fakta` or an import refreshes them."""
    import duckdb
    try:
        now, kept = stamp(con)
    except duckdb.CatalogException:
        return False
    return now == kept


def kab_of(code: str | None) -> str | None:
    """'35.23.01.2001' -> '35.23' (a kab/kota code is the first two dotted parts)."""
    if not code or len(code) < 5:
        return None
    return code[:5]


def all_kab(con) -> list[str]:
    return [r[0] for r in con.execute(_sql("kabkota")).fetchall() if r[0]]


def refresh(con, kabs: Iterable[str] | None = None, inputs: Iterable[str] | None = None) -> list[str]:
    """Recompute the facts of `kabs` (None = every kab/kota: `recompute`) on `con` (a connection or a cursor
    inside the caller's transaction) and re-stamp. `inputs`: the tables written (None = any): only the fact tables
    that read one of them are refreshed (an SPM import leaves the stunting facts alone). Returns the kab/kota
    refreshed."""
    if kabs is None:
        recompute(con)
        return all_kab(con)
    todo = sorted(set(kabs))
    wrote = None if inputs is None else set(inputs)
    names = [n for _, n, ins in FACTS if wrote is None or ins & wrote]
    unshadow(con)
    for kab in todo:
        for name in [f"hapus_{n}" for n in names] + [f"isi_{n}" for n in names]:
            _exec(con, name, kab=kab)
    _exec(con, "cap_simpan", cap=stamp(con)[0])
    return todo


def touched_kabs(tables: Mapping[str, pl.DataFrame], replaced: Iterable[str] = (), con=None) -> list[str] | None:
    """The kab/kota whose facts an import's rows can change; None = all of them (a table the facts read was
    replaced wholesale, or rows naming facilities with no connection `con` to find their kab/kota on). Rows of
    tables the facts do not read touch nothing. Rows naming a facility (INPUTS_FASKES) touch the kab/kota of the
    facility's kecamatan in faskes (read on `con`, the import's cursor: its own faskes rows are already written);
    a facility not in faskes is in no question, so it touches nothing."""
    if any(t in INPUTS or t in INPUTS_FASKES for t in replaced):
        return None
    out: set[str] = set()
    for t, col in INPUTS.items():
        f = tables.get(t)
        if f is None or f.height == 0:
            continue
        if col not in f.columns:
            return None
        out.update(k for k in (kab_of(c) for c in f[col].unique().to_list()) if k)
    kode: set[str] = set()
    for t, col in INPUTS_FASKES.items():
        f = tables.get(t)
        if f is None or f.height == 0:
            continue
        if col not in f.columns or con is None:
            return None
        kode.update(c for c in f[col].unique().to_list() if c)
    out.update(_kabs_of_facilities(con, kode))
    return sorted(out)


def _kabs_of_facilities(con, kode: Iterable[str | None]) -> set[str]:
    """The kab/kota of the kecamatan these facilities are in now (faskes, queries/fakta/kab_faskes.sql)."""
    kode = sorted({c for c in kode if c})
    if not kode:
        return set()
    return {k for k in (kab_of(r[0]) for r in con.execute(_sql("kab_faskes"), {"kode": kode}).fetchall()) if k}


def kabs_left(con, tables: Mapping[str, pl.DataFrame]) -> list[str]:
    """Read before an import writes: the kab/kota its facility rows (faskes, by kode_faskes) are in now. A facility
    moved to a kecamatan of another kab/kota leaves that kab/kota's facts (network, SPM, stunting per Puskesmas)
    as well as entering the new one's; touched_kabs, read after the write, sees only the new one."""
    f = tables.get("faskes")
    if f is None or f.height == 0 or "kode_faskes" not in f.columns:
        return []
    return sorted(_kabs_of_facilities(con, f["kode_faskes"].unique().to_list()))


def refresh_for_import(cur, tables: Mapping[str, pl.DataFrame], replaced: Iterable[str] = (),
                       left: Iterable[str] = ()) -> list[str]:
    """The one call inside the import transaction (ilp/ingest/runner.py): refresh what the import touched, and the
    kab/kota its facilities `left` (kabs_left, read before the write). (Facts made stale by a write outside an
    import are recomputed whole by the writable `ilp.db.connect` the import runs on.)"""
    kabs = touched_kabs(tables, replaced, cur)
    if kabs is not None and stamp(cur)[1] is not None:   # never stamped: a database from before the facts
        return refresh(cur, set(kabs) | set(left),
                       {t for t, f in tables.items() if f is not None and f.height} | set(replaced))
    return refresh(cur, None)


def recompute(con, progress: Callable[[str, int, float], None] | None = None) -> dict[str, int]:
    """Every fact table, for every kab/kota, on `con` inside the caller's transaction (or autocommit): the tables
    are dropped and recreated empty (this version's columns; ilp.db.init_schema also re-creates the views over
    them), then each is filled in one statement, and the facts are stamped. `progress(table, rows, seconds)`
    is called after each table. Returns the rows written per table."""
    from ilp import db
    unshadow(con)
    _exec(con, "kosongkan")
    db.init_schema(con)
    out: dict[str, int] = {}
    for table, name in _SEMUA:
        t0 = time.perf_counter()
        row = con.execute(_sql(name)).fetchall()
        out[table] = int(row[0][0]) if row and row[0] and row[0][0] is not None else 0
        if progress is not None:
            progress(table, out[table], time.perf_counter() - t0)
    _exec(con, "cap_simpan", cap=stamp(con)[0])
    return out


def perbarui(con, progress: Callable[[str, int, float], None] | None = None) -> dict[str, int]:
    """`recompute` on a writable connection in autocommit, as one transaction: a failure (or a kill) leaves
    the facts as they were. What `python -m ilp perbarui-fakta` and a writable `connect` run."""
    con.execute("begin transaction")
    try:
        out = recompute(con, progress)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return out


def ensure(con) -> bool:
    """A writable connection (an import, the CLI): recompute stale facts (a new version, a database from before
    the facts, or a write outside an import), in one transaction. Returns True when it refreshed."""
    if fresh(con):
        return False
    perbarui(con)
    return True


def guard(cur) -> bool:
    """Before a dashboard query on `cur`: when the facts are stale, read the live rule on this cursor only.
    Returns True when the facts are used."""
    if fresh(cur):
        return True
    shadow(cur)
    return False


def facts_and_live(con, sql: str, params: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A (constant) statement once on the fact tables and once on the live rules (a shadowed cursor of its own):
    the check that the facts give the rule's figures (tests; after a change of a rule)."""
    from ilp import db
    a = db.fetch_pl(con.cursor(), sql, params)
    cur = con.cursor()
    try:
        shadow(cur)
        b = db.fetch_pl(cur, sql, params)
    finally:
        cur.close()
    return a, b


def shadow(cur) -> None:
    """Make `cur` read the live rules instead of the fact tables (temporary views, this cursor only)."""
    for name, _ in SHADOWS:
        cur.execute(_SHADOW_SQL[name])


def unshadow(con) -> None:
    for name, _ in SHADOWS:
        con.execute(_UNSHADOW_SQL[name])
