"""Pseudonymisation of children's identity numbers (NIK). Names and NIK are never stored.

    installation_salt()          -> bytes   (this installation's secret salt, created on first use)
    normalise_nik(raw)           -> '3523011501240001' or None when it is not a valid 16-digit NIK
    nik_problem(raw)             -> None, or a Msg saying why the NIK is not valid (keys eppgbm.nik.*)
    hash_nik(nik, salt)          -> hex SHA-256 of salt + NIK  (pengukuran.id_anak)
    pseudonymous_id(parts, salt) -> 'psd-' + hex SHA-256 (id for a child without a usable NIK)
    mask_nik(raw)                -> '3523xxxxxxxx0001' (the only form a NIK may take in messages)

The salt lives in the file named by the setting `salt_file` (env ILP_SALT_FILE; default
~/.config/pantau-ilp/salt), never inside the repository. It is created once with
`secrets.token_bytes(32)`, mode 0600, atomically (two processes starting at once end up with
the same salt). Losing or changing it changes every id_anak: back it up with the database.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from ilp import config
from ilp.ingest.base import Msg

SALT_BYTES = 32
MIN_SALT_BYTES = 16


class SaltError(RuntimeError):
    """The salt file cannot be used; `msg` says why (keys eppgbm.salt.*)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.text("en"))
        self.msg = msg


def salt_path() -> Path:
    return Path(os.path.expanduser(config.get("salt_file")))


def _inside_repo(p: Path) -> bool:
    try:
        p.resolve().relative_to(config.ROOT.resolve())
        return True
    except ValueError:
        return False


def installation_salt() -> bytes:
    """This installation's salt (bytes); created on first use (32 random bytes, mode 0600)."""
    p = salt_path()
    if _inside_repo(p):
        raise SaltError(Msg("eppgbm.salt.di_dalam_aplikasi", {"path": str(p)}))
    if not p.exists():
        _create(p)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise SaltError(Msg("eppgbm.salt.tidak_terbaca", {"path": str(p), "sebab": e.strerror})) from None
    if len(data) < MIN_SALT_BYTES:
        raise SaltError(Msg("eppgbm.salt.rusak", {"path": str(p), "n": len(data)}))
    return data


def _create(p: Path) -> None:
    try:
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".salt-", dir=p.parent)
    except OSError as e:
        raise SaltError(Msg("eppgbm.salt.tidak_bisa_dibuat", {"path": str(p), "sebab": e.strerror})) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(SALT_BYTES))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, p)  # atomic; fails if another process created it first (then theirs is used)
        except FileExistsError:
            pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# ---------------------------------------------------------------- NIK

_SEP = re.compile(r"[\s.\-]")


def _digits(raw) -> str:
    s = "" if raw is None else str(raw).strip().lstrip("'`")
    m = re.fullmatch(r"(\d{16})\.0+", s)  # a NIK saved as a number in Excel: '3523011501240001.0'
    if m:
        return m[1]
    return _SEP.sub("", s)


def nik_problem(raw) -> Msg | None:
    """Why `raw` is not a usable NIK (a Msg), or None when it is valid.

    Valid: 16 digits (spaces, dots and dashes between groups allowed) whose birth-date part is
    plausible (day 01–31, or 41–71 for girls; month 01–12) and whose serial is not 0000; not one
    digit repeated. Placeholders ('-', '0000000000000000', '3523000000000000') are not usable:
    they would merge different children into one id_anak (the importer gives such a child a
    pseudonymous id instead, see `pseudonymous_id`).
    """
    s = _digits(raw)
    if not s or set(s) <= set("-–—"):
        return Msg("eppgbm.nik.kosong")
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", s.replace(",", ".")):
        return Msg("eppgbm.nik.eksponen")
    if not s.isdigit() or len(s) != 16:
        return Msg("eppgbm.nik.panjang", {"n": len(s)})
    day, month, serial = int(s[6:8]), int(s[8:10]), s[12:]
    if len(set(s)) == 1 or serial == "0000" or not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        return Msg("eppgbm.nik.tidak_sah")
    return None


def normalise_nik(raw) -> str | None:
    """The 16 digits of a valid NIK, else None."""
    return _digits(raw) if nik_problem(raw) is None else None


def hash_nik(nik: str, salt: bytes) -> str:
    """id_anak: hex SHA-256 of (salt + normalised NIK)."""
    return hashlib.sha256(salt + nik.encode("ascii")).hexdigest()


PSEUDONYM_PREFIX = "psd-"   # a NIK-based id is 64 hex digits: a prefixed id can never equal one


def pseudonymous_id(parts, salt: bytes) -> str:
    """Id for a child without a usable NIK: 'psd-' + hex SHA-256 of (salt + a domain tag + the normalised
    identifying parts, e.g. name, birth date, sex, desa, parent name). Nothing is stored in clear; the same
    child in a later export (same parts) gets the same id."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return PSEUDONYM_PREFIX + hashlib.sha256(salt + b"\x00pseudonym\x00" + text.encode("utf-8")).hexdigest()


def is_pseudonymous(id_anak: str | None) -> bool:
    return bool(id_anak) and id_anak.startswith(PSEUDONYM_PREFIX)


def mask_nik(raw) -> str:
    """'3523011501240001' -> '3523xxxxxxxx0001'; shorter numbers keep at most 2+2 digits; anything that
    is not all digits (a name typed into the NIK column, say) is masked completely."""
    s = _digits(raw)
    if not s.isdigit():
        return "x" * min(len(s), 16)
    if len(s) >= 12:
        return s[:4] + "x" * (len(s) - 8) + s[-4:]
    if len(s) >= 6:
        return s[:2] + "x" * (len(s) - 4) + s[-2:]
    return "x" * len(s)
