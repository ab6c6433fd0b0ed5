"""The one tabular import path: read -> match columns -> typed values -> (wide to long) -> kind checks.

A kind declares its columns once (`ilp.ingest.columns.Col`) and calls

    parse_tabular(src, con, COLS, build)

`build(df, ctx)` adds the kind's own checks (ranges between columns, codes in the database,
duplicates) and returns the rows for each table; rows with any problem are dropped from every
table, the kind never filters them itself. Every finding is a `Problem` carrying a `Msg`.
Values: numbers with comma decimals / thousands dots, dates YYYY-MM-DD or DD/MM/YYYY or
'5 Januari 2024' or an Excel serial, ya/tidak booleans, choices; formula cells are rejected.
A cell that cannot be read in an optional column (required=False) is left empty and listed in a
note, not a reason to reject the row.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import polars as pl

from ilp.ingest.base import Msg, Parsed, Problem, Source
from ilp.ingest.columns import Col, description_texts, match_columns, overrides
from ilp.ingest.readers import ReadError, read_table
from ilp.names import BULAN, YA_TIDAK, header_key, vocab_key

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
    """('1.234,5', comma style) -> (1234.5, None); ('abc') -> (None, 'nan'). The error is a key of impor.sel."""
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


def fmt_value(x) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _range_msg(val, col: Col) -> Msg | None:
    p = {"v": fmt_value(val), "unit": f" {col.unit}" if col.unit else "",
         "min": fmt_value(col.min), "max": fmt_value(col.max)}
    if col.min is not None and val < col.min:
        if col.min == 0:
            return Msg("impor.sel.negatif", p)
        return Msg("impor.sel.di_bawah_rentang" if col.max is not None else "impor.sel.minimal", p)
    if col.max is not None and val > col.max:
        return Msg("impor.sel.di_luar_rentang" if col.min is not None else "impor.sel.maksimal", p)
    return None


def parse_cell(raw: str, col: Col, comma_decimal: bool = False, today: dt.date | None = None) -> tuple[Any, Msg | None]:
    """One non-empty cell -> (value, None) or (None, Msg saying why it cannot be used)."""
    v = raw
    short = v if len(v) <= 60 else v[:57] + "..."
    if v.startswith("="):
        return None, Msg("impor.sel.formula", {"v": short})
    err = None
    val: Any = None
    if col.kind in ("int", "float"):
        val, err = parse_number(v, comma_decimal, integer=col.kind == "int")
    elif col.kind == "date":
        val, err = parse_date(v)
    elif col.kind == "bool":
        b = YA_TIDAK.get(vocab_key(v))
        val, err = (b, None) if b is not None else (None, "nobool")
    elif col.kind == "choice":
        key = header_key(v)
        if col.choices and key in col.choices:
            val = col.choices[key]
        else:
            from rapidfuzz import fuzz, process
            opts = sorted(set((col.choices or {}).values()))
            hint: Msg | str = ""
            m = process.extractOne(key, list((col.choices or {}).keys()), scorer=fuzz.ratio, score_cutoff=75)
            if m and not any(ch.isdigit() for ch in key):
                hint = Msg("impor.maksud", {"v": col.choices[m[0]]})
            shown = ", ".join(opts[:12]) + (", ..." if len(opts) > 12 else "")
            label = Msg(col.choices_label) if isinstance(col.choices_label, str) else shown
            return None, Msg("impor.sel.bukan_pilihan", {"v": short, "pilihan": label, "saran": hint})
    else:
        if len(v) > col.max_len:
            return None, Msg("impor.sel.toolong", {"n": len(v)})
        val = v
    if err:
        return None, Msg(f"impor.sel.{err}", {"v": short})
    if col.kind in ("int", "float"):
        bad = _range_msg(val, col)
        if bad:
            return None, bad
    if col.kind == "date":
        today = today or dt.date.today()
        if col.not_future and val > today:
            return None, Msg("impor.sel.masa_depan", {"v": val.isoformat()})
        if val.year < col.min_year:
            return None, Msg("impor.sel.terlalu_lama", {"v": val.isoformat(), "min": col.min_year})
    return val, None


_DTYPES = {"int": pl.Int64, "float": pl.Float64, "date": pl.Date, "bool": pl.Boolean, "str": pl.String, "choice": pl.String}

MAX_PROBLEMS = 10_000   # problems kept with their message per parse (the page and the report); the rest only counted


class Problems(list):
    """The problems of one parse: at most `cap` row problems are kept (whole-file ones always); the rows of the
    rest are still recorded (`dropped_rows`), so every bad row is rejected and counted, but a million-row file of
    bad rows does not become a million messages in memory. `room()` says how many more will be kept: a check that
    finds many bad rows builds messages for that many and hands the other rows to `skip(rows)`."""

    def __init__(self, items=(), cap: int = MAX_PROBLEMS, dropped_rows=(), dropped: int = 0, rows_extra: int = 0):
        super().__init__()
        self.cap = cap
        self.dropped_rows: set[int] = set(dropped_rows)
        self.dropped = dropped
        self.rows_extra = rows_extra   # after compact(): rows without a kept message, counted but no longer listed
        self.extend(items)

    def __reduce__(self):  # pickled as itself (the child-process import sends a Parsed back)
        return (Problems, (list(self), self.cap, self.dropped_rows, self.dropped, self.rows_extra))

    def compact(self) -> "Problems":
        """The same problems with the dropped rows folded into a count (for a result sent to the server after the
        parse: its size then does not grow with the file). Parsed.rejected_rows stays the same."""
        kept = {p.row for p in self if p.row is not None}
        return Problems(list(self), self.cap, (), self.dropped, self.rows_extra + len(self.dropped_rows - kept))

    def append(self, p: Problem) -> None:
        if p.row is None or len(self) < self.cap:
            super().append(p)
        else:
            self.dropped += 1
            self.dropped_rows.add(p.row)

    def extend(self, ps) -> None:
        for p in ps:
            self.append(p)

    def __iadd__(self, ps):
        self.extend(ps)
        return self

    def room(self) -> int:
        return max(0, self.cap - len(self))

    def skip(self, rows: Iterable[int]) -> None:
        """Rows with a problem whose message is not kept (no room)."""
        rows = list(rows)
        self.dropped += len(rows)
        self.dropped_rows.update(rows)

    @property
    def total(self) -> int:
        return len(self) + self.dropped


def typed_frame(df: pl.DataFrame, cols: Iterable[Col], mapping: Mapping[str, str], today: dt.date | None = None,
                notes: list[Msg] | None = None, problems: list[Problem] | None = None) -> tuple[pl.DataFrame, list[Problem]]:
    """Canonical typed columns (+ `_row`); one Problem per bad cell, naming the file's header.
    A bad cell in a lenient column (by default: an optional one) is left empty and counted in `notes` instead.
    Each distinct value is parsed once; the column is then mapped in Polars. `problems`: the list to add to
    (a `Problems` keeps its cap), else a new one that is returned."""
    problems = problems if problems is not None else []
    out: dict[str, pl.Series] = {"_row": df["_row"]}
    n = df.height
    for c in cols:
        dtype = _DTYPES[c.kind]
        if c.name not in mapping:
            out[c.name] = pl.Series(c.name, [c.default] * n, dtype=dtype)
            continue
        header = mapping[c.name]
        col = df[header]
        uniq = col.drop_nulls().unique(maintain_order=True)
        raw_u = uniq.to_list()
        comma = comma_decimal_style(raw_u) if c.kind in ("int", "float") else False
        soft_ok = c.lenient and notes is not None and not c.name.startswith("_")
        vals, errs = [], []
        for v in raw_u:
            val, err = parse_cell(v, c, comma, today)
            if err and soft_ok:
                val = c.default
            vals.append(val)
            errs.append(err)
        bad_vals = {v: e for v, e in zip(raw_u, errs) if e is not None}
        new = pl.Series(c.name, vals, dtype=dtype, strict=False)
        typed = col.replace_strict(uniq, new, default=None, return_dtype=dtype) if len(raw_u) else \
            pl.Series(c.name, [None] * n, dtype=dtype)
        if c.default is not None:    # an empty cell takes the column's default (a cell that cannot be read does not)
            typed = pl.select(pl.when(col.is_null()).then(pl.lit(c.default, dtype=dtype)).otherwise(typed)).to_series()
        out[c.name] = typed.alias(c.name)
        need_empty = c.default is None and c.required and not c.allow_empty
        if not bad_vals and not (need_empty and col.null_count()):
            continue
        mask = col.is_in(list(bad_vals)) if bad_vals else pl.Series([False] * n)
        if need_empty:
            mask = mask | col.is_null()
        hits = pl.DataFrame({"_row": df["_row"], "v": col}).filter(mask)
        if soft_ok:
            soft = hits.filter(pl.col("v").is_not_null())["_row"].to_list()
            if soft:
                notes.append(Msg("impor.sel_opsional_diabaikan", {
                    "n": len(soft), "kolom": header,
                    "baris": ", ".join(map(str, soft[:5])) + (", ..." if len(soft) > 5 else "")}))
            hits = hits.filter(pl.col("v").is_null())
        room = problems.room() if isinstance(problems, Problems) else hits.height
        empty = Msg("impor.sel.empty")
        for r, v in hits.head(room).iter_rows():
            problems.append(Problem(r, header, empty) if v is None else Problem(r, header, bad_vals[v], nilai=v[:200]))
        if hits.height > room:
            problems.skip(hits["_row"].slice(room).to_list())
    return pl.DataFrame(list(out.values())), problems


# ---------------------------------------------------------------- context for kinds

@dataclass
class Ctx:
    """What a kind's `build(df, ctx)` gets: the source, the connection, column names and sinks."""
    src: Source
    con: Any
    mapping: dict[str, str]
    problems: list[Problem] = field(default_factory=Problems)   # a Problems: capped messages, every row counted
    notes: list[Msg] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    wide: "Wide | None" = None        # set when the file came in the kind's wide layout (already made long)
    raw: pl.DataFrame | None = None   # the file's rows as read (strings, original headers, `_row`)
    options: dict = field(default_factory=dict)  # reader options after reading ('_delimiter', '_sheet', ...)
    cols: tuple = ()                  # the column specs in use (the kind's, or the variant the file matched)

    def col(self, name: str) -> str:
        """Header as written in the file (for messages), else the canonical name."""
        return self.mapping.get(name, name)

    def has(self, name: str) -> bool:
        return name in self.mapping

    def flag(self, bad: pl.DataFrame, column: str | None, key: str, value: str | None = None, **params) -> None:
        """One Problem per row of `bad` (needs `_row`) with message `key`; its parameters are the row's
        values (by column name) plus `params`."""
        value = value if value is not None else column
        room = self.problems.room() if isinstance(self.problems, Problems) else bad.height
        if bad.height > room:
            self.problems.skip(bad["_row"].slice(room).to_list())
            bad = bad.head(room)
        for r in bad.iter_rows(named=True):
            fields = {k: fmt_value(v) if v is not None else "" for k, v in r.items()}
            nv = fields.get(value) if value else None
            self.problems.append(Problem(r["_row"], self.col(column) if column else None,
                                         Msg(key, {**fields, **params}), nilai=nv))

    def cursor(self):
        return self.con.cursor() if self.con is not None and hasattr(self.con, "cursor") else self.con


def bad_rows(problems: Iterable[Problem]) -> set[int]:
    """The rows with a problem (also those whose message a capped `Problems` did not keep)."""
    return {p.row for p in problems if p.row is not None} | set(getattr(problems, "dropped_rows", ()))


# ---------------------------------------------------------------- wide layouts

@dataclass(frozen=True)
class Wide:
    """A kind's wide layout: one column per category (e.g. one per SPM service) instead of the
    long pair (category, value). Declared once on the kind; `parse_tabular` makes it long."""
    category: str                    # long column holding the category ('layanan')
    value: Col                       # the long value column ('jumlah': kind, range)
    categories: Mapping[str, str]    # header_key of a header -> category value
    skip_digit_headers: bool = True  # '1'..'12' alone are too ambiguous as headers

    def columns(self, headers: list[str], long_cols: tuple[Col, ...]) -> tuple[Col, ...] | None:
        """The specs for a wide file, or None when the file is long (has the category column)."""
        mapping, _ = match_columns(headers, long_cols)
        if self.category in mapping:
            return None
        found: dict[str, str] = {}
        for h in headers:
            k = header_key(h)
            if self.skip_digit_headers and k.isdigit():
                continue
            cat = self.categories.get(k)
            if cat and cat not in found:
                found[cat] = h
        if not found:
            return None
        base = tuple(c for c in long_cols if c.name not in (self.category, self.value.name))
        return base + tuple(Col(f"_w_{cat}", self.value.kind, required=False, aliases=(h,),
                                min=self.value.min, max=self.value.max, unit=self.value.unit)
                            for cat, h in found.items())

    def to_long(self, df: pl.DataFrame) -> pl.DataFrame:
        """One row per (file row, category) with a value; `_row` stays the file's row."""
        wide = [c for c in df.columns if c.startswith("_w_")]
        return (df.unpivot(index=[c for c in df.columns if c not in wide], on=wide,
                           variable_name=self.category, value_name=self.value.name)
                  .with_columns(pl.col(self.category).str.replace("_w_", "", literal=True))
                  .filter(pl.col(self.value.name).is_not_null())
                  .sort("_row", maintain_order=True))


# ---------------------------------------------------------------- the pipeline

def is_template_description(df: pl.DataFrame, mapping: Mapping[str, str], cols: Iterable[Col]) -> pl.Series:
    """True for rows that repeat the template's description row (left in by the user)."""
    checks = [(mapping[c.name], description_texts(c.template_desc)) for c in cols
              if c.name in mapping and c.desc]
    if not checks or df.height == 0:
        return pl.Series([False] * df.height, dtype=pl.Boolean)
    hits = sum(df[h].is_in(d).fill_null(False).cast(pl.Int32) for h, d in checks)
    return hits >= max(1, (len(checks) + 1) // 2)


def read_notes(options: dict) -> list[Msg]:
    """What the reader found that the user should know: encoding, sheet."""
    out = []
    enc = options.get("_encoding")
    if enc and enc not in ("utf-8",):
        out.append(Msg("impor.catatan.encoding", {"enc": enc}))
    if options.get("_sheet"):
        out.append(Msg("impor.catatan.sheet", {"sheet": options["_sheet"]}))
    return out


def formula_problems(raw: pl.DataFrame) -> list[Problem]:
    """A formula (a cell starting with '=') in ANY column refuses its row, also in columns the kind does not read:
    nothing in an upload is evaluated, and a formula kept in a later download would run in the reader's Excel."""
    out = []
    for c in raw.columns:
        if c == "_row" or raw[c].dtype != pl.String:
            continue
        hits = raw.filter(pl.col(c).str.starts_with("="))
        for r, v in hits.select("_row", c).iter_rows():
            out.append(Problem(r, c, Msg("impor.sel.formula", {"v": v if len(v) <= 60 else v[:57] + "..."}), nilai=v[:200]))
    return out


def extra_field_problems(options: dict) -> list[Problem]:
    """Rows of a CSV with more fields than its header (an unquoted '1,234' in a comma CSV): rejected, naming the row
    and the first surplus column (found by the reader, options['_extra_fields'] = [(row, fields, header width)])."""
    from ilp.ingest.readers import col_letter
    return [Problem(r, f"kolom_{col_letter(w)}", Msg("impor.sel.kolom_lebih", {"n": n, "judul": w}))
            for r, n, w in options.get("_extra_fields") or ()]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per (row, column, message key): a formula in a typed column is found twice."""
    seen: set = set()
    out = (Problems([], problems.cap, problems.dropped_rows, problems.dropped, problems.rows_extra)
           if isinstance(problems, Problems)
           else [])
    for p in problems:
        k = (p.row, p.column, p.msg.key) if p.row is not None else id(p)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def parse_tabular(src: Source, con, cols: tuple[Col, ...],
                  build: Callable[[pl.DataFrame, Ctx], dict[str, pl.DataFrame]],
                  prepare: Callable[[pl.DataFrame, Ctx], pl.DataFrame] | None = None,
                  today: dt.date | None = None,
                  wide: Wide | None = None,
                  expected: Iterable[str] = (),
                  variants: tuple[tuple[Col, ...], ...] = ()) -> Parsed:
    """Read -> (prepare) -> match columns (user overrides in option 'kolom' first) -> typed values ->
    (wide to long) -> build -> drop bad rows. `build` returns {table: frame}; frames carry `_row`.
    `variants`: other layouts of the same kind (e.g. a crosswalk given as a wilayah file); the first whose
    required columns are all in the file is used instead of `cols` (build sees it as `ctx.cols`)."""
    options = dict(src.options or {})
    options.setdefault("name", src.name)
    options["expected"] = ([s for c in cols + tuple(c for v in variants for c in v) for s in c.spellings()] + list(expected)
                           + list(overrides(options.get("kolom")).values()) + list(options.get("expected") or []))
    try:
        raw = read_table(src.path, options)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    ctx = Ctx(src=src, con=con, mapping={}, today=today or dt.date.today(),
              problems=Problems(cap=int(options.get("max_problems") or MAX_PROBLEMS)))
    ctx.notes.extend(read_notes(options))
    ctx.problems.extend(extra_field_problems(options))
    ctx.problems.extend(formula_problems(raw))
    if prepare is not None:
        raw = prepare(raw, ctx)
        if any(p.row is None for p in ctx.problems):
            return Parsed(problems=ctx.problems, notes=ctx.notes, rows_read=raw.height)
    for alt in variants:
        m, probs = match_columns(raw.columns, alt)
        if not probs and all(c.name in m for c in alt if c.required):
            cols = alt
            break
    ctx.cols = cols
    if wide is not None:
        wide_cols = wide.columns(raw.columns, cols)
        if wide_cols is not None:
            ctx.wide = wide
            cols = ctx.cols = wide_cols
            shown = [h for h in raw.columns if header_key(h) in wide.categories]
            ctx.notes.append(Msg("impor.catatan.format_lebar", {"n": len(shown), "kolom": ", ".join(shown)}))
    mapping, problems = match_columns(raw.columns, cols, overrides(options.get("kolom")))
    ctx.mapping = mapping
    ctx.problems.extend(problems)
    if any(p.row is None for p in ctx.problems):
        return Parsed(problems=ctx.problems, notes=ctx.notes, rows_read=raw.height)
    unused = [h for h in raw.columns if h != "_row" and h not in set(mapping.values())]
    if unused:
        ctx.notes.append(Msg("impor.catatan.kolom_tidak_dipakai",
                             {"kolom": ", ".join(unused[:20]) + (" ..." if len(unused) > 20 else "")}))
    desc = is_template_description(raw, mapping, cols)
    if desc.any():
        ctx.notes.append(Msg("impor.catatan.baris_keterangan", {"n": int(desc.sum())}))
        raw = raw.filter(~desc)
    if raw.height == 0:
        ctx.problems.append(Problem(None, None, Msg("impor.tanpa_baris_data")))
        return Parsed(problems=ctx.problems, notes=ctx.notes)
    ctx.raw, ctx.options = raw, options
    df, _ = typed_frame(raw, cols, mapping, ctx.today, ctx.notes, ctx.problems)
    if ctx.wide is not None:
        df = ctx.wide.to_long(df)
    tables = build(df, ctx)
    bad = bad_rows(ctx.problems)
    out = {}
    valid = pl.Series("_row", [], dtype=pl.Int64)
    bad_s = pl.Series("_row", sorted(bad), dtype=pl.Int64)
    for t, f in tables.items():
        f = f.filter(~pl.col("_row").is_in(bad_s)) if bad else f
        valid = pl.concat([valid, f["_row"].cast(pl.Int64)]).unique()
        out[t] = f.drop("_row")
    ctx.problems = _dedupe(ctx.problems)
    ctx.problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    if isinstance(ctx.problems, Problems) and ctx.problems.dropped:
        ctx.notes.append(Msg("impor.catatan.masalah_dipangkas", {"n": ctx.problems.cap, "semua": ctx.problems.total,
                                                                "baris": len(bad)}))
    valid_rows = valid
    return Parsed(tables=out, problems=ctx.problems, rows_read=raw.height, rows_valid=len(valid_rows), notes=ctx.notes)
