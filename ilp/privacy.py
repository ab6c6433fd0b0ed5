"""Pseudonymisation of children's identity numbers (NIK). Names and NIK are never stored.

    installation_salt(create)    -> bytes   (this installation's secret key, created on first use)
    salt_warnings()              -> [Msg]   (e.g. the salt file is readable by other users)
    salt_fingerprint(salt)       -> 'pbkdf2-sha256-1000:3f2a...' (scheme + a one-way fingerprint, kept in meta)
    normalise_nik(raw)           -> '3523011501240001' or None when it is not a valid 16-digit NIK
    nik_problem(raw)             -> None, or a Msg saying why the NIK is not valid (keys eppgbm.nik.*)
    hash_nik(nik, salt)          -> hex PBKDF2-HMAC-SHA256 keyed by the salt (pengukuran.id_anak)
    pseudonymous_id(parts, salt) -> 'psd-' + the same keyed hash (id for a child without a usable NIK)
    mask_nik(raw)                -> '3523xxxxxxxx0001' (the only form a NIK may take in messages)
    mask_text(s)                 -> s with every NIK-like run of 16 digits masked
    mask_name(s)                 -> 'B*** S***' (a child's or parent's name in a message)

The salt is a KEY, not a salt stored next to the data: it lives in the file named by the setting
`salt_file` (env ILP_SALT_FILE; default ~/.config/pantau-ilp/salt), never inside the repository and
never in the database. id_anak is PBKDF2-HMAC-SHA256 with the salt file as the HMAC key and the NIK
as the message, iterated HASH_ITERATIONS times: without the salt file nobody can recompute an id from a
guessed NIK (NIK structure is guessable from birth date, sex and desa), and with it each guess costs
HASH_ITERATIONS HMACs.

The database records the scheme and a fingerprint of its salt (meta key `salt_sidik`, an HMAC of a
fixed text: it reveals nothing about the salt). A child import is refused when the salt file differs
from the one recorded (re-importing the same export with a new salt would double every child), and
when the salt file is missing for a database that has one recorded (it is never silently recreated
then). A salt file readable by other users is accepted with a warning.

Back up the salt: copy the salt file (e.g. `install -m 600 ~/.config/pantau-ilp/salt /media/cadangan/
pantau-ilp-salt`) to a place other than the database backup, and restore it with mode 0600 to the
path of ILP_SALT_FILE. A database backup without the salt keeps its figures, but later e-PPGBM
imports into it are refused until the salt is restored.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from pathlib import Path

from ilp import config
from ilp.ingest.base import Msg

SALT_BYTES = 32
MIN_SALT_BYTES = 16
HASH_ITERATIONS = 1_000   # ~0.25 ms per NIK here: 50,000 children ~ 12 s; a brute force with the key costs the same per guess
ID_SCHEME = f"pbkdf2-sha256-{HASH_ITERATIONS}"
META_KEY = "salt_sidik"   # meta row: ID_SCHEME + ':' + fingerprint of the salt the database's id_anak were made with


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


def installation_salt(create: bool = True) -> bytes:
    """This installation's salt (bytes); created on first use (32 random bytes, mode 0600) unless `create` is
    False (a database that records a salt fingerprint: a missing file must be restored, not replaced)."""
    p = salt_path()
    if _inside_repo(p):
        raise SaltError(Msg("eppgbm.salt.di_dalam_aplikasi", {"path": str(p)}))
    if not p.exists():
        if not create:
            raise SaltError(Msg("eppgbm.salt.hilang", {"path": str(p)}))
        _create(p)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise SaltError(Msg("eppgbm.salt.tidak_terbaca", {"path": str(p), "sebab": e.strerror})) from None
    if len(data) < MIN_SALT_BYTES:
        raise SaltError(Msg("eppgbm.salt.rusak", {"path": str(p), "n": len(data)}))
    return data


def salt_warnings() -> list[Msg]:
    """What is wrong but tolerated about the salt file: readable or writable by other users."""
    p = salt_path()
    try:
        mode = p.stat().st_mode & 0o777
    except OSError:
        return []
    if mode & 0o077:
        return [Msg("eppgbm.salt.izin_longgar", {"path": str(p), "mode": f"{mode:03o}"})]
    return []


def salt_fingerprint(salt: bytes) -> str:
    """ID_SCHEME + ':' + 16 hex digits of HMAC-SHA256(salt, fixed text): tells two salts apart, reveals neither."""
    return ID_SCHEME + ":" + hmac.new(salt, b"pantau-ilp salt fingerprint", hashlib.sha256).hexdigest()[:16]


def fingerprint_problem(recorded: str | None, salt: bytes) -> Msg | None:
    """Why child ids made with `salt` would not match those the database holds (None = they match or none recorded)."""
    if not recorded or recorded == salt_fingerprint(salt):
        return None
    if recorded.rpartition(":")[0] != ID_SCHEME:
        return Msg("eppgbm.salt.skema_lain", {"skema": recorded.rpartition(":")[0] or "?", "sekarang": ID_SCHEME})
    return Msg("eppgbm.salt.berubah", {"path": str(salt_path())})


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
    if any(ch.isdigit() and not ch.isascii() for ch in s):
        return Msg("eppgbm.nik.digit_asing")
    if not (s.isascii() and s.isdigit()) or len(s) != 16:
        return Msg("eppgbm.nik.panjang", {"n": len(s)})
    day, month, serial = int(s[6:8]), int(s[8:10]), s[12:]
    if len(set(s)) == 1 or serial == "0000" or not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        return Msg("eppgbm.nik.tidak_sah")
    return None


def normalise_nik(raw) -> str | None:
    """The 16 digits of a valid NIK, else None."""
    return _digits(raw) if nik_problem(raw) is None else None


def _keyed(salt: bytes, message: bytes) -> str:
    """PBKDF2-HMAC-SHA256 with the salt file as the HMAC key: 64 hex digits, not reversible without the key."""
    return hashlib.pbkdf2_hmac("sha256", salt, message, HASH_ITERATIONS).hex()


def hash_nik(nik: str, salt: bytes) -> str:
    """id_anak: the keyed, iterated hash of the normalised NIK (16 ASCII digits)."""
    return _keyed(salt, b"nik\x00" + nik.encode("ascii"))


PSEUDONYM_PREFIX = "psd-"   # a NIK-based id is 64 hex digits: a prefixed id can never equal one


def pseudonymous_id(parts, salt: bytes) -> str:
    """Id for a child without a usable NIK: 'psd-' + hex SHA-256 of (salt + a domain tag + the normalised
    identifying parts, e.g. name, birth date, sex, desa, parent name). Nothing is stored in clear; the same
    child in a later export (same parts) gets the same id."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return PSEUDONYM_PREFIX + _keyed(salt, b"pseudonym\x00" + text.encode("utf-8"))


def is_pseudonymous(id_anak: str | None) -> bool:
    return bool(id_anak) and id_anak.startswith(PSEUDONYM_PREFIX)


def mask_nik(raw) -> str:
    """'3523011501240001' -> '3523xxxxxxxx0001'; shorter numbers keep at most 2+2 digits; anything that
    is not all digits (a name typed into the NIK column, say) is masked completely."""
    s = _digits(raw)
    if not s.isdigit():
        return "x" * min(len(s), 16)
    s = "".join(str(int(ch)) if ch.isdecimal() else "x" for ch in s)  # fullwidth / Arabic-Indic digits shown as 0-9
    if len(s) >= 12:
        return s[:4] + "x" * (len(s) - 8) + s[-4:]
    if len(s) >= 6:
        return s[:2] + "x" * (len(s) - 4) + s[-2:]
    return "x" * len(s)


_NIK_RUN = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){15}(?!\d)")


def mask_text(s):
    """`s` with every run of 16 digits (a NIK, also with spaces/dots/dashes between groups) masked; other values
    unchanged."""
    if not isinstance(s, str):
        return s
    return _NIK_RUN.sub(lambda m: mask_nik(m[0]), s)


def mask_name(s) -> str:
    """'Budi Santoso' -> 'B*** S***': a person's name as it may appear in a message."""
    return " ".join(w[0] + "***" for w in str(s or "").split() if w)
