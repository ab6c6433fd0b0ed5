"""What keeps a child import from identifying anyone, around the parser (ilp.ingest.eppgbm):

    check_salt(con)            -> (fingerprint to record, warnings, Problem refusing the import or None)
    mask_identity(parsed, names) -> parsed with every NIK and every person's name of the file masked in its messages
    parse_usia(s), birth_from_usia(ukur, usia)   'Usia Saat Ukur' ('2 Tahun - 3 Bulan - 18 Hari') and the birth date
                                                 it implies (the fallback when a birth date is missing)
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from ilp import db
from ilp.ingest.base import Msg, Parsed, Problem
from ilp.names import normalise_name
from ilp.privacy import (META_KEY, SaltError, fingerprint_problem, installation_salt, mask_name, mask_text,
                         salt_fingerprint, salt_warnings)


def _m(key: str, **params) -> Msg:
    return Msg(f"eppgbm.{key}", params)


def check_salt(con) -> tuple[str | None, list[Msg], Problem | None]:
    """The salt fingerprint to record, warnings, or the Problem refusing a child import: the salt file differs from
    the one the database's id_anak were made with, is missing while the database records one (never silently
    recreated then), or the database holds imported children from before fingerprints were recorded."""
    recorded = db.get_meta(con, META_KEY)
    try:
        salt = installation_salt(create=not recorded)
    except SaltError as e:
        return None, [], Problem(None, None, e.msg)
    why = fingerprint_problem(recorded, salt)
    if why is None and not recorded:
        n = int(db.run(con, "ingest/anak_tanpa_sidik")["n"][0])
        if n:
            why = _m("salt.tanpa_sidik", n=n)
    if why is not None:
        return None, [], Problem(None, None, why)
    return salt_fingerprint(salt), salt_warnings(), None


def _mask_value(v, names: set[str]):
    if isinstance(v, Msg):
        return _mask_msg(v, names)
    if isinstance(v, (list, tuple)):
        return type(v)(_mask_value(x, names) for x in v)
    if not isinstance(v, str):
        return v
    v = mask_text(v)
    return mask_name(v) if normalise_name(v) in names else v


def _mask_msg(m: Msg, names: set[str]) -> Msg:
    return Msg(m.key, {k: _mask_value(v, names) for k, v in m.params.items()})


def mask_identity(parsed: Parsed, names: set[str]) -> Parsed:
    """No NIK and no child's or parent's name (as written in this file) in any problem or note: masked."""
    parsed.problems[:] = [Problem(p.row, p.column, _mask_msg(p.msg, names), _mask_value(p.nilai, names))
                          for p in parsed.problems]   # in place: a capped list keeps its count of rows
    parsed.notes = [_mask_msg(n, names) for n in parsed.notes]
    return parsed


# ---------------------------------------------------------------- Usia Saat Ukur

_USIA = re.compile(r"^\s*(?:(\d+)\s*(?:tahun|thn|th|t)\b)?[\s\-,]*(?:(\d+)\s*(?:bulan|bln|bl|b)\b)?[\s\-,]*"
                   r"(?:(\d+)\s*(?:hari|hr|h)\b)?\s*$", re.I)


def parse_usia(s: str | None) -> tuple[int, int, int] | None:
    """'2 Tahun - 3 Bulan - 18 Hari' -> (2, 3, 18); '5 Bulan - 2 Hari' -> (0, 5, 2); anything else -> None."""
    if not s:
        return None
    m = _USIA.match(str(s))
    if not m or not any(m.groups()):
        return None
    y, mo, d = (int(x) if x else 0 for x in m.groups())
    if y > 10 or mo > 11 or d > 31:
        return None
    return y, mo, d


def birth_from_usia(ukur: dt.date, usia: tuple[int, int, int]) -> dt.date:
    """The birth date that gives calendar age `usia` (years, months, days) on `ukur`."""
    y, mo, d = usia
    total = ukur.year * 12 + (ukur.month - 1) - (y * 12 + mo)
    yy, mm = divmod(total, 12)
    mm += 1
    day = min(ukur.day, calendar.monthrange(yy, mm)[1])
    return dt.date(yy, mm, day) - dt.timedelta(days=d)
