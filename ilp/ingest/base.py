"""The one import path shared by the CLI (`python -m ilp import KIND FILE`) and the Kelola Data page.

A kind turns a file into rows for one or more tables plus a list of problems:

    parse(src: Source, con) -> Parsed

`parse` never writes. `ilp.ingest.runner.run_import` then writes all valid rows of all tables in
ONE DuckDB transaction (insert or replace on the table's primary key, so the same file twice
doubles nothing), logs the import, and keeps the raw file under data/uploads/.
If any row was rejected, nothing is written unless accept_valid=True.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl


@dataclass(frozen=True)
class Msg:
    """A message as a key plus parameters, rendered in the reader's language at display time
    (ilp/locales/{id,en}/*.toml). A parameter may itself be a Msg, or a list of Msgs joined with '; ' (rendered in the same language)."""

    key: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "id") -> str:
        from ilp.i18n import t
        return t(self.key, lang, **{k: _render(v, lang) for k, v in self.params.items()})


def _render(v, lang: str):
    """A parameter in `lang`: a Msg is rendered; a list/tuple of Msgs is rendered and joined with '; '."""
    if isinstance(v, Msg):
        return v.text(lang)
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, Msg) for x in v):
        return "; ".join(x.text(lang) for x in v)
    return v


@dataclass(frozen=True)
class Problem:
    """One rejected row (or a whole-file problem when row is None)."""

    row: int | None        # row number as the user sees it in the file (header row = its own number); None = whole file
    column: str | None     # column name as written in the file; None = whole row / file
    msg: Msg               # what is wrong, e.g. Msg("impor.di_luar_rentang", {"nilai": "500", "min": 30, "max": 140, "unit": "cm"})
    nilai: str | None = None  # offending value as text (masked where it could identify a child)

    def text(self, lang: str = "id", file: str | None = None) -> str:
        from ilp.i18n import t
        parts = []
        if file:
            parts.append(file)
        if self.row is not None:
            parts.append(t("impor.baris", lang, n=self.row))
        if self.column:
            parts.append(t("impor.kolom", lang, kolom=repr(self.column)))
        where = ", ".join(parts)
        msg = self.msg.text(lang)
        return f"{where}: {msg}" if where else msg


@dataclass
class Parsed:
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # table name -> valid rows (columns = table columns)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0                 # data rows read from the file
    rows_valid: int = 0                # data rows that produced output
    notes: list[Msg] = field(default_factory=list)  # informational lines (e.g. 'matched 20 of 20'), rendered per reader
    replace: dict[str, tuple[str, dict]] = field(default_factory=dict)
    # optional: table -> (constant SQL delete statement with named $params, params) run in the same
    # transaction before inserting, for kinds whose file replaces a whole scope (e.g. one kab's wilayah)
    meta: dict[str, str] = field(default_factory=dict)
    # optional: meta rows (key -> value) written in the same transaction, e.g. the salt fingerprint of child ids

    @property
    def fatal(self) -> bool:
        return any(p.row is None for p in self.problems)

    @property
    def rejected_rows(self) -> int:
        rows = {p.row for p in self.problems if p.row is not None}
        # a capped list (tabular.Problems) also counts rows it kept no message for
        return len(rows | set(getattr(self.problems, "dropped_rows", ()))) + getattr(self.problems, "rows_extra", 0)


@dataclass(frozen=True)
class Source:
    path: Path                 # the file on disk (already saved)
    name: str                  # original file name as the user gave it
    options: dict = field(default_factory=dict)  # kind-specific options, e.g. {'kab': ['35.23'], 'level': 'kecamatan', 'sheet': 'Data'}


@dataclass(frozen=True)
class Option:
    """One import option, declared once on its kind. The CLI flag (--name, '_' -> '-') and the Kelola Data
    widget are both generated from this declaration; the parsed value lands in Source.options[name]."""

    name: str                        # key in Source.options: 'sheet', 'kab', 'level', 'kolom', 'periode', 'sumber', ...
    type: str                        # 'text' | 'choice' | 'list' (several values, e.g. kab codes) |
                                     # 'mapping' (TARGET=HEADER pairs) | 'file' (a second file, e.g. a crosswalk) | 'flag'
    label: str                       # i18n key of the label
    help: str                        # i18n key of the help line
    choices: tuple[str, ...] = ()    # for 'choice' (and the allowed TARGETs for 'mapping')
    default: object = None
    metavar: str | None = None       # CLI metavar, e.g. 'YYYY-MM'


# every kind read through the tabular path accepts these; the content decides the format (readers.py)
TABULAR_EXTS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class ImportKind:
    name: str                  # 'wilayah', 'boundaries', 'faskes', 'tenaga', 'sasaran', 'spm', 'eppgbm', 'rekap', 'survei', 'target'
    title_id: str
    title_en: str
    tables: tuple[str, ...]    # tables it writes
    columns: tuple[tuple[str, Msg | None, str], ...]  # template: (column, description Msg, example value)
    parse: Callable[[Source, object], Parsed]
    extensions: tuple[str, ...] = (".csv", ".xlsx")
    keep_raw: bool = True      # keep the raw upload under data/uploads/; False for files with personal data
                               # (an e-PPGBM export holds NIK, names and addresses: only its checksum is logged)
    options: tuple[Option, ...] = ()  # kind-specific options (the common 'sheet' option is added by the runner)
