"""Data tests beside the models (dbt-style): queries/quality/checks/*.sql, one rule per file, each
returning the rows that break it (foreign keys to wilayah and faskes, uniqueness, ranges).

They run in the tests on the fixture and the demo, and after every import on Kelola Data:

    for r in run_checks(con, kab="35.23"):
        if not r.ok: show(r.title(lang), r.rows)

A check's title is its header's 'title: Indonesian | English'.
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ilp import db

PREFIX = "quality/checks/"


@dataclass(frozen=True)
class CheckResult:
    name: str           # file stem, e.g. 'faskes_tanpa_wilayah'
    title_id: str
    title_en: str
    rows: pl.DataFrame  # the violating rows (empty = the rule holds)

    @property
    def ok(self) -> bool:
        return self.rows.height == 0

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


def names() -> list[str]:
    """Every check, by name, in file order."""
    return [k[len(PREFIX):] for k in db.queries() if k.startswith(PREFIX)]


def run_check(con, name: str, kab: str | None = None) -> CheckResult:
    q = db.query(PREFIX + name)
    title_id, _, title_en = q.title.partition(" | ")
    rows = db.run(con, q.key, kab=kab)
    return CheckResult(name, title_id.strip(), (title_en or title_id).strip(), rows)


def run_checks(con, kab: str | None = None) -> list[CheckResult]:
    """Run every check (kab None = the whole database); rows of unknown units are listed whatever the kab."""
    return [run_check(con, n, kab) for n in names()]


def failures(con, kab: str | None = None) -> list[CheckResult]:
    return [r for r in run_checks(con, kab) if not r.ok]
