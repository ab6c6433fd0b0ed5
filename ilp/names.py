"""One vocabulary for names, codes and coded values, used by every importer and by the map matching.

- area and facility names: `normalise_name` (comparison form), `name_key` (without spaces),
  `facility_key` (also drops Posyandu/Puskesmas-type words)
- column headers: `header_key`
- Kemendagri codes: `dotted` (any shape -> dotted), `code_level`, `parent_code`, `LEVELS`
- coded cell values: `JK` (sex -> 1/2), `CARA_UKUR` (measuring position -> 'L'/'H'), `YA_TIDAK` (-> bool),
  `BULAN` (month names, Indonesian and English, short forms -> 1..12); look values up with `vocab_key`
- plausible ranges repeated across importers: `TINGGI_CM`, `BERAT_KG`
"""
from __future__ import annotations

import math
import re
import unicodedata

# ---------------------------------------------------------------- names

# Administrative and facility words dropped from the front of a name (only while a name remains).
AREA_PREFIXES = ("kecamatan", "kelurahan", "kabupaten", "kec", "kel", "kab", "desa", "ds", "kota")
FACILITY_PREFIXES = ("uptd", "upt", "blud", "puskesmas", "puskes", "pusk", "pkm")
POSYANDU_PREFIXES = ("posyandu", "pos", "psy", "yandu")
_PREFIX_RE = re.compile(r"^(?:" + "|".join(AREA_PREFIXES + FACILITY_PREFIXES) + r")\b\.?\s*")
_FACILITY_RE = re.compile(r"^(?:" + "|".join(AREA_PREFIXES + FACILITY_PREFIXES + POSYANDU_PREFIXES)
                          + r")\b\.?\s*")
# Abbreviations spelt out (as whole words)
ABBREVIATIONS = {"tj": "tanjung", "tg": "tanjung", "tgk": "tanjung", "kp": "kampung", "kpg": "kampung",
                 "sei": "sungai", "sg": "sungai", "sui": "sungai", "pd": "pondok", "kr": "karang",
                 "ps": "pasar", "psr": "pasar"}


def _ascii_lower(s) -> str:
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return s.replace("\u00a0", " ").strip()


def _normalise(s, prefix_re: re.Pattern) -> str:
    if s is None:
        return ""
    if isinstance(s, float) and not math.isfinite(s):
        return ""
    s = _ascii_lower(s)
    while True:
        m = prefix_re.match(s)
        if not m or not s[m.end():].strip(" .,-_"):
            break
        s = s[m.end():]
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return " ".join(ABBREVIATIONS.get(w, w) for w in s.split())


def normalise_name(s) -> str:
    """Comparison form of an area or facility name.

    Lower case, accents removed, leading administrative or facility words removed ("Kec.", "Kecamatan",
    "Desa", "Ds.", "Kel.", "Kelurahan", "Kab.", "Kabupaten", "Kota", "UPTD", "UPT", "Puskesmas", "PKM",
    "Pusk."; only while a name remains), punctuation to spaces, common abbreviations spelt out
    (Tj./Tg. -> tanjung, Kp. -> kampung, Sei/Sg. -> sungai, Pd. -> pondok, Kr. -> karang, Ps. -> pasar),
    spaces collapsed: "Kec. Tanjung-Pinang  Barat" -> "tanjung pinang barat".
    """
    return _normalise(s, _PREFIX_RE)


def name_key(s) -> str:
    """normalise_name without spaces: the key names are matched on ("TANJUNGPINANG BARAT" = "Tj. Pinang Barat")."""
    return normalise_name(s).replace(" ", "")


def facility_key(s) -> str:
    """Key for Puskesmas and Posyandu names: 'UPTD Puskesmas Alpha' / 'PKM ALPHA' -> 'alpha',
    'Posyandu Melati 1' -> 'melati1'."""
    return _normalise(s, _FACILITY_RE).replace(" ", "")


def header_key(s) -> str:
    """Column header comparison key: lower case, accents and everything but letters/digits removed
    ('Kode Faskes' = 'kode_faskes' = 'KODE-FASKES')."""
    if s is None:
        return ""
    return re.sub(r"[^a-z0-9]", "", _ascii_lower(s))


_COUNT_UNIT = re.compile(r"\((jiwa|anak|orang|org|balita|jumlah|jml)\)$")


def header_key_strict(s) -> str:
    """The stricter header key, tried before header_key: the same, except that '%' and '+' stay (they carry
    meaning: '% Stunting' and 'Stunting (%)' ≠ 'Stunting'; 'Pendek + Sangat Pendek' ≠ 'Pendek Sangat Pendek')
    and a trailing count unit ('(anak)', '(jml)') is dropped ('Pendek (anak)' = 'Pendek')."""
    if s is None:
        return ""
    return re.sub(r"[^a-z0-9%+]", "", _COUNT_UNIT.sub("", re.sub(r"\s+", "", _ascii_lower(s))))


# ---------------------------------------------------------------- Kemendagri codes

LEVELS = ("provinsi", "kabkota", "kecamatan", "desa")
_DOTTED_RE = {
    "provinsi": re.compile(r"^\d{2}$"),
    "kabkota": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
_DIGITS = {2: "provinsi", 4: "kabkota", 6: "kecamatan", 10: "desa"}
# BPS codes (no dots): kecamatan has 7 digits (3523010), desa 10 (3523010001); kab/kota 4, as Kemendagri.
BPS_DIGITS = {"kabkota": 4, "kecamatan": 7, "desa": 10}


def code_text(v) -> str | None:
    """A code cell as text: 3523.0 -> '3523', ' 35.23 ' -> '35.23', NaN/None/'' -> None."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        if v.is_integer():
            return str(int(v))
    s = str(v).strip().replace("\u00a0", "")
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s or None


def code_level(kode) -> str | None:
    """Level of a Kemendagri code, dotted or not: 'provinsi' | 'kabkota' | 'kecamatan' | 'desa' | None.
    '35.23.01' and '352301' -> 'kecamatan'; a 7-digit BPS kecamatan code -> None."""
    d = dotted(kode)
    if d is None:
        return None
    for lv, rx in _DOTTED_RE.items():
        if rx.match(d):
            return lv
    return None


def dotted(kode, level: str | None = None) -> str | None:
    """Dotted Kemendagri code: '3523012001' -> '35.23.01.2001', '352301' -> '35.23.01', '3523' -> '35.23';
    a dotted code is returned as is; anything else -> None. With `level`, a code of another level -> None."""
    s = code_text(kode)
    if s is None:
        return None
    out = None
    if any(rx.match(s) for rx in _DOTTED_RE.values()):
        out = s
    elif s.isdigit() and len(s) in _DIGITS:
        out = ".".join([s[0:2], s[2:4], s[4:6], s[6:10]][: {2: 1, 4: 2, 6: 3, 10: 4}[len(s)]])
    if out is not None and level is not None and not _DOTTED_RE[level].match(out):
        return None
    return out


def parent_code(kode: str | None) -> str | None:
    """'35.23.01.2001' -> '35.23.01'; a province code -> None."""
    d = dotted(kode)
    return d.rsplit(".", 1)[0] if d and "." in d else None


# ---------------------------------------------------------------- coded values

def vocab_key(v) -> str:
    """Lookup form of a coded cell: lower case, letters and digits only ('Laki-laki' -> 'lakilaki',
    '1.0' -> '1')."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = _ascii_lower(v)
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    return re.sub(r"[^a-z0-9]", "", s)


# sex -> 1 (laki-laki / male), 2 (perempuan / female); keys are vocab_key forms
JK: dict[str, int] = {
    **dict.fromkeys(["1", "l", "lk", "laki", "lakilaki", "m", "male", "pria"], 1),
    **dict.fromkeys(["2", "p", "pr", "perempuan", "f", "female", "wanita", "w"], 2),
}
# measuring position -> 'L' (lying: panjang badan) / 'H' (standing: tinggi badan)
CARA_UKUR: dict[str, str] = {
    **dict.fromkeys(["l", "lying", "telentang", "terlentang", "berbaring", "tidur", "recumbent", "pb",
                     "length", "panjangbadan"], "L"),
    **dict.fromkeys(["h", "standing", "berdiri", "tb", "height", "tinggibadan"], "H"),
}
# yes / no -> bool
YA_TIDAK: dict[str, bool] = {
    **dict.fromkeys(["ya", "y", "yes", "true", "benar", "1", "ada", "v"], True),
    **dict.fromkeys(["tidak", "tdk", "t", "no", "n", "false", "salah", "0", "tidakada", "x"], False),
}
# month names (Indonesian and English, with short and old spellings) -> 1..12
BULAN: dict[str, int] = {
    **dict.fromkeys(["januari", "jan", "january"], 1),
    **dict.fromkeys(["februari", "feb", "pebruari", "peb", "february"], 2),
    **dict.fromkeys(["maret", "mar", "march"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "jun", "june"], 6),
    **dict.fromkeys(["juli", "jul", "july"], 7),
    **dict.fromkeys(["agustus", "agu", "agt", "ags", "aug", "august"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "okt", "oct", "october"], 10),
    **dict.fromkeys(["november", "nov", "nop", "nopember"], 11),
    **dict.fromkeys(["desember", "des", "dec", "december"], 12),
}


def lookup(vocab: dict, v):
    """vocab[vocab_key(v)] or None: lookup(JK, 'Laki-laki') -> 1, lookup(YA_TIDAK, 'Tidak') -> False."""
    return vocab.get(vocab_key(v))


# ---------------------------------------------------------------- plausible ranges (schema CHECKs)

TINGGI_CM = (30.0, 140.0)   # length/height of a child under five, cm (schema: 30 < tinggi_cm < 140)
BERAT_KG = (0.0, 60.0)      # weight of a child under five, kg (schema: 0 < berat_kg < 60)
# physically possible for any child at all: outside is a unit mistake (the zscore tool's error, not a WHO flag)
TINGGI_MUNGKIN_CM = (20.0, 200.0)
BERAT_MUNGKIN_KG = (0.3, 200.0)
