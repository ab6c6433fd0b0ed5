"""Read a user's CSV, Excel (.xlsx, old .xls), OpenDocument (.ods) or HTML-table file into a Polars frame
of strings, safely. The content decides the format, not the extension: an e-PPGBM export named '.xls'
is an HTML table and is read as one.

    read_table(path, options) -> polars.DataFrame

Every column is a stripped string (null = empty cell); the original header names are kept
(blank headers become 'kolom_G' after the Excel column letter, repeated ones 'jumlah (2)');
`_row` (Int64) is the row number as the user sees it in Excel or a text editor, so the
first data row is the header row's number + 1.

Nothing in a file is executed: formulas are read as their text ('=SUM(A1:A3)') and rejected by
validation. Hostile files are refused before they can use much memory: file size
(setting max_upload_mb), zip bombs (total uncompressed size, compression ratio, number of
entries, checked before any XML is parsed), too many columns or rows (the worksheet XML is
scanned as a stream before a parser builds the sheet), NUL bytes / binary junk in a CSV.
Every refusal is a `ReadError` carrying a `Problem` whose message is a key in ilp/locales/*/impor.toml.
"""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

import polars as pl

from ilp import config
from ilp.ingest.base import Msg, Problem
from ilp.names import header_key

MAX_COLS = 500                 # more columns than this in the header row: refused
MAX_CELL_CHARS = 32_767        # Excel's own cell limit; longer CSV fields are refused
HEADER_SCAN_ROWS = 20          # the header row is looked for in the first rows
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_RATIO = 100            # uncompressed / compressed, for entries above 1 MB
MAX_XML_PART_MB = 5            # workbook.xml / rels must be small
TEXT_EXTS = (".csv", ".txt", ".tsv")
EXCEL_EXTS = (".xlsx", ".xlsm")


class ReadError(Exception):
    """The file cannot be read; `problem` says why (row/column None = whole file)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.msg.key)
        self.problem = problem


def _err(key: str, row: int | None = None, column: str | None = None, nilai: str | None = None,
         **params) -> ReadError:
    """ReadError for message `impor.baca.<key>` (ilp/locales/*/impor.toml) with `params`."""
    return ReadError(Problem(row=row, column=column, msg=Msg(f"impor.baca.{key}", params), nilai=nilai))


# ---------------------------------------------------------------- limits

def max_upload_bytes() -> int:
    """Setting max_upload_mb in bytes."""
    return int(float(config.get("max_upload_mb")) * 1024 * 1024)


def max_rows(options: dict | None = None) -> int:
    """Data rows read from one file: options['max_rows'], else the setting max_rows."""
    if options and options.get("max_rows"):
        return int(options["max_rows"])
    return int(config.get("max_rows"))


def check_size(path: str | os.PathLike, limit: int | None = None) -> int:
    """Raise ReadError when the file is empty or larger than the upload limit; returns the size."""
    size = Path(path).stat().st_size
    limit = max_upload_bytes() if limit is None else limit
    if size == 0:
        raise _err("kosong")
    if size > limit:
        mb, lim = size / 1048576, limit / 1048576
        raise _err("terlalu_besar", mb=f"{mb:.1f}", batas=f"{lim:.0f}")
    return size


# ---------------------------------------------------------------- names

_CTRL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str | None) -> str:
    """The last path component of `name`, without '..', control characters or shell/path symbols."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = _CTRL.sub("", name)
    # both separators, whatever the server's OS
    name = PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" ._")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + "." + ext[:9]) if dot and len(ext) <= 9 else name[:120]
    return name or "file"


def check_name(name: str | None) -> None:
    """Refuse an upload name with a NUL or another control character (nothing legitimate has one; it is how a name
    is made to end early in C code below us). Other unsafe characters are only replaced (safe_filename)."""
    if name and _CTRL.search(str(name)):
        raise _err("nama_file", nama=safe_filename(name))


def col_letter(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# ---------------------------------------------------------------- public entry

def read_table(path: str | os.PathLike, options: dict | None = None) -> pl.DataFrame:
    """Read CSV/TSV/XLSX into all-string columns plus `_row`; raises ReadError (see module doc).

    options: sheet (name or 1-based index), expected (column names/aliases used to find the
    header row), header_row (1-based, skip detection), max_rows, name (original file name, used
    to decide the format when the saved path has no useful extension).
    What was found is written back into `options`: '_encoding', '_delimiter' (CSV), '_sheet',
    '_sheets' (XLSX).
    """
    options = options if options is not None else {}
    path = Path(path)
    check_size(path, options.get("max_bytes"))
    with open(path, "rb") as f:
        head = f.read(8)
    ext = Path(options.get("name") or path.name).suffix.lower()
    # the content decides the format, not the extension (an e-PPGBM '.xls' is an HTML table)
    from ilp.ingest.sheets import _calamine_rows, _html_rows, _looks_html, _xlsx_rows
    if head.startswith(b"PK\x03\x04"):
        rows, first_row = _xlsx_rows(path, options)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        rows, first_row = _calamine_rows(path, options, "xls"), 1
    elif _looks_html(path):
        rows, first_row = _html_rows(path, options), 1
    elif ext in EXCEL_EXTS or ext in (".xls", ".ods"):
        raise _err("bukan_excel", ext=ext)
    elif ext == ".xlsb":
        raise _err("format_tidak_didukung", ext=ext)
    else:
        rows, first_row = _csv_rows(path, options), 1
    return _to_frame(rows, first_row, options)


# ---------------------------------------------------------------- CSV

def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 with BOM, utf-8-sig, utf-8, then cp1252, then latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        raise _err("byte_nul")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or 0x7f <= ord(ch) < 0xa0)
    if sample and bad / len(sample) > 0.01:
        raise _err("karakter_kendali")
    return text, ("utf-8" if enc == "utf-8-sig" else enc)


def sniff_delimiter(text: str) -> str:
    """The one of , ; TAB that splits the first lines into the most consistent number of fields > 1."""
    lines = text.splitlines()[:40]
    best, best_score = ",", (-1, -1, -1)
    for d in (",", ";", "\t", "|"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(mode), mode, -(",;\t|".index(d)))
        if score > best_score:
            best, best_score = d, score
    return best


def _csv_rows(path: Path, options: dict) -> list[list[str]]:
    data = path.read_bytes()
    text, enc = decode_text(data)
    options["_encoding"] = enc
    delim = options.get("delimiter") or sniff_delimiter(text)
    options["_delimiter"] = delim
    limit = max_rows(options) + HEADER_SCAN_ROWS
    rows: list[list[str]] = []
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for rec in reader:
            if len(rec) > MAX_COLS and any(c.strip() for c in rec[MAX_COLS:]):
                raise _too_many_cols(len(rec), len(rows) + 1)
            rows.append(rec[: MAX_COLS + 1])
            if len(rows) > limit:
                raise _too_many_rows(limit - HEADER_SCAN_ROWS)
    except csv.Error as e:
        raise _err("csv_rusak", row=reader.line_num, baris=reader.line_num) from None
    return rows


def _too_many_cols(n: int | str, row: int | None = None) -> ReadError:
    return _err("kolom_terlalu_banyak", row=row, n=n, maks=MAX_COLS)


def _too_many_rows(limit: int) -> ReadError:
    return _err("baris_terlalu_banyak", batas=limit)


# ---------------------------------------------------------------- header and frame

def _clean(v) -> str | None:
    if v is None:
        return None
    s = str(v).replace("\u00a0", " ").strip()
    return s if s else None


def find_header(rows: list[list], expected=None) -> int:
    """Index (0-based) of the header row among the first HEADER_SCAN_ROWS rows.

    With `expected` names: the first row with the most cells matching them (normalised).
    Otherwise, or if nothing matches: the first row with at least two cells and at least
    half as many filled cells as the widest row scanned.
    """
    scan = rows[:HEADER_SCAN_ROWS]
    filled = [sum(1 for c in r if _clean(c) is not None) for r in scan]
    if not scan or max(filled, default=0) == 0:
        return 0
    if expected:
        exp = {header_key(e) for e in expected if header_key(e)}
        best, best_i = 0, None
        for i, r in enumerate(scan):
            score = sum(1 for c in r if _clean(c) is not None and header_key(c) in exp)
            if score > best:
                best, best_i = score, i
        if best_i is not None:
            return best_i
    widest = max(filled)
    for i, n in enumerate(filled):
        if n >= max(2, (widest + 1) // 2) or (widest == 1 and n == 1):
            return i
    return 0


def _cut_extra_fields(data: list[list], width: int, first: int, options: dict) -> list[list]:
    """CSV only: a row with filled fields beyond the header's is recorded in options['_extra_fields'] as
    (row number, fields, header width) and cut to the header's width (the parser rejects the row: an unquoted
    thousands separator '1,234' adds a field and shifts every value after it)."""
    extra = options.setdefault("_extra_fields", [])
    out = []
    for k, r in enumerate(data):
        if len(r) > width and any(_clean(c) is not None for c in r[width:]):
            last = max(j for j, c in enumerate(r) if _clean(c) is not None)
            extra.append((first + k, last + 1, width))
            r = r[:width]
        out.append(r)
    return out


def _to_frame(rows: list[list], first_row: int, options: dict) -> pl.DataFrame:
    if not rows or not any(_clean(c) is not None for r in rows[:HEADER_SCAN_ROWS] for c in r):
        raise _err("tanpa_judul")
    if options.get("header_row"):
        h = int(options["header_row"]) - first_row
        if not 0 <= h < len(rows):
            raise _err("baris_judul_tidak_ada", n=options["header_row"])
    else:
        h = find_header(rows, options.get("expected"))
    header = [_clean(c) for c in rows[h]]
    data = rows[h + 1:]
    if options.get("_delimiter"):
        data = _cut_extra_fields(data, len(rows[h]), first_row + h + 1, options)
    width = max([len(header)] + [len(r) for r in data[:1000]] + [0])
    # drop trailing columns with neither header nor any value
    used = len(header)
    for r in data:
        for j in range(len(r) - 1, used - 1, -1):
            if _clean(r[j]) is not None:
                used = j + 1
                break
    width = max(len(header), used)
    if width > MAX_COLS:
        raise _too_many_cols(width, first_row + h)
    while width and header[width - 1:width] == [None] and all(
            len(r) < width or _clean(r[width - 1]) is None for r in data):
        width -= 1
    names: list[str] = []
    seen: dict[str, int] = {}
    for j in range(width):
        name = header[j] if j < len(header) and header[j] is not None else f"kolom_{col_letter(j)}"
        name = _CTRL.sub(" ", name)[:200]
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    if not names:
        raise _err("tanpa_kolom")
    cols: list[list] = [[] for _ in names]
    rownums: list[int] = []
    for k, r in enumerate(data):
        vals = [_clean(r[j]) if j < len(r) else None for j in range(width)]
        if all(v is None for v in vals):
            continue
        for j, v in enumerate(vals):
            if v is not None and len(v) > MAX_CELL_CHARS:
                raise _err("sel_terlalu_panjang", row=first_row + h + 1 + k, column=names[j], n=len(v))
            cols[j].append(v)
        rownums.append(first_row + h + 1 + k)
    df = pl.DataFrame({n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, cols)})
    return df.with_columns(pl.Series("_row", rownums, dtype=pl.Int64))
