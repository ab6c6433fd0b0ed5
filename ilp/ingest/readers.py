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


def _csv_rows(path: Path, options: dict):
    """The records of a CSV file, one list of fields each, yielded as read (limits checked on the way)."""
    data = path.read_bytes()
    text, enc = decode_text(data)
    del data
    options["_encoding"] = enc
    delim = options.get("delimiter") or sniff_delimiter(text)
    options["_delimiter"] = delim
    limit = max_rows(options) + HEADER_SCAN_ROWS
    n = 0
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    del text
    try:
        for rec in reader:
            n += 1
            if len(rec) > MAX_COLS and any(c.strip() for c in rec[MAX_COLS:]):
                raise _too_many_cols(len(rec), n)
            if n > limit:
                raise _too_many_rows(limit - HEADER_SCAN_ROWS)
            yield rec[: MAX_COLS + 1] if len(rec) > MAX_COLS else rec
    except csv.Error as e:
        raise _err("csv_rusak", row=reader.line_num, baris=reader.line_num) from None


def _too_many_cols(n: int | str, row: int | None = None) -> ReadError:
    return _err("kolom_terlalu_banyak", row=row, n=n, maks=MAX_COLS)


def _too_many_rows(limit: int) -> ReadError:
    return _err("baris_terlalu_banyak", batas=limit)


# ---------------------------------------------------------------- header and frame

CHUNK_ROWS = 20_000            # rows turned into columns at a time (bounds the Python objects alive at once)


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


def _clean_expr(name: str) -> pl.Expr:
    """_clean as a Polars expression: no-break space -> space, stripped, '' -> null."""
    s = pl.col(name).str.replace_all("\u00a0", " ", literal=True).str.strip_chars()
    return pl.when(s.str.len_bytes() > 0).then(s).otherwise(None).alias(name)


def _chunk_frame(chunk: list[list], start_row: int) -> pl.DataFrame:
    """Rows (lists of str/None, ragged) -> a frame of cleaned string columns c0, c1, ... plus `_row` (the first row's
    number is `start_row`). Columns are built with zip_longest (C), the cleaning is vectorised."""
    from itertools import zip_longest
    cols = list(zip_longest(*chunk)) if chunk else []
    data = {f"c{j}": pl.Series(f"c{j}", c, dtype=pl.String, strict=False) for j, c in enumerate(cols)}
    df = pl.DataFrame(data, height=len(chunk)) if data else pl.DataFrame(height=len(chunk))
    if data:
        df = df.with_columns(_clean_expr(n) for n in data)
    return df.with_columns(pl.int_range(start_row, start_row + len(chunk), dtype=pl.Int64).alias("_row"))


def _cut_extra_columns(df: pl.DataFrame, width: int, options: dict) -> pl.DataFrame:
    """CSV only: a row with filled fields beyond the header's is recorded in options['_extra_fields'] as
    (row number, fields, header width) and cut to the header's width (the parser rejects the row: an unquoted
    thousands separator '1,234' adds a field and shifts every value after it)."""
    extra_cols = [c for c in df.columns if c != "_row" and int(c[1:]) >= width]
    if not extra_cols:
        return df
    extra = options.setdefault("_extra_fields", [])
    cols = [c for c in df.columns if c != "_row"]
    last = pl.max_horizontal([pl.when(pl.col(c).is_not_null()).then(pl.lit(int(c[1:]) + 1)) for c in cols])
    hit = df.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in extra_cols])).select("_row", last.alias("n"))
    extra.extend((r, n, width) for r, n in hit.iter_rows())
    return df.drop(extra_cols)


def _to_frame(rows, first_row: int, options: dict) -> pl.DataFrame:
    """Rows (an iterator of lists, read as they come) -> the frame of read_table. The header is found in the first
    rows; the rest is turned into columns CHUNK_ROWS rows at a time."""
    it = iter(rows)
    want = int(options["header_row"]) - first_row if options.get("header_row") else None
    head: list[list] = []
    for r in it:
        head.append(r)
        if len(head) >= max(HEADER_SCAN_ROWS, (want or 0) + 1):
            break
    if not head or not any(_clean(c) is not None for r in head[:HEADER_SCAN_ROWS] for c in r):
        raise _err("tanpa_judul")
    if want is not None:
        if not 0 <= want < len(head):
            raise _err("baris_judul_tidak_ada", n=options["header_row"])
        h = want
    else:
        h = find_header(head, options.get("expected"))
    header = [_clean(c) for c in head[h]]
    hw = len(head[h])
    csv_like = bool(options.get("_delimiter"))
    frames: list[pl.DataFrame] = []
    start = first_row + h + 1
    chunk: list[list] = head[h + 1:]
    del head

    def flush(chunk: list[list], start: int) -> None:
        f = _chunk_frame(chunk, start)
        if csv_like:
            f = _cut_extra_columns(f, hw, options)
        cols = [c for c in f.columns if c != "_row"]
        if cols:
            f = f.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in cols]))
        else:
            f = f.clear()
        if f.height:
            # trailing columns with no value in this chunk are dropped here (the frames are joined diagonally)
            filled = [c for c in cols if f[c].null_count() < f.height]
            keep = int(filled[-1][1:]) + 1 if filled else 0
            frames.append(f.select([f"c{j}" for j in range(keep)] + ["_row"]))

    progress = options.get("_progress")   # a callable(rows read so far), e.g. the child process's progress line
    for r in it:
        chunk.append(r)
        if len(chunk) >= CHUNK_ROWS:
            flush(chunk, start)
            start += len(chunk)
            chunk = []
            if progress is not None:
                progress(start - first_row)
    flush(chunk, start)
    del chunk
    if frames:
        data = pl.concat(frames, how="diagonal")
    else:
        data = pl.DataFrame({"_row": pl.Series("_row", [], dtype=pl.Int64)})
    del frames
    used = max([int(c[1:]) + 1 for c in data.columns if c != "_row"] + [0])
    width = max(len(header), used)
    if width > MAX_COLS:
        raise _too_many_cols(width, first_row + h)
    while width and header[width - 1:width] == [None] and (
            f"c{width - 1}" not in data.columns or data[f"c{width - 1}"].null_count() == data.height):
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
    cols = [pl.col(f"c{j}").alias(n) if f"c{j}" in data.columns else pl.lit(None, dtype=pl.String).alias(n)
            for j, n in enumerate(names)]
    data = data.select(*cols, "_row")
    if data.height:
        long_cells = [(r, j) for j, n in enumerate(names)
                      for r in data.filter(pl.col(n).str.len_chars() > MAX_CELL_CHARS)["_row"].head(1).to_list()]
        if long_cells:
            r, j = min(long_cells)
            v = data.filter(pl.col("_row") == r)[names[j]][0]
            raise _err("sel_terlalu_panjang", row=r, column=names[j], n=len(v))
    return data
