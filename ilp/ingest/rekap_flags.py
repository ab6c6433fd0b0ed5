"""Data-quality flags of a stunting recap row, stored in `rekap_stunting.flag_inkonsisten` as stable codes and
rendered in the reader's language at display time.

    flag_codes([Msg("rekap.flag.stunting_beda", ...), ...]) -> 'stunting_beda'   (stored; None when no flag)
    flag_text('stunting_beda;prevalensi_beda', 'en')      -> "pendek + sangat pendek ≠ reported stunting; ..."

Codes (in this order, each at most once, joined with ';'): stunting_beda (pendek + sangat pendek ≠ the reported
stunting total), prevalensi_beda (reported prevalence ≠ computed, beyond the tolerance), tidak_terbaca (the reported
stunting or prevalence cell could not be read and was left empty), disalin (a column with one value in every row of
its round: copied down?), pkm_beda_kecamatan (the recap lists the Puskesmas under another kecamatan than the facility
table). The row's numbers are in its own columns; the import notes give the details row by row.
A stored value that is not a list of known codes (a database imported before codes, the demo) is shown as it is.
"""
from __future__ import annotations

from ilp.ingest.base import Msg

CODES = ("stunting_beda", "prevalensi_beda", "tidak_terbaca", "disalin", "pkm_beda_kecamatan")


def flag_codes(flags: list[Msg]) -> str | None:
    """The stored form of a row's flags (rekap.flag.<code> Msgs): known codes in CODES order, ';'-joined."""
    got = {f.key.rsplit(".", 1)[-1] for f in flags}
    codes = [c for c in CODES if c in got]
    return ";".join(codes) or None


def flag_text(codes: str | None, lang: str = "id") -> str:
    """Stored codes as words in `lang` ('' when none); an unknown stored text is returned unchanged."""
    from ilp.i18n import t
    if not codes:
        return ""
    parts = [c.strip() for c in str(codes).split(";") if c.strip()]
    if not parts or any(c not in CODES for c in parts):
        return str(codes)
    return "; ".join(t(f"rekap.flag_kode.{c}", lang) for c in parts)
