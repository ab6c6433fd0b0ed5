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
class Problem:
    """One rejected row (or a whole-file problem when row is None)."""

    row: int | None        # row number as the user sees it in the file (header row = its own number); None = whole file
    column: str | None     # column name as written in the file; None = whole row / file
    pesan: str             # Indonesian message, e.g. "nilai 500 di luar rentang 30–140 cm"
    message: str           # English message
    nilai: str | None = None  # offending value as text

    def text(self, lang: str = "id", file: str | None = None) -> str:
        parts = []
        if file:
            parts.append(file)
        if self.row is not None:
            parts.append(("baris " if lang == "id" else "row ") + str(self.row))
        if self.column:
            parts.append(("kolom " if lang == "id" else "column ") + repr(self.column))
        where = ", ".join(parts)
        msg = self.pesan if lang == "id" else self.message
        return f"{where}: {msg}" if where else msg


@dataclass
class Parsed:
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # table name -> valid rows (columns = table columns)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0                 # data rows read from the file
    rows_valid: int = 0                # data rows that produced output
    notes: list[str] = field(default_factory=list)  # Indonesian informational lines (e.g. 'matched 20 of 20')
    replace: dict[str, tuple[str, dict]] = field(default_factory=dict)
    # optional: table -> (constant SQL delete statement with named $params, params) run in the same
    # transaction before inserting, for kinds whose file replaces a whole scope (e.g. one kab's wilayah)

    @property
    def fatal(self) -> bool:
        return any(p.row is None for p in self.problems)

    @property
    def rejected_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


@dataclass(frozen=True)
class Source:
    path: Path                 # the file on disk (already saved)
    name: str                  # original file name as the user gave it
    options: dict = field(default_factory=dict)  # kind-specific options, e.g. {'kab': ['35.23'], 'level': 'kecamatan', 'sheet': 'Data'}


@dataclass(frozen=True)
class ImportKind:
    name: str                  # 'wilayah', 'boundaries', 'faskes', 'tenaga', 'sasaran', 'spm', 'eppgbm', 'rekap', 'survei', 'target'
    title_id: str
    title_en: str
    tables: tuple[str, ...]    # tables it writes
    columns: tuple[tuple[str, str, str], ...]  # template: (column, Indonesian description, example value)
    parse: Callable[[Source, object], Parsed]
    extensions: tuple[str, ...] = (".csv", ".xlsx")
    keep_raw: bool = True      # keep the raw upload under data/uploads/; False for files with personal data
                               # (an e-PPGBM export holds NIK, names and addresses: only its checksum is logged)
