"""Reusable column specs and checks for tabular import kinds; every finding is a `Problem`.

A kind declares its columns once:

    COLS = (
        Col("tahun", "int", min=2000, max=2100, desc_id="Tahun", example="2025"),
        Col("jumlah", "float", min=0, aliases=("jml", "total")),
        ...
    )

and `parse_tabular(src, con, COLS, build)` reads the file, finds the columns (case, spaces,
underscores and accents ignored; aliases allowed; a missing one gets the nearest header
suggested), parses typed values (numbers with comma decimals / thousands dots, dates
YYYY-MM-DD or DD/MM/YYYY or '5 Januari 2024', ya/tidak booleans, choices), rejects formula
cells, and calls `build(df, ctx)` where the kind adds its own checks (ranges between columns,
codes in the database, duplicates) and returns the rows for each table. Rows with any problem
are dropped from the output; the kind never has to filter them itself.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import polars as pl

from ilp.ingest.base import Parsed, Problem, Source
from ilp.ingest.readers import ReadError, norm_name, read_table

# ---------------------------------------------------------------- shared vocabularies

BULAN = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}

# SPM kab/kota services (Permenkes 4/2019 order): code -> spellings seen in district files
LAYANAN: dict[str, tuple[str, ...]] = {
    "spm01": ("ibu hamil", "bumil", "pelayanan kesehatan ibu hamil", "pregnant women"),
    "spm02": ("ibu bersalin", "bulin", "persalinan", "pelayanan kesehatan ibu bersalin"),
    "spm03": ("bayi baru lahir", "bbl", "neonatal", "pelayanan kesehatan bayi baru lahir"),
    "spm04": ("balita", "pelayanan kesehatan balita", "under five"),
    "spm05": ("usia pendidikan dasar", "pendidikan dasar", "anak sekolah", "usia dikdas"),
    "spm06": ("usia produktif", "pelayanan kesehatan usia produktif"),
    "spm07": ("usia lanjut", "lansia", "pelayanan kesehatan usia lanjut", "elderly"),
    "spm08": ("hipertensi", "penderita hipertensi", "ht"),
    "spm09": ("diabetes melitus", "diabetes", "dm", "penderita diabetes melitus", "penderita dm"),
    "spm10": ("odgj berat", "odgj", "orang dengan gangguan jiwa berat", "gangguan jiwa berat"),
    "spm11": ("terduga tuberkulosis", "terduga tb", "tbc", "tb", "orang terduga tuberkulosis"),
    "spm12": ("risiko hiv", "hiv", "orang dengan risiko terinfeksi hiv", "berisiko hiv"),
}


LAYANAN_LABEL = ("spm01..spm12, 1..12, atau nama layanan seperti 'balita', 'ibu hamil'",
                 "spm01..spm12, 1..12, or a service name such as 'balita', 'ibu hamil'")


def layanan_choices() -> dict[str, str]:
    """Normalised spelling -> 'spmNN': 'spm01', 'SPM 1', '1', '01', 'ibu hamil', ..."""
    out: dict[str, str] = {}
    for code, names in LAYANAN.items():
        n = int(code[3:])
        for s in (code, f"spm {n}", f"spm{n}", f"spm-{n:02d}", str(n), f"{n:02d}", *names):
            out[norm_name(s)] = code
    return out


# ---------------------------------------------------------------- column spec

@dataclass(frozen=True)
class Col:
    name: str                         # canonical name (usually the table column)
    kind: str = "str"                 # str | int | float | date | bool | choice
    required: bool = True             # the column must be in the file
    aliases: tuple[str, ...] = ()     # other accepted header spellings
    min: float | None = None
    max: float | None = None
    unit: str = ""                    # shown in range messages ('cm', '%')
    choices: Mapping[str, str] | None = None  # normalised spelling -> stored value (kind 'choice')
    default: Any = None               # value when the column is absent or the cell empty
    allow_empty: bool = False         # an empty cell is fine (otherwise: 'wajib diisi' if required)
    not_future: bool = False          # dates: not after today
    desc_id: str = ""                 # template description (Indonesian)
    desc_en: str = ""
    example: str = ""
    max_len: int = 1000
    choices_label: tuple[str, str] | None = None  # how to describe the valid choices (id, en), instead of listing them

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


def template_columns(cols: Iterable[Col]) -> tuple[tuple[str, str, str], ...]:
    """ImportKind.columns from specs: (column, Indonesian description, example)."""
    return tuple((c.name, c.desc_id + ("" if c.required else " (boleh tidak ada)"), c.example) for c in cols)


# ---------------------------------------------------------------- column matching

def match_columns(headers: Iterable[str], cols: Iterable[Col]) -> tuple[dict[str, str], list[Problem]]:
    """Map canonical name -> header as written in the file; problems for missing/ambiguous ones."""
    from rapidfuzz import fuzz, process

    headers = [h for h in headers if h != "_row"]
    by_norm: dict[str, list[str]] = {}
    for h in headers:
        by_norm.setdefault(norm_name(re.sub(r" \(\d+\)$", "", h)), []).append(h)
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    cols = list(cols)
    for c in cols:
        for s in c.spellings():
            hits = by_norm.get(norm_name(s))
            if hits:
                if len(hits) > 1:
                    problems.append(Problem(None, hits[0], f"kolom '{hits[0]}' muncul {len(hits)} kali; hapus salah satunya",
                                            f"column '{hits[0]}' appears {len(hits)} times; remove the extra one"))
                mapping[c.name] = hits[0]
                break
    used = set(mapping.values())
    spare = [h for h in headers if h not in used]
    for c in cols:
        if c.name in mapping or not c.required:
            continue
        hint_id = hint_en = ""
        if spare:
            cands = {h: norm_name(h) for h in spare}
            best = None
            for s in c.spellings():
                m = process.extractOne(norm_name(s), cands, scorer=fuzz.ratio, score_cutoff=70)
                if m and (best is None or m[1] > best[1]):
                    best = m
            if best:
                hint_id, hint_en = f"; maksud Anda '{best[2]}'?", f"; did you mean '{best[2]}'?"
        also = f" (atau: {', '.join(c.aliases[:4])})" if c.aliases else ""
        problems.append(Problem(None, c.name, f"kolom '{c.name}'{also} tidak ada{hint_id}",
                                f"column '{c.name}'{also.replace('atau', 'or')} is missing{hint_en}"))
    return mapping, problems


# ---------------------------------------------------------------- value parsing

_NUM_CHARS = re.compile(r"^[+-]?[\d.,]+$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


def comma_decimal_style(values: Iterable[str | None]) -> bool:
    """True if the column writes decimals with a comma (Indonesian Excel): '12,5', '1.234,5'."""
    for v in values:
        if v and "," in v:
            s = v.replace(" ", "")
            if re.fullmatch(r"[+-]?\d+,\d+%?", s) and not _THOUSANDS_COMMA.fullmatch(s.lstrip("+-")):
                return True
            if "." in s and s.rfind(",") > s.rfind("."):
                return True
    return False


def parse_number(raw: str, comma_decimal: bool = False, integer: bool = False) -> tuple[float | int | None, str | None]:
    """('1.234,5', comma style) -> (1234.5, None); ('abc') -> (None, 'bukan angka'). Error text is a key."""
    s = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if s.endswith("%"):
        s = s[:-1]
    if not s or not _NUM_CHARS.match(s):
        return None, "nan"
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-")
    if not s or not s[0].isdigit() and s[0] not in ".,":
        return None, "nan"
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        th = "." if dec == "," else ","
        ip, _, fp = s.rpartition(dec)
        if not re.fullmatch(r"\d{1,3}(\%s\d{3})*" % th, ip) or not fp.isdigit():
            return None, "ambiguous"
        s = ip.replace(th, "") + "." + fp
    elif has_comma:
        if s.count(",") > 1:
            if not _THOUSANDS_COMMA.fullmatch(s):
                return None, "ambiguous"
            s = s.replace(",", "")
        else:
            ip, _, fp = s.partition(",")
            if _THOUSANDS_COMMA.fullmatch(s) and not comma_decimal and integer:
                s = ip + fp          # '1,234' in an integer column of a dot-decimal file
            else:
                s = (ip or "0") + "." + fp
    elif has_dot:
        if s.count(".") > 1:
            if not _THOUSANDS_DOT.fullmatch(s):
                return None, "ambiguous"
            s = s.replace(".", "")
        elif _THOUSANDS_DOT.fullmatch(s) and (comma_decimal or integer):
            s = s.replace(".", "")   # Indonesian thousands: '1.234' = 1234
    try:
        x = float(s) * sign
    except ValueError:
        return None, "nan"
    if x != x or x in (float("inf"), float("-inf")):
        return None, "nan"
    if integer:
        if not x.is_integer():
            return None, "notint"
        if abs(x) > 2**31 - 1:
            return None, "toolarge"
        return int(x), None
    return x, None


_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_NAMED = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")


def parse_date(raw: str) -> tuple[dt.date | None, str | None]:
    s = raw.strip()
    try:
        m = _DATE_ISO.match(s)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        m = _DATE_DMY.match(s)
        if m:
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if mo > 12 and d <= 12:
                return None, "mdy"
            return dt.date(y, mo, d), None
        m = _DATE_NAMED.match(s)
        if m and m[2].lower() in BULAN:
            return dt.date(int(m[3]), BULAN[m[2].lower()], int(m[1])), None
        if re.fullmatch(r"\d{5}(\.0+)?", s) and 20000 <= float(s) <= 80000:  # Excel serial day number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(s))), None
    except ValueError:
        return None, "baddate"
    return None, "nodate"


_BOOL = {"ya": True, "y": True, "yes": True, "true": True, "benar": True, "1": True, "ada": True, "v": True,
         "tidak": False, "t": False, "no": False, "n": False, "false": False, "salah": False, "0": False,
         "tidakada": False, "x": False}

_ERR = {
    "nan": ("'{v}' bukan angka", "'{v}' is not a number"),
    "ambiguous": ("format angka '{v}' tidak jelas (pakai 1234,5 atau 1234.5)", "number format '{v}' is unclear (use 1234.5)"),
    "notint": ("'{v}' harus bilangan bulat", "'{v}' must be a whole number"),
    "toolarge": ("angka '{v}' terlalu besar", "number '{v}' is too large"),
    "nodate": ("'{v}' bukan tanggal (pakai TTTT-BB-HH atau HH/BB/TTTT)", "'{v}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    "baddate": ("tanggal '{v}' tidak ada di kalender", "date '{v}' does not exist"),
    "mdy": ("tanggal '{v}' tampak berformat bulan/hari; pakai HH/BB/TTTT", "date '{v}' looks month-first; use DD/MM/YYYY"),
    "nobool": ("'{v}' bukan ya/tidak", "'{v}' is not yes/no (ya/tidak)"),
    "formula": ("sel berisi rumus Excel '{v}'; rumus tidak dijalankan — salin lalu 'Paste Special > Values'",
                "cell holds an Excel formula '{v}'; formulas are not evaluated — copy and 'Paste Special > Values'"),
    "empty": ("wajib diisi", "required value is empty"),
    "toolong": ("teks terlalu panjang ({n} karakter)", "text too long ({n} characters)"),
}


def _fmt(x) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def parse_cell(raw: str, col: Col, comma_decimal: bool = False, today: dt.date | None = None
               ) -> tuple[Any, tuple[str, str] | None]:
    """One non-empty cell -> (value, None) or (None, (pesan, message))."""
    v = raw
    short = v if len(v) <= 60 else v[:57] + "..."
    if v.startswith("="):
        p, m = _ERR["formula"]
        return None, (p.format(v=short), m.format(v=short))
    err = None
    val: Any = None
    if col.kind in ("int", "float"):
        val, err = parse_number(v, comma_decimal, integer=col.kind == "int")
    elif col.kind == "date":
        val, err = parse_date(v)
    elif col.kind == "bool":
        b = _BOOL.get(norm_name(v))
        val, err = (b, None) if b is not None else (None, "nobool")
    elif col.kind == "choice":
        key = norm_name(v)
        if col.choices and key in col.choices:
            val = col.choices[key]
        else:
            opts = sorted(set((col.choices or {}).values()))
            hint_id = hint_en = ""
            from rapidfuzz import fuzz, process
            m = process.extractOne(key, list((col.choices or {}).keys()), scorer=fuzz.ratio, score_cutoff=75)
            if m and not any(ch.isdigit() for ch in key):
                hint_id, hint_en = f"; maksud Anda '{col.choices[m[0]]}'?", f"; did you mean '{col.choices[m[0]]}'?"
            shown = ", ".join(opts[:12]) + (", ..." if len(opts) > 12 else "")
            sid, sen = col.choices_label or (shown, shown)
            return None, (f"'{short}' bukan pilihan yang sah (pilihan: {sid}){hint_id}",
                          f"'{short}' is not a valid choice (choices: {sen}){hint_en}")
    else:
        if len(v) > col.max_len:
            p, m = _ERR["toolong"]
            return None, (p.format(n=len(v)), m.format(n=len(v)))
        val = v
    if err:
        p, m = _ERR[err]
        return None, (p.format(v=short), m.format(v=short))
    if col.kind in ("int", "float"):
        u = f" {col.unit}" if col.unit else ""
        if col.min is not None and val < col.min:
            if col.min == 0:
                return None, (f"{_fmt(val)}{u} tidak boleh negatif", f"{_fmt(val)}{u} must not be negative")
            return None, (f"{_fmt(val)}{u} di bawah batas wajar {_fmt(col.min)}–{_fmt(col.max)}{u}" if col.max is not None
                          else f"{_fmt(val)}{u} harus ≥ {_fmt(col.min)}",
                          f"{_fmt(val)}{u} below the plausible range {_fmt(col.min)}–{_fmt(col.max)}{u}" if col.max is not None
                          else f"{_fmt(val)}{u} must be ≥ {_fmt(col.min)}")
        if col.max is not None and val > col.max:
            rng = f"{_fmt(col.min)}–{_fmt(col.max)}" if col.min is not None else f"≤ {_fmt(col.max)}"
            return None, (f"{_fmt(val)}{u} di luar rentang wajar {rng}{u}", f"{_fmt(val)}{u} outside the plausible range {rng}{u}")
    if col.kind == "date":
        today = today or dt.date.today()
        if col.not_future and val > today:
            return None, (f"tanggal {val.isoformat()} di masa depan", f"date {val.isoformat()} is in the future")
        if val.year < 1900:
            return None, (f"tanggal {val.isoformat()} terlalu lama", f"date {val.isoformat()} is implausibly old")
    return val, None


_DTYPES = {"int": pl.Int64, "float": pl.Float64, "date": pl.Date, "bool": pl.Boolean, "str": pl.String, "choice": pl.String}


def typed_frame(df: pl.DataFrame, cols: Iterable[Col], mapping: Mapping[str, str], today: dt.date | None = None
                ) -> tuple[pl.DataFrame, list[Problem]]:
    """Canonical typed columns (+ `_row`); one Problem per bad cell, naming the file's header."""
    problems: list[Problem] = []
    out: dict[str, pl.Series] = {"_row": df["_row"]}
    rows = df["_row"].to_list()
    n = df.height
    for c in cols:
        dtype = _DTYPES[c.kind]
        if c.name not in mapping:
            out[c.name] = pl.Series(c.name, [c.default] * n, dtype=dtype)
            continue
        header = mapping[c.name]
        raw = df[header].to_list()
        comma = comma_decimal_style(raw) if c.kind in ("int", "float") else False
        cache: dict[str, tuple] = {}
        vals = []
        for i, v in enumerate(raw):
            if v is None:
                if c.default is not None:
                    vals.append(c.default)
                else:
                    vals.append(None)
                    if c.required and not c.allow_empty:
                        p, m = _ERR["empty"]
                        problems.append(Problem(rows[i], header, p, m))
                continue
            r = cache.get(v)
            if r is None:
                r = cache[v] = parse_cell(v, c, comma, today)
            val, err = r
            if err:
                problems.append(Problem(rows[i], header, err[0], err[1], nilai=v[:200]))
            vals.append(val)
        out[c.name] = pl.Series(c.name, vals, dtype=dtype, strict=False)
    return pl.DataFrame(list(out.values())), problems


# ---------------------------------------------------------------- context for kinds

@dataclass
class Ctx:
    """What a kind's `build(df, ctx)` gets: the source, a cursor factory, column names and sinks."""
    src: Source
    con: Any
    mapping: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    def col(self, name: str) -> str:
        """Header as written in the file (for messages), else the canonical name."""
        return self.mapping.get(name, name)

    def has(self, name: str) -> bool:
        return name in self.mapping

    def flag(self, bad: pl.DataFrame, column: str | None, pesan: str, message: str, value: str | None = None) -> None:
        """One Problem per row of `bad` (needs `_row`); pesan/message may use {column} placeholders."""
        value = value if value is not None else column
        for r in bad.iter_rows(named=True):
            fields = {k: _fmt(v) if v is not None else "" for k, v in r.items()}
            nv = fields.get(value) if value else None
            self.problems.append(Problem(r["_row"], self.col(column) if column else None,
                                         pesan.format(**fields), message.format(**fields), nilai=nv))

    def cursor(self):
        return self.con.cursor() if self.con is not None and hasattr(self.con, "cursor") else self.con


def bad_rows(problems: Iterable[Problem]) -> set[int]:
    return {p.row for p in problems if p.row is not None}


# ---------------------------------------------------------------- database checks

_CODE_SQL = {
    # constant statements: which keys of _ilp_keys(v) are NOT in the reference table
    ("wilayah", None): "select distinct k.v from _ilp_keys k where k.v not in (select kode from wilayah)",
    ("wilayah", "level"): "select distinct k.v from _ilp_keys k where k.v not in (select kode from wilayah where level = $level)",
    ("faskes", None): "select distinct k.v from _ilp_keys k where k.v not in (select kode_faskes from faskes)",
    ("faskes", "level"): "select distinct k.v from _ilp_keys k where k.v not in (select kode_faskes from faskes where jenis = $level)",
    ("layanan_spm", None): "select distinct k.v from _ilp_keys k where k.v not in (select layanan from layanan_spm)",
}
_COUNT_SQL = {
    "wilayah": "select count(*) from wilayah",
    "wilayah_level": "select count(*) from wilayah where level = $level",
    "faskes": "select count(*) from faskes",
    "layanan_spm": "select count(*) from layanan_spm",
}


def table_count(con, what: str, level: str | None = None) -> int:
    cur = con.cursor()
    try:
        if what == "wilayah" and level:
            return cur.execute(_COUNT_SQL["wilayah_level"], {"level": level}).fetchall()[0][0]
        return cur.execute(_COUNT_SQL[what]).fetchall()[0][0]
    finally:
        cur.close()


def missing_codes(con, codes: Iterable[str], table: str, level: str | None = None) -> set[str]:
    """Codes not present in wilayah (optionally of a level) / faskes (optionally of a jenis) / layanan_spm."""
    keys = sorted({c for c in codes if c is not None})
    if not keys:
        return set()
    cur = con.cursor()
    try:
        cur.register("_ilp_keys", pl.DataFrame({"v": keys}, schema={"v": pl.String}).to_arrow())
        sql = _CODE_SQL[(table, "level" if level else None)]
        rows = (cur.execute(sql, {"level": level}) if level else cur.execute(sql)).fetchall()
        cur.unregister("_ilp_keys")
        return {r[0] for r in rows}
    finally:
        cur.close()


def faskes_jenis(con, codes: Iterable[str]) -> dict[str, str]:
    """kode_faskes -> jenis for the codes that exist."""
    keys = sorted({c for c in codes if c is not None})
    if not keys:
        return {}
    cur = con.cursor()
    try:
        cur.register("_ilp_keys", pl.DataFrame({"v": keys}, schema={"v": pl.String}).to_arrow())
        rows = cur.execute("select f.kode_faskes, f.jenis from faskes f join _ilp_keys k on k.v = f.kode_faskes").fetchall()
        cur.unregister("_ilp_keys")
        return dict(rows)
    finally:
        cur.close()


def wilayah_by_name(con, level: str) -> dict[str, str]:
    """Normalised name -> kode for one level (names used twice are left out: ambiguous)."""
    cur = con.cursor()
    try:
        rows = cur.execute("select kode, nama from wilayah where level = $level", {"level": level}).fetchall()
    finally:
        cur.close()
    out: dict[str, str | None] = {}
    for kode, nama in rows:
        for key in {norm_name(nama), norm_name(_strip_prefix(nama))}:
            out[key] = kode if key not in out or out[key] == kode else None
    return {k: v for k, v in out.items() if v}


def wilayah_names(con, codes: Iterable[str]) -> dict[str, str]:
    """kode -> nama for the codes that exist in wilayah."""
    keys = sorted({c for c in codes if c})
    if not keys:
        return {}
    cur = con.cursor()
    try:
        cur.register("_ilp_keys", pl.DataFrame({"v": keys}, schema={"v": pl.String}).to_arrow())
        rows = cur.execute("select w.kode, w.nama from wilayah w join _ilp_keys k on k.v = w.kode").fetchall()
        cur.unregister("_ilp_keys")
        return dict(rows)
    finally:
        cur.close()


def same_place(a: str | None, b: str | None) -> bool:
    """Loose name equality: 'Kab. Tuban' ~ 'Kabupaten Tuban' ~ 'TUBAN'; 'Kota Tanjung Pinang' ~ 'Kota Tanjungpinang'."""
    if not a or not b:
        return True
    from rapidfuzz import fuzz
    x, y = norm_name(_strip_prefix(a)), norm_name(_strip_prefix(b))
    return x == y or fuzz.ratio(x, y) >= 85


def check_kabkota(ctx: "Ctx", df: pl.DataFrame, kode: str = "kode_wilayah", nama: str | None = "nama",
                  national: str = "00") -> None:
    """Kab/kota codes: right shape, present in wilayah (when wilayah holds kab/kota rows), name agrees."""
    d = df.filter(pl.col(kode).is_not_null() & (pl.col(kode) != national) & (pl.col(kode) != ""))
    ctx.flag(d.filter(pl.col(kode).map_elements(kode_shape, return_dtype=pl.String).fill_null("") != "kabkota"), kode,
             "'{%s}' bukan kode kabupaten/kota Kemendagri (contoh 35.23)" % kode,
             "'{%s}' is not a Kemendagri kab/kota code (e.g. 35.23)" % kode)
    if d.height == 0:
        return
    if table_count(ctx.con, "wilayah", "kabkota") == 0:
        ctx.notes.append("tabel wilayah belum berisi kabupaten/kota: kode wilayah hanya dicek bentuknya")
        return
    check_codes(ctx, d, kode, "wilayah", "kabkota", "kode kabupaten/kota", "kab/kota code",
                " (tidak ada di tabel wilayah)", " (not in the wilayah table)")
    if nama and nama in d.columns:
        names = wilayah_names(ctx.con, d[kode].to_list())
        wrong = [r for r in d.select("_row", kode, nama).iter_rows(named=True)
                 if r[kode] in names and not same_place(r[nama], names[r[kode]])]
        for r in wrong:
            ctx.problems.append(Problem(r["_row"], ctx.col(nama),
                                        f"nama '{r[nama]}' tidak cocok dengan kode {r[kode]} ('{names[r[kode]]}')",
                                        f"name '{r[nama]}' does not match code {r[kode]} ('{names[r[kode]]}')", nilai=r[nama]))


def _strip_prefix(nama: str) -> str:
    return re.sub(r"^(kabupaten|kab\.?|kota|kec\.?|kecamatan|desa|kelurahan|kel\.?)\s+", "", nama.strip(), flags=re.I)


def check_codes(ctx: Ctx, df: pl.DataFrame, column: str, table: str, level: str | None = None,
                what_id: str = "kode", what_en: str = "code", hint_id: str = "", hint_en: str = "") -> None:
    """Flag rows whose `column` value is not in the reference table."""
    vals = df.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
    miss = missing_codes(ctx.con, vals[column].to_list(), table, level)
    if miss and table in _COUNT_SQL and table_count(ctx.con, table) == 0:
        hint_id = f" (tabel {table} masih kosong: impor {'faskes' if table == 'faskes' else table} dulu)"
        hint_en = f" (the {table} table is empty: import {table} first)"
    if miss:
        ctx.flag(vals.filter(pl.col(column).is_in(sorted(miss))), column,
                 f"{what_id} '{{{column}}}' tidak dikenal{hint_id}", f"unknown {what_en} '{{{column}}}'{hint_en}")


def check_duplicates(ctx: Ctx, df: pl.DataFrame, keys: list[str], extra_id: str = "", extra_en: str = "",
                     show: Iterable[str] = ()) -> None:
    """Every later row with the same key as an earlier row is flagged, naming the first row.

    `show`: columns whose values in both rows are quoted (e.g. the two conflicting targets)."""
    if df.height < 2:
        return
    show = [c for c in show if c in df.columns]
    d = df.select(["_row", *keys, *[c for c in show if c not in keys]]).filter(
        pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
    first = d.group_by(keys, maintain_order=True).agg(pl.col("_row").min().alias("_first"), pl.len().alias("_n"))
    dup = d.join(first.filter(pl.col("_n") > 1), on=keys, how="inner", nulls_equal=True).filter(pl.col("_row") != pl.col("_first"))
    if dup.height == 0:
        return
    by_row = {r["_row"]: r for r in d.iter_rows(named=True)}
    for r in dup.sort("_row").iter_rows(named=True):
        key_txt = ", ".join(f"{ctx.col(k)}={_fmt(r[k])}" for k in keys if r[k] not in ("", None))
        f = by_row.get(r["_first"], {})
        vals_id = "; ".join(f"{ctx.col(c)} {_fmt(r[c])} di sini, {_fmt(f.get(c))} di baris {r['_first']}" for c in show)
        vals_en = "; ".join(f"{ctx.col(c)} {_fmt(r[c])} here, {_fmt(f.get(c))} in row {r['_first']}" for c in show)
        ctx.problems.append(Problem(r["_row"], None,
                                    f"baris duplikat: kunci ({key_txt}) sudah ada di baris {r['_first']}"
                                    + (f" ({vals_id})" if vals_id else "") + extra_id,
                                    f"duplicate row: key ({key_txt}) already in row {r['_first']}"
                                    + (f" ({vals_en})" if vals_en else "") + extra_en))


def check_date_order(ctx: Ctx, df: pl.DataFrame, earlier: str, later: str, what_id: str = "", what_en: str = "") -> None:
    """Flag rows where `earlier` is after `later` (e.g. birth after measurement), on the `earlier` column."""
    bad = df.filter(pl.col(earlier).is_not_null() & pl.col(later).is_not_null() & (pl.col(earlier) > pl.col(later)))
    ctx.flag(bad, earlier, f"{what_id or ctx.col(earlier)} {{{earlier}}} sesudah {ctx.col(later)} {{{later}}}",
             f"{what_en or ctx.col(earlier)} {{{earlier}}} is after {ctx.col(later)} {{{later}}}")


def existing_keys(con, table: str, frame: pl.DataFrame) -> int:
    """How many rows of `frame` have a primary key already in `table` (they will be replaced)."""
    pk = primary_key(con, table)
    if not pk or frame.height == 0 or not all(k in frame.columns for k in pk):
        return 0
    cur = con.cursor()
    try:
        keys = frame.select(pk).unique()
        # relation API: the table name was checked against the catalog by primary_key()
        rel = cur.table(table).select(*pk).intersect(cur.from_arrow(keys.to_arrow()))
        return rel.aggregate("count(*)").fetchall()[0][0]
    except Exception:
        return 0
    finally:
        cur.close()


def primary_key(con, table: str) -> list[str]:
    cur = con.cursor()
    try:
        rows = cur.execute("select constraint_column_names from duckdb_constraints() "
                           "where constraint_type = 'PRIMARY KEY' and table_name = $t and schema_name = 'main'",
                           {"t": table}).fetchall()
    finally:
        cur.close()
    return list(rows[0][0]) if rows else []


# ---------------------------------------------------------------- the tabular pipeline

def is_template_description(df: pl.DataFrame, mapping: Mapping[str, str], cols: Iterable[Col]) -> pl.Series:
    """True for rows that repeat the template's description row (left in by the user)."""
    checks = [(mapping[c.name], c.desc_id + ("" if c.required else " (boleh tidak ada)")) for c in cols
              if c.name in mapping and c.desc_id]
    if not checks or df.height == 0:
        return pl.Series([False] * df.height, dtype=pl.Boolean)
    hits = sum((df[h] == d).fill_null(False).cast(pl.Int32) for h, d in checks)
    return hits >= max(1, (len(checks) + 1) // 2)


def parse_tabular(src: Source, con, cols: tuple[Col, ...],
                  build: Callable[[pl.DataFrame, Ctx], dict[str, pl.DataFrame]],
                  prepare: Callable[[pl.DataFrame, Ctx], pl.DataFrame] | None = None,
                  today: dt.date | None = None,
                  dynamic_cols: Callable[[list[str], Ctx], tuple[Col, ...] | None] | None = None,
                  expected: Iterable[str] = ()) -> Parsed:
    """Read → match columns → (prepare: e.g. melt a wide layout) → typed values → build → drop bad rows.

    `build` returns {table: frame}; frames must carry `_row`. Rows with any Problem are removed
    from every frame; `_row` is dropped at the end.
    """
    options = dict(src.options or {})
    options.setdefault("name", src.name)
    options["expected"] = [s for c in cols for s in c.spellings()] + list(expected) + list(options.get("expected") or [])
    try:
        raw = read_table(src.path, options)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    ctx = Ctx(src=src, con=con, mapping={}, today=today or dt.date.today())
    enc = options.get("_encoding")
    if enc and enc not in ("utf-8",):
        ctx.notes.append(f"file dibaca dengan encoding {enc}")
    if options.get("_sheet"):
        ctx.notes.append(f"sheet '{options['_sheet']}' dibaca")
    if prepare is not None:
        raw = prepare(raw, ctx)
        if any(p.row is None for p in ctx.problems):
            return Parsed(problems=ctx.problems, notes=ctx.notes, rows_read=raw.height)
    if dynamic_cols is not None:
        cols = dynamic_cols(raw.columns, ctx) or cols
    mapping, problems = match_columns(raw.columns, cols)
    ctx.mapping = mapping
    ctx.problems.extend(problems)
    if any(p.row is None for p in ctx.problems):
        return Parsed(problems=ctx.problems, notes=ctx.notes, rows_read=raw.height)
    unused = [h for h in raw.columns if h != "_row" and h not in set(mapping.values())]
    if unused:
        ctx.notes.append(f"kolom tidak dipakai (tetap ada di file asli yang disimpan): {', '.join(unused[:20])}"
                         + (" ..." if len(unused) > 20 else ""))
    desc = is_template_description(raw, mapping, cols)
    if desc.any():
        ctx.notes.append(f"{int(desc.sum())} baris keterangan template dilewati")
        raw = raw.filter(~desc)
    if raw.height == 0:
        ctx.problems.append(Problem(None, None, "file tidak berisi baris data", "the file holds no data rows"))
        return Parsed(problems=ctx.problems, notes=ctx.notes)
    df, problems = typed_frame(raw, cols, mapping, ctx.today)
    ctx.problems.extend(problems)
    tables = build(df, ctx)
    bad = bad_rows(ctx.problems)
    out = {}
    valid_rows: set[int] = set()
    for t, f in tables.items():
        f = f.filter(~pl.col("_row").is_in(sorted(bad))) if bad else f
        valid_rows.update(f["_row"].to_list())
        out[t] = f.drop("_row")
    ctx.problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    return Parsed(tables=out, problems=ctx.problems, rows_read=raw.height, rows_valid=len(valid_rows), notes=ctx.notes)


def kode_shape(kode: str | None) -> str | None:
    """Level implied by a dotted Kemendagri code: 'provinsi' | 'kabkota' | 'kecamatan' | 'desa' | None."""
    if not kode:
        return None
    if re.fullmatch(r"\d{2}", kode):
        return "provinsi"
    if re.fullmatch(r"\d{2}\.\d{2}", kode):
        return "kabkota"
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", kode):
        return "kecamatan"
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", kode):
        return "desa"
    return None


def dotted(kode: str | None) -> str | None:
    """'3523' -> '35.23', '352301' -> '35.23.01', '3523012001' -> '35.23.01.2001'; dotted codes unchanged."""
    if kode is None:
        return None
    k = kode.strip()
    if re.fullmatch(r"\d+", k) and len(k) in (4, 6, 10):
        parts = [k[:2], k[2:4]] + ([k[4:6]] if len(k) >= 6 else []) + ([k[6:]] if len(k) == 10 else [])
        return ".".join(parts)
    return k
