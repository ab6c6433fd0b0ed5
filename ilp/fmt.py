"""The one formatting layer: numbers, percentages, years, dates and periods for screen, charts and downloads.

Indonesian by default (1.234,5 · 5 Februari 2025 · Februari 2025), English when switched (1,234.5 · 5 February 2025).
Counts are integers, years have no separators, percentages have one decimal and the unit and are shown as they are
(above 100% included). Missing is "–" (or t("umum.tidak_ada_data") where a sentence is wanted), suppressed is
"disembunyikan (n<10)"; "None", "nan" and "inf" never come out of here.

Also the one place for two safety rules of everything the app shows or writes:
- `md(text)`: imported text (a kecamatan name, a target's legal basis) shown through st.markdown/st.caption as text,
  never as Markdown or HTML (a name containing `![](http://…)` must not make a browser fetch anything);
- `safe_cell(text)`: a text cell that starts with =, +, -, @, tab or CR is neutralised in every CSV/Excel written.

Pure: no Streamlit here (ui/ uses it, so do ilp/charts and the briefing).
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from ilp.i18n import BULAN_EN, BULAN_ID, LANGS, catalog, t

MISSING = "–"
SUPPRESS_N = 10

# column kinds understood by frame_for_display / frame_for_download
KINDS = ("text", "int", "num", "num1", "num2", "pct", "pct0", "year", "date", "period", "bool", "code")


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "id"


def is_missing(x: Any) -> bool:
    """None, NaN, ±inf, and empty text are missing (shown as '–', never as 0)."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x) or math.isinf(x)
    if isinstance(x, str):
        return x.strip() == "" or x.strip().lower() in ("none", "nan", "inf", "-inf", "null")
    try:  # numpy / decimal scalars
        f = float(x)
        return math.isnan(f) or math.isinf(f)
    except (TypeError, ValueError):
        return False


def _swap(s: str) -> str:
    """'1,234.5' -> '1.234,5'."""
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def num(x: Any, decimals: int = 1, lang: str = "id", missing: str = MISSING) -> str:
    """1234.5 -> '1.234,5' (id) / '1,234.5' (en); None/NaN/inf -> '–'. -0.0 shows as 0."""
    if is_missing(x):
        return missing
    v = round(float(x), decimals)
    if v == 0:
        v = 0.0
    s = f"{v:,.{decimals}f}"
    return _swap(s) if _lang(lang) == "id" else s


def integer(x: Any, lang: str = "id", missing: str = MISSING) -> str:
    """A count: 62971 -> '62.971' (id) / '62,971' (en)."""
    return num(x, 0, lang, missing)


def pct(x: Any, decimals: int = 1, lang: str = "id", missing: str = MISSING) -> str:
    """Percent points (already ×100): 115.66 -> '115,7%' (not clipped); None -> '–'."""
    return missing if is_missing(x) else num(x, decimals, lang) + "%"


def year(y: Any, missing: str = MISSING) -> str:
    """2031 -> '2031' (never '2.031' or '2031.0')."""
    if is_missing(y):
        return missing
    try:
        return str(int(float(y)))
    except (TypeError, ValueError):
        return str(y)


def _months(lang: str) -> list[str]:
    return BULAN_EN if _lang(lang) == "en" else BULAN_ID


def date(d: dt.date | dt.datetime | str | None, lang: str = "id", missing: str = MISSING) -> str:
    """date(2025, 2, 5) -> '5 Februari 2025' / '5 February 2025'; '2025-02-05' accepted."""
    if d is None or (not isinstance(d, (dt.date, str))) or (isinstance(d, str) and is_missing(d)):
        return missing
    if isinstance(d, str):
        if len(d.strip()) == 7:
            return period(d, lang, missing)
        try:
            d = dt.date.fromisoformat(d.strip()[:10])
        except ValueError:
            return d
    return f"{d.day} {_months(lang)[d.month - 1]} {d.year}"


def period(p: str | dt.date | None, lang: str = "id", missing: str = MISSING) -> str:
    """'2025-02' -> 'Februari 2025'; a full date -> its month; a bare year -> '2025'."""
    if p is None or is_missing(p):
        return missing
    if isinstance(p, dt.date):
        return f"{_months(lang)[p.month - 1]} {p.year}"
    s = str(p).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{_months(lang)[int(m.group(2)) - 1]} {m.group(1)}"
    if re.fullmatch(r"\d{4}(\.0)?", s):
        return year(s)
    return s


def month_year(tahun: int, bulan: int, lang: str = "id") -> str:
    return period(f"{int(tahun):04d}-{int(bulan):02d}", lang)


def suppressed(lang: str = "id", n: int = SUPPRESS_N) -> str:
    """'disembunyikan (n<10)' / 'hidden (n<10)'."""
    return t("metode.kecil.disembunyikan", _lang(lang), n=n)


def no_data(lang: str = "id") -> str:
    return t("umum.tidak_ada_data", _lang(lang))


def boolean(x: Any, lang: str = "id", missing: str = MISSING) -> str:
    if is_missing(x):
        return missing
    return t("umum.ya", _lang(lang)) if bool(x) else t("umum.tidak", _lang(lang))


# ---- Plotly -------------------------------------------------------------------------------------------------------

def plotly_separators(lang: str = "id") -> str:
    """Plotly layout.separators: first character is the decimal mark, second the thousands mark."""
    return ",." if _lang(lang) == "id" else ".,"


def hover_number_format(decimals: int = 1) -> str:
    """d3-format for hover/text templates, e.g. '%{y:,.1f}'; the marks follow layout.separators."""
    return f",.{max(int(decimals), 0)}f"


def axis_tickformat(kind: str = "num") -> str:
    """Axis tick format: years without separators ('d'), counts with thousands marks (',d'), else one decimal."""
    return {"year": "d", "int": ",d", "pct": ",.0f", "pct0": ",.0f"}.get(kind, ",.1f")


def apply_plotly(fig, lang: str = "id"):
    """Set the language's separators on a figure (in place) and return it."""
    fig.update_layout(separators=plotly_separators(lang))
    return fig


# ---- escaping ------------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'^])")


def md(text: Any) -> str:
    """Imported text shown as text in st.markdown / st.caption / st.metric labels: every Markdown, HTML, LaTeX and
    Streamlit directive character is backslash-escaped, line breaks become spaces. None -> '–'."""
    if text is None or (isinstance(text, float) and is_missing(text)):
        return MISSING
    s = str(text).replace("\r", " ").replace("\n", " ").replace("\x00", "")
    return _MD_SPECIAL.sub(r"\\\1", s)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(x: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (starts with =, +, -, @, tab or CR) gets a leading
    apostrophe; other values pass unchanged."""
    if isinstance(x, str) and x.startswith(_FORMULA_START):
        return "'" + x
    return x


# ---- tables --------------------------------------------------------------------------------------------------------

ColSpec = str | tuple[str | None, str]


def label(col: str, lang: str = "id", key: str | None = None) -> str:
    """A readable header: the given locale key, else kol.<col>, else the column name in words ('haz_diflag' ->
    'Haz diflag'), never snake_case."""
    cat = catalog(_lang(lang))
    for k in (key, f"kol.{col}"):
        if k and k in cat:
            return cat[k]
    words = col.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else col


COUNT_NAMES = frozenset(("pembilang", "penyebut", "diukur", "stunting", "kader", "sasaran", "sasaran_balita",
                         "jumlah", "pengukuran", "anak", "pendek", "sangat_pendek"))


def is_count_name(name: str) -> bool:
    """A column of people or units (children measured, target population, kader): shown as an integer even when
    it arrives as a float (1.121, never 1.121,0)."""
    n = name.lower()
    return n in COUNT_NAMES or n.startswith("n_") or n.startswith("jumlah_")


def infer_kind(name: str, dtype: pl.DataType) -> str:
    n = name.lower()
    if dtype == pl.Boolean:
        return "bool"
    if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        return "date"
    if n in ("tahun", "year") or n.startswith("tahun_") or n.endswith("_tahun"):
        return "year" if dtype.is_numeric() else "text"
    if n.startswith("kode") or n.endswith("_kode"):
        return "code"
    if dtype.is_integer() or ((dtype.is_float() or dtype.is_decimal()) and is_count_name(n)):
        return "int"
    if dtype.is_float() or dtype.is_decimal():
        return "pct" if (n.endswith("_pct") or n.startswith("pct") or "persen" in n) else "num"
    if n in ("periode", "bulan_periode", "period") or n.startswith("periode"):
        return "period"
    return "text"


def _spec(df: pl.DataFrame, columns: Mapping[str, ColSpec] | None) -> dict[str, tuple[str | None, str]]:
    columns = columns or {}
    out: dict[str, tuple[str | None, str]] = {}
    for name, dtype in df.schema.items():
        s = columns.get(name)
        if s is None:
            out[name] = (None, infer_kind(name, dtype))
        elif isinstance(s, str):
            out[name] = (None, s) if s in KINDS else (s, infer_kind(name, dtype))
        else:
            out[name] = (s[0], s[1] or infer_kind(name, dtype))
    return out


def cell(x: Any, kind: str, lang: str = "id", missing: str = MISSING) -> str:
    """One value as text for a table of the given kind."""
    if kind == "int":
        return integer(x, lang, missing)
    if kind in ("num", "num1"):
        return num(x, 1, lang, missing)
    if kind == "num2":
        return num(x, 2, lang, missing)
    if kind == "pct":
        return pct(x, 1, lang, missing)
    if kind == "pct0":
        return pct(x, 0, lang, missing)
    if kind == "year":
        return year(x, missing)
    if kind == "date":
        return date(x, lang, missing)
    if kind == "period":
        return period(x, lang, missing)
    if kind == "bool":
        return boolean(x, lang, missing)
    if is_missing(x):
        return missing
    if isinstance(x, float):
        return num(x, 1, lang, missing)
    return str(x)


def frame_for_display(df: pl.DataFrame, columns: Mapping[str, ColSpec] | None = None, lang: str = "id",
                      suppressed_col: str | None = "disembunyikan") -> pl.DataFrame:
    """Every cell as text in the reader's format, headers readable (locale key, else kol.<col>, else words).
    `columns` maps a column to a kind ('pct'), a label key ('kol.x'), or (label_key, kind); others are inferred.
    Rows flagged in `suppressed_col` (bool) show 'disembunyikan (n<10)' in their empty numeric cells; the flag
    column itself is dropped."""
    spec = _spec(df, columns)
    hide = suppressed_col if suppressed_col in df.columns and df.schema[suppressed_col] == pl.Boolean else None
    flags = df[hide].to_list() if hide else [False] * df.height
    sup = suppressed(lang)
    out: dict[str, list[str]] = {}
    used: set[str] = set()
    for name, (key, kind) in spec.items():
        if name == hide:
            continue
        head = label(name, lang, key)
        while head in used:
            head += " "
        used.add(head)
        numeric = kind in ("int", "num", "num1", "num2", "pct", "pct0")
        vals = df[name].to_list()
        out[head] = [sup if (numeric and f and is_missing(v)) else cell(v, kind, lang)
                     for v, f in zip(vals, flags)]
    return pl.DataFrame(out, schema={k: pl.String for k in out})


def _decimals(kind: str) -> int | None:
    return {"int": 0, "num": 1, "num1": 1, "num2": 2, "pct": 1, "pct0": 0, "year": 0}.get(kind)


def frame_for_download(df: pl.DataFrame, columns: Mapping[str, ColSpec] | None = None, lang: str = "id",
                       suppressed_col: str | None = "disembunyikan") -> pl.DataFrame:
    """A table for Excel/CSV: readable headers, numbers kept as numbers but rounded (counts and years as integers,
    others to their display decimals, no 15-digit tails, no inf/NaN), dates as dates, text neutralised against
    formulas. A suppressed row keeps its empty cells empty (never 0)."""
    spec = _spec(df, columns)
    exprs = []
    used: set[str] = set()
    for name, (key, kind) in spec.items():
        head = label(name, lang, key)
        while head in used:
            head += " "
        used.add(head)
        c = pl.col(name)
        dtype = df.schema[name]
        d = _decimals(kind)
        if dtype.is_numeric() and kind in ("text", "code"):
            e = c.cast(pl.String)
        elif dtype.is_numeric() and d is not None:
            if dtype.is_float() or dtype.is_decimal():
                f = c.cast(pl.Float64)
                f = pl.when(f.is_nan() | f.is_infinite()).then(None).otherwise(f)
                e = f.round(d).cast(pl.Int64) if d == 0 else f.round(d)
            else:
                e = c
        elif dtype == pl.Boolean:
            e = pl.when(c).then(pl.lit(t("umum.ya", _lang(lang)))).when(~c).then(pl.lit(t("umum.tidak", _lang(lang))))
        elif dtype == pl.String and kind == "period":
            e = c.map_elements(lambda p: period(p, lang), return_dtype=pl.String)
        elif dtype == pl.String:
            e = pl.when(c.str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + c).otherwise(c)
        else:
            e = c
        exprs.append(e.alias(head))
    return df.select(exprs) if exprs else df


def csv_bytes(df: pl.DataFrame, lang: str = "id") -> bytes:
    """CSV that Excel opens cleanly in the reader's locale: UTF-8 with BOM; Indonesian uses ';' between fields and
    a comma decimal mark, English ',' and '.'. Missing cells are empty."""
    idn = _lang(lang) == "id"
    s = df.write_csv(separator=";" if idn else ",", decimal_comma=idn, null_value="", date_format="%Y-%m-%d")
    return s.encode("utf-8-sig")


def xlsx_bytes(df: pl.DataFrame, sheet: str, about: Mapping[str, str] | None = None, lang: str = "id",
               columns: Mapping[str, ColSpec] | None = None) -> bytes:
    """An Excel workbook from the raw table: the readable table (frame_for_download) on the first sheet, then a sheet
    naming source, period, denominator and filters (`about`: label -> text). Years without thousands marks; strings
    are written as text, never as formulas or links."""
    import xlsxwriter
    spec = _spec(df, columns)
    out = frame_for_download(df, columns, lang)
    fmts: dict[str, str] = {}
    for (name, (key, kind)), head in zip(((n, s) for n, s in spec.items()), out.columns):
        if not out.schema[head].is_numeric():
            continue
        fmts[head] = {"year": "0", "int": "#,##0", "num2": "#,##0.00", "pct0": "#,##0"}.get(kind, "#,##0.0")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True})
    try:
        name = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data"
        out.write_excel(wb, worksheet=name, autofit=True, column_formats=fmts or None)
        info = wb.add_worksheet(t("umum.keterangan", _lang(lang))[:31])
        bold = wb.add_format({"bold": True})
        for i, (k, v) in enumerate((about or {}).items()):
            info.write_string(i, 0, str(safe_cell(str(k))), bold)
            info.write_string(i, 1, str(safe_cell(str(v))))
        info.set_column(0, 0, 28)
        info.set_column(1, 1, 90)
    finally:
        wb.close()
    return buf.getvalue()


def file_stem(name: str, period_text: str | None = None) -> str:
    """'spm_capaian' + '2025-08' -> 'spm_capaian_2025-08' (file names carry the period; safe characters only)."""
    base = name if not period_text else f"{name}_{period_text}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("_") or "data"
