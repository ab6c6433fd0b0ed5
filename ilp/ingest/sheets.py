"""Spreadsheet files for the reader (ilp.ingest.readers.read_table): .xlsx (zip-bomb, size and formula
guards before any parser runs; calamine fast path, openpyxl otherwise), genuine old .xls (BIFF) and .ods
through calamine, and an HTML table saved as .xls (the e-PPGBM export). Every refusal is a ReadError."""
from __future__ import annotations

import datetime as dt
import operator
import os
import re
import zipfile
from pathlib import Path

from ilp.ingest.base import Problem
from ilp.ingest.zipguard import ZipRefused, guard_zip
from ilp.ingest.readers import (HEADER_SCAN_ROWS, MAX_COLS, MAX_XML_PART_MB, MAX_ZIP_ENTRIES, MAX_ZIP_RATIO, ReadError,
                                _err, _too_many_cols, _too_many_rows, decode_text, max_rows, max_upload_bytes)


_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]+)([0-9]{1,12})[0-9]*\"")
_CELL_REF_PLAIN = re.compile(rb"<c r=\"([A-Z]+)([0-9]{1,12})[0-9]*\"")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters[:8]:
        n = n * 26 + (ch - 64)
    return n if len(letters) <= 7 else 10**12


def _xml_small(z: zipfile.ZipFile, name: str) -> bytes:
    info = z.getinfo(name)
    if info.file_size > MAX_XML_PART_MB * 1048576:
        raise _err("xml_terlalu_besar")
    return z.read(name)


def _parse_xml(data: bytes):
    try:
        from defusedxml import ElementTree as ET  # refuses entity expansion outright
    except ImportError:  # pragma: no cover
        from xml.etree import ElementTree as ET
    return ET.fromstring(data)


def xlsx_guard(path: Path, options: dict | None = None) -> dict:
    """Check an .xlsx before any parser touches it; returns facts about the chosen sheet.

    Zip: number of entries, total uncompressed size, per-entry ratio. Then the chosen
    worksheet's XML is streamed (CRC-checked by zipfile, so lying size headers are caught)
    to find its largest row and column and whether it holds formulas.
    """
    options = options or {}
    compressed = path.stat().st_size
    limit_total = max(20 * max_upload_bytes(), 100 * 1048576)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _err("zip_tidak_utuh") from None
    with z:
        try:
            infos = guard_zip(z, max_members=MAX_ZIP_ENTRIES, max_total=limit_total, max_ratio=MAX_ZIP_RATIO,
                              compressed_size=compressed)
        except ZipRefused as e:
            raise ReadError(Problem(None, None, e.msg)) from None
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            if "content.xml" in names:          # OpenDocument spreadsheet (.ods): read by calamine
                return {"ods": True}
            raise _err("tanpa_workbook")
        try:
            wb = _parse_xml(_xml_small(z, "xl/workbook.xml"))
            rels = _parse_xml(_xml_small(z, "xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names else None
        except ReadError:
            raise
        except Exception as e:  # ParseError, DTDForbidden, EntitiesForbidden ...
            raise _err("xml_tidak_sah", jenis=type(e).__name__) from None
        sheets = [(el.get("name"), {k.split("}")[-1]: v for k, v in el.attrib.items()}.get("id"))
                  for el in wb.iter() if el.tag.split("}")[-1] == "sheet"]
        if not sheets:
            raise _err("tanpa_sheet")
        targets = {}
        if rels is not None:
            for el in rels.iter():
                if el.tag.split("}")[-1] == "Relationship":
                    t = el.get("Target", "")
                    t = t.lstrip("/") if t.startswith("/") else "xl/" + t
                    targets[el.get("Id")] = t
        idx = sheet_index([s[0] for s in sheets], options.get("sheet"))
        sheet_name, rid = sheets[idx]
        part = targets.get(rid) or f"xl/worksheets/sheet{idx + 1}.xml"
        part = os.path.normpath(part).replace("\\", "/")
        if part not in names:
            raise _err("isi_sheet_hilang", sheet=sheet_name)
        max_r = max_c = 0
        has_formula = False
        n_tags = n_refs = 0
        try:
            with z.open(part) as f:
                tail = b""
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    buf = tail + chunk
                    cut = max(0, len(buf) - 200)
                    lt = buf.rfind(b"<", 0, cut)    # never split a tag between scan and tail (a ref would be lost)
                    cut = lt if lt > 0 else cut
                    scan, tail = buf[:cut], buf[cut:]
                    r, c, nr, nt, fo = _scan_cells(scan)
                    max_r, max_c, n_refs, n_tags = max(max_r, r), max(max_c, c), n_refs + nr, n_tags + nt
                    has_formula = has_formula or fo
                r, c, nr, nt, fo = _scan_cells(tail)
                max_r, max_c, n_refs, n_tags = max(max_r, r), max(max_c, c), n_refs + nr, n_tags + nt
                has_formula = has_formula or fo
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
            raise _err("sheet_tidak_terbuka", jenis=type(e).__name__) from None
        except Exception as e:  # zlib.error and friends
            raise _err("sheet_tidak_terbuka", jenis=type(e).__name__) from None
        return {"sheet": sheet_name, "sheet_index": idx, "part": part, "max_row": max_r, "max_col": max_c,
                "has_formula": has_formula, "all_cells_addressed": n_tags == n_refs,
                "sheets": [s[0] for s in sheets]}


def _scan_cells(xml: bytes) -> tuple[int, int, int, int, bool]:
    """One piece of worksheet XML: (largest row, largest column of the cell references, references, cell tags,
    formula?). Bulk operations (findall, zip, map) rather than a Python step per cell: a million-row sheet has
    millions of cells."""
    # the usual spelling first (<c r="A1" ...>, as Excel, LibreOffice and xlsxwriter write it): literal prefixes that
    # the regex engine and bytes.count find fast; anything else in this piece (a namespace prefix, an attribute
    # before r, a cell without address) is counted with the general patterns
    n_tags = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/")
    refs = _CELL_REF_PLAIN.findall(xml)
    if len(refs) != n_tags or b":c " in xml or b":c>" in xml or b":c/" in xml or b"<c\t" in xml or b"<c\n" in xml \
            or b"<c\r" in xml:
        refs = _CELL_REF.findall(xml)
        n_tags = len(_CELL_TAG.findall(xml))
    has_formula = (b"<f" in xml or b":f" in xml) and bool(_FORMULA.search(xml))
    if not refs:
        return 0, 0, 0, n_tags, has_formula
    max_c = max(_col_index(x) for x in set(map(_FIRST, refs)))
    max_r = max(map(int, map(_SECOND, refs)))   # at most 12 digits each (the pattern), as the check before
    return max_r, max_c, len(refs), n_tags, has_formula


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return None
        if v.is_integer() and abs(v) <= 2 ** 53:   # exact as an integer (a 16-digit NIK saved as a number)
            return str(int(v))
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.datetime):
        if v.hour == v.minute == v.second == v.microsecond == 0:
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, str):
        return v
    text = getattr(v, "text", None)  # openpyxl ArrayFormula / DataTableFormula
    return "=" + str(text if text is not None else v).lstrip("=")


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook (.xlsx after the zip guard, .xls/.ods through calamine); [] for a text file."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        g = xlsx_guard(path, {})
        if not g.get("ods"):
            return list(g["sheets"])
    elif not head.startswith(b"\xd0\xcf\x11\xe0"):
        return []
    import python_calamine as pc
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception:
        return []
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()


def sheet_index(names_list: list[str], want) -> int:
    """0-based index of sheet `want` (name, case-insensitive name, or 1-based number); first sheet if empty."""
    if want in (None, ""):
        return 0
    if str(want) in names_list:
        return names_list.index(str(want))
    if str(want).isdigit() and 1 <= int(want) <= len(names_list):
        return int(want) - 1
    lower = {n.lower().strip(): i for i, n in enumerate(names_list)}
    if str(want).lower().strip() in lower:
        return lower[str(want).lower().strip()]
    raise _err("sheet_tidak_ada", nilai=str(want), sheet=want, ada=", ".join(names_list))


def _row_texts(r, lead: int) -> list[str | None]:
    """One calamine row as the reader's cells: text, None for an empty cell; `lead` empty cells in front."""
    out = [None if v == "" else (v if type(v) is str else _cell_text(v)) for v in r]
    return [None] * lead + out if lead else out


def _calamine_rows(path: Path, options: dict, fmt: str):
    """Genuine old Excel (.xls, BIFF) or OpenDocument (.ods) through python-calamine (values, not formulas),
    one list per row, yielded as read."""
    import python_calamine as pc
    limit = max_rows(options) + HEADER_SCAN_ROWS
    try:
        with open(path, "rb") as f:   # from the content, whatever the name says
            wb = pc.CalamineWorkbook.from_filelike(f)
    except Exception as e:  # encrypted, broken
        raise _err("lembar_kerja_tidak_terbuka", format=fmt, jenis=f"{type(e).__name__}: {str(e)[:120]}") from None
    try:
        idx = sheet_index(list(wb.sheet_names), options.get("sheet"))
        options["_sheet"] = wb.sheet_names[idx]
        options["_sheets"] = list(wb.sheet_names)
        sh = wb.get_sheet_by_index(idx)
        lead = sh.start[1] if sh.start else 0
        top = sh.start[0] if sh.start else 0
        n = 0
        for _ in range(top):
            n += 1
            yield []
        for r in sh.iter_rows():
            n += 1
            if len(r) + lead > MAX_COLS and any(v not in ("", None) for v in r[MAX_COLS - lead:]):
                raise _too_many_cols(f"> {MAX_COLS}", n)
            if n > limit:
                raise _too_many_rows(limit - HEADER_SCAN_ROWS)
            yield _row_texts(r, lead)[:MAX_COLS]
    except ReadError:
        raise
    except GeneratorExit:
        raise
    except Exception as e:
        raise _err("lembar_kerja_tidak_terbuka", format=fmt, jenis=f"{type(e).__name__}: {str(e)[:120]}") from None
    finally:
        wb.close()


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|table|head|body|meta|style)\b",
                         re.I | re.S)


def _looks_html(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(4096)
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode()
    return bool(_HTML_START.match(head)) or (b"<table" in head.lower() and b"<html" in head.lower())


def _html_rows(path: Path, options: dict) -> list[list[str | None]]:
    """The first (or `sheet`-numbered) <table> of an HTML file saved as '.xls' (as e-PPGBM exports)."""
    from lxml import html as lhtml
    text, enc = decode_text(path.read_bytes())
    options["_encoding"] = enc
    try:
        doc = lhtml.document_fromstring(text.encode("utf-8"), parser=lhtml.HTMLParser(encoding="utf-8", no_network=True,
                                                                                       huge_tree=False))
    except Exception as e:
        raise _err("html_tidak_terbaca", jenis=type(e).__name__) from None
    tables = doc.xpath("//table")
    if not tables:
        raise _err("html_tanpa_tabel")
    idx = sheet_index([f"{i + 1}" for i in range(len(tables))], options.get("sheet"))
    limit = max_rows(options) + HEADER_SCAN_ROWS
    rows: list[list] = []
    for tr in tables[idx].xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        rec: list[str | None] = []
        for cell in tr.xpath("./td|./th"):
            v = " ".join(cell.text_content().split())
            span = cell.get("colspan")
            rec.append(v or None)
            if span and span.isdigit() and 1 < int(span) <= MAX_COLS:
                rec.extend([None] * (int(span) - 1))
        if len(rec) > MAX_COLS and any(rec[MAX_COLS:]):
            raise _too_many_cols(len(rec), len(rows) + 1)
        rows.append(rec[:MAX_COLS])
        if len(rows) > limit:
            raise _too_many_rows(limit - HEADER_SCAN_ROWS)
    return rows   # an HTML table is parsed whole by lxml anyway (and its size is bounded by max_upload_mb)


def _xlsx_rows(path: Path, options: dict):
    """(rows, number of the first row): rows yielded as read, through calamine when the guard allows, else openpyxl."""
    g = xlsx_guard(path, options)
    if g.get("ods"):
        return _calamine_rows(path, options, "ods"), 1
    options["_sheet"] = g["sheet"]
    options["_sheets"] = g["sheets"]
    limit = max_rows(options) + HEADER_SCAN_ROWS
    if g["max_col"] > 16384:
        raise _err("kolom_di_luar_excel", n=g["max_col"], maks=MAX_COLS)
    if g["max_row"] > limit + 1000:
        raise _too_many_rows(limit - HEADER_SCAN_ROWS)
    fast = (not g["has_formula"] and g["all_cells_addressed"] and g["max_col"] <= MAX_COLS
            and g["max_row"] <= limit + 1000)
    if fast:
        try:
            import python_calamine as pc
            wb = pc.CalamineWorkbook.from_path(str(path))
            try:
                sh = wb.get_sheet_by_index(g["sheet_index"])
            except Exception:
                wb.close()
                raise
            first_row = (sh.start[0] + 1) if sh.start else 1
            return _calamine_sheet_rows(wb, sh), first_row
        except ImportError:  # pragma: no cover
            pass
        except Exception:
            pass  # fall back to openpyxl below
    return _openpyxl_rows(path, g, limit), 1


def _calamine_sheet_rows(wb, sh):
    lead = (sh.start[1]) if sh.start else 0
    try:
        for r in sh.iter_rows():
            yield _row_texts(r, lead)
    except GeneratorExit:
        raise
    except Exception as e:
        raise _err("excel_tidak_terbuka", jenis=f"{type(e).__name__}: {str(e)[:120]}") from None
    finally:
        wb.close()


def _openpyxl_rows(path: Path, g: dict, limit: int):
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as e:
        raise _err("excel_tidak_terbuka", jenis=f"{type(e).__name__}: {str(e)[:120]}") from None
    try:
        ws = wb[g["sheet"]]
        try:
            ws.reset_dimensions()  # do not trust the <dimension> tag
        except AttributeError:  # pragma: no cover
            pass
        for i, r in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLS + 1), start=1):
            if len(r) > MAX_COLS and r[MAX_COLS] not in (None, ""):
                raise _too_many_cols(f"> {MAX_COLS}", i)
            if i > limit:
                raise _too_many_rows(limit - HEADER_SCAN_ROWS)
            yield [_cell_text(v) for v in r[:MAX_COLS]]
    except (ReadError, GeneratorExit):
        raise
    except Exception as e:
        raise _err("excel_tidak_terbuka", jenis=f"{type(e).__name__}: {str(e)[:120]}") from None
    finally:
        wb.close()
