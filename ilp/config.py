"""Settings registry: every setting has a name, a default and a help line (documented in README)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("db", "ILP_DB", str(ROOT / "data" / "ilp.duckdb"), "Path of the DuckDB database file."),
        Setting("uploads", "ILP_UPLOADS", str(ROOT / "data" / "uploads"), "Folder where every uploaded raw file is kept."),
        Setting("salt_file", "ILP_SALT_FILE", str(Path.home() / ".config" / "pantau-ilp" / "salt"),
                "File holding this installation's salt for hashing NIK (created on first use, outside the repository)."),
        Setting("max_upload_mb", "ILP_MAX_UPLOAD_MB", "50", "Largest accepted upload, in megabytes."),
        Setting("max_rows", "ILP_MAX_ROWS", "2000000", "Largest number of data rows read from one import file."),
        Setting("lang", "ILP_LANG", "id", "Default interface language (id or en)."),
        Setting("query_timeout_s", "ILP_QUERY_TIMEOUT_S", "30", "Time limit for one dashboard query, in seconds."),
        Setting("query_max_rows", "ILP_QUERY_MAX_ROWS", "200000", "Row cap for one dashboard query."),
        Setting("query_concurrency", "ILP_QUERY_CONCURRENCY", "2",
                "Dashboard queries run at the same time in one server; the others wait their turn (their time "
                "limit starts when they run), so many viewers queue instead of failing."),
        Setting("round_min_share", "ILP_ROUND_MIN_SHARE", "0.8",
                "A weighing round (or recap period) is 'lengkap' when at least this share of desa and of "
                "Puskesmas reported (recaps: of Puskesmas); otherwise 'sementara' (provisional)."),
    ]
}


def get(name: str) -> str:
    s = SETTINGS[name]
    return os.environ.get(s.env) or s.default


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db PATH wins, then ILP_DB, then data/ilp.duckdb."""
    return Path(explicit) if explicit else Path(get("db"))
