"""Aggregate stunting recaps (per desa, Puskesmas or kecamatan and weighing round) -> `rekap_stunting`.

Most districts keep exactly this: an Excel recap per Puskesmas, one row per unit and round. The import
works with no option on files as districts write them; headers are recognised case-, space- and
accent-insensitively, '%' and '+' kept (`ilp.ingest.columns.match_columns`), e.g.

    Unit Kerja (Puskesmas) | Kecamatan | Bulan | Tahun | Jml Balita Diukur | Pendek | Sangat Pendek | Prevalensi Stunting
    Desa/Kelurahan | Kecamatan | Periode ('Februari 2025', 'Feb-25', '2025-02', '02/2025') | Jumlah Yang Diukur | ...

The unit is the finest unit column present: desa > Puskesmas (also 'Unit Kerja', 'PKM') > kecamatan
(or a Kode column). A coarser column is a check: desa are looked up inside their kecamatan, and a
Puskesmas listed under a kecamatan it does not stand in is flagged (imported, with a note naming the
row). Puskesmas names match with or without 'UPTD', 'Puskesmas', 'PKM' (`ilp.names.facility_key`).

A Puskesmas the facility table does not have (or an empty facility table) does not fail the import when
the row names its kecamatan: the Puskesmas is created in `faskes` in the same transaction, with
jenis 'puskesmas', aturan_lokasi 'rekap', sumber naming the recap file and the stable code
'RKP-' + kecamatan code + '-' + facility key (e.g. RKP-99.02.01-GAMMA); the new ones are listed in the
notes. When a real facility list later brings the same Puskesmas (same facility key, same kecamatan),
the real one wins at the next recap import: rows resolve to the real code, rows of the same rounds still
stored under the RKP- code are deleted in the same transaction (Parsed.replace) and the RKP- facility is
set inactive (aktif = false). A name close to a known Puskesmas of the same kecamatan is never created:
the row is rejected with 'did you mean'.

Counts: Jumlah diukur, Pendek and Sangat Pendek are required ('-' = 0); a negative count, text in a
count column, or more stunted than measured rejects the row naming its column. The reported stunting
total and prevalence are optional: an unreadable cell there ('8,6 %%', '±9') is flagged and left empty,
never a reason to reject the row. Data-quality flags (stored in `flag_inkonsisten` as stable codes,
rendered by ilp.ingest.rekap_flags.flag_text, and listed row by row in the notes): reported stunting ≠ pendek + sangat pendek; reported prevalence ≠
computed by more than PREV_TOLERANCE points; a column copied down a whole round (the same value in every
row of a round with at least COPIED_MIN rows). Total rows ('JUMLAH', 'TOTAL', 'KABUPATEN') are skipped
and said so. A workbook with one sheet per round (every sheet named like a period: 'Feb 2025', 'Agustus 2025')
is read sheet by sheet, the sheet's name giving the period when its rows have none (round_sheets).

Options (declared on KIND): `jenis_unit`, `periode` (YYYY-MM, when the file has none), `sumber`; the
framework adds `kolom` ({target: header} for headers it does not know; targets: see HEADERS).
"""
from __future__ import annotations

import datetime as dt
import re

import polars as pl

from ilp.ingest.base import ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.ingest.columns import Col, description_texts, match_columns
from ilp.ingest.readers import ReadError, read_table, safe_filename
from ilp.ingest.sheets import sheet_names
from ilp.ingest.rekap_units import _TOTAL, UNIT_COLS, Units, _m, _p, _Resolver  # noqa: F401 (Units: used by callers)
from ilp.ingest.rekap_flags import flag_codes, flag_text  # noqa: F401 (flag_text: the page renders stored codes)
from ilp.ingest.tabular import extra_field_problems, formula_problems, parse_number
from ilp.names import BULAN

PREV_TOLERANCE = 0.15  # percentage points between reported and computed prevalence
COPIED_MIN = 3         # a round needs at least this many rows before 'same value in every row' is a flag
                       # of its kecamatan is taken for a typo and not created ('Alfa' ~ 'Alpha' = 67; 'Gamma' ~ 'Alpha' = 40)


# target -> header spellings (in order of preference), matched by ilp.ingest.columns.match_columns
HEADERS: dict[str, tuple[str, ...]] = {
    "unit": ("unitkerja", "unit", "namaunit", "namaunitkerja"),
    "puskesmas": ("puskesmas", "namapuskesmas", "pkm", "namapkm", "puskesmas/unitkerja", "faskes",
                  "unitkerja(puskesmas)", "unitkerja/puskesmas", "namaunitkerja(puskesmas)", "uptdpuskesmas",
                  "pukesmas", "nama pkm"),
    "kecamatan": ("kecamatan", "namakecamatan", "kec", "kec."),
    "desa": ("desa", "desa/kelurahan", "kelurahan", "desa/kel", "namadesa", "kelurahan/desa", "desa/kel.",
             "namadesa/kelurahan"),
    "kode": ("kode", "kodeunit", "kodepuskesmas", "kodefaskes", "kodewilayah", "kodedesa", "kodekecamatan", "kodepkm"),
    "diukur": ("jumlahyangdiukur", "jumlahbalitadiukur", "jumlahbalitadiukurtinggibadan", "diukur", "balitadiukurtb",
               "jumlahdiukur", "balitadiukur", "jmldiukur", "jumlahbalitayangdiukur", "balitadiukurtinggibadan",
               "jumlahbalitadiukurtb", "jmlbalitadiukur", "jmlbalitayangdiukur", "jmlyangdiukur",
               "jumlahbalitadiukurpb/tb", "balitadiukurpb/tb"),
    "pendek": ("pendek", "balitapendek", "jumlahpendek", "jmlpendek", "jumlahbalitapendek", "jmlbalitapendek"),
    "sangat_pendek": ("sangatpendek", "balitasangatpendek", "jumlahsangatpendek", "jmlsangatpendek",
                      "jumlahbalitasangatpendek", "jmlbalitasangatpendek"),
    "stunting": ("stunting", "jumlahstunting", "pendek+sangatpendek", "balitastunting", "jmlstunting",
                 "jumlahbalitastunting", "stunting(pendek+sangatpendek)", "jmlbalitastunting"),
    "prevalensi": ("prevalensi", "%stunting", "persentasestunting", "prevalensistunting", "persenstunting",
                   "%pendek+sangatpendek", "prevalensi(%)", "stunting(%)", "prevalensistunting(%)", "persentase(%)",
                   "persentase", "%", "%prevalensi", "prevalensi%", "prevalensistunting%"),
    "periode": ("periode", "periodepengukuran", "periodelaporan", "bulantahun", "bulan/tahun", "bulan-tahun",
                "periodepenimbangan"),
    "bulan": ("bulan", "bulanpengukuran", "bln", "bulanpenimbangan", "bulanlaporan"),
    "tahun": ("tahun", "thn", "tahunpengukuran", "tahunlaporan"),
}
COLS = tuple(Col(t, required=False, aliases=aliases) for t, aliases in HEADERS.items())  # rekap checks presence itself
TARGETS = {**{k: k for k in HEADERS}, "sangatpendek": "sangat_pendek", "stunting_lapor": "stunting",
           "prevalensi_lapor": "prevalensi", "jumlah_diukur": "diukur"}
JENIS = {"puskesmas": "puskesmas", "pkm": "puskesmas", "kecamatan": "kecamatan", "kec": "kecamatan",
         "desa": "desa", "kelurahan": "desa"}
_DASH = ("-", "–", "—")

REQUIRED_COUNTS = ("diukur", "pendek", "sangat_pendek")
SCHEMA = {"periode": pl.String, "jenis_unit": pl.String, "kode_unit": pl.String, "diukur": pl.Int32,
          "pendek": pl.Int32, "sangat_pendek": pl.Int32, "stunting_lapor": pl.Int32, "prevalensi_lapor": pl.Float64,
          "flag_inkonsisten": pl.String, "sumber": pl.String}
FASKES_SCHEMA = {"kode_faskes": pl.String, "nama": pl.String, "jenis": pl.String, "kode_kec": pl.String,
                 "aktif": pl.Boolean, "aturan_lokasi": pl.String, "sumber": pl.String}

TEMPLATE = tuple((col, Msg(f"impor.tata_letak.rekap.{key}"), ex) for col, key, ex in (
    ("Puskesmas", "puskesmas", "PUSKESMAS ALPHA"), ("Kecamatan", "kecamatan", "ALPHA"), ("Periode", "periode", "2025-08"),
    ("Jumlah Balita Diukur", "diukur", "350"), ("Pendek", "pendek", "22"), ("Sangat Pendek", "sangat_pendek", "8"),
    ("Stunting", "stunting", "30"), ("Prevalensi", "prevalensi", "8,6 %"),
))
_TEMPLATE_DESC = [s for _, d, _ in TEMPLATE for s in description_texts(d)]

OPTIONS = (
    Option("jenis_unit", "choice", "rekap.opsi.jenis_unit", "rekap.opsi.jenis_unit_help",
           choices=("otomatis", "puskesmas", "kecamatan", "desa"), default="otomatis"),
    Option("periode", "text", "rekap.opsi.periode", "rekap.opsi.periode_help", metavar="YYYY-MM"),
    Option("sumber", "text", "rekap.opsi.sumber", "rekap.opsi.sumber_help"),
)


# ---------------------------------------------------------------- options

def parse_kolom(raw) -> tuple[dict[str, str], list[Problem]]:
    """Option `kolom`: {target: header}, or 'diukur=Jml Ukur' strings (a list, or ';'-separated)."""
    if raw in (None, "", {}, []):
        return {}, []
    items: list[tuple[str, str]] = []
    if isinstance(raw, dict):
        items = [(str(k), str(val)) for k, val in raw.items()]
    else:
        parts = [raw] if isinstance(raw, str) else list(raw)
        for p in parts:
            for piece in (str(p).split(";") if isinstance(raw, str) else [str(p)]):
                if not piece.strip():
                    continue
                if "=" not in piece:
                    return {}, [_p(None, None, "kolom_bentuk", bagian=piece)]
                k, _, val = piece.partition("=")
                items.append((k, val))
    out: dict[str, str] = {}
    for k, val in items:
        t = TARGETS.get(k.strip().lower().replace(" ", "_").replace("-", "_"))
        val = val.strip().strip('"').strip("'").strip()
        if t is None:
            return {}, [_p(None, None, "kolom_target", target=k.strip(), pilihan=", ".join(HEADERS))]
        if not val:
            return {}, [_p(None, None, "kolom_kosong", target=t)]
        out[t] = val
    return out, []


def parse_periode(s: str | None) -> str | None:
    """'2025-08', '08/2025', 'Agustus 2025', 'Agt-25', 'Feb 2025', '2025 Agustus', '2025-08-01', '01/08/2025'
    -> '2025-08'; anything else -> None."""
    if s is None:
        return None
    t = str(s).strip().lower()
    m = re.fullmatch(r"(\d{4})[-/. ](\d{1,2})(?:[-/.]\d{1,2})?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", t)
    if m:
        y, mo = int(m[1]), int(m[2])
    else:
        m = re.fullmatch(r"(?:\d{1,2}[-/.])?(\d{1,2})[-/.](\d{4})", t)
        if m:
            y, mo = int(m[2]), int(m[1])
        else:
            m = re.fullmatch(r"([a-z]+)\.?[\s\-/]*'?(\d{2}|\d{4})", t)
            if m and m[1] in BULAN:
                mo, y = BULAN[m[1]], int(m[2])
                y = y + 2000 if y < 100 else y
            else:
                m = re.fullmatch(r"(\d{4})[\s\-/]*([a-z]+)", t)
                if not (m and m[2] in BULAN):
                    return None
                y, mo = int(m[1]), BULAN[m[2]]
    if not (1 <= mo <= 12 and 2000 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}"


def parse_bulan(s: str | None) -> int | None:
    """'Februari', 'feb.', '2', '02', '2.0' -> 2."""
    if s is None:
        return None
    t = str(s).strip().lower().rstrip(".")
    if re.fullmatch(r"\d{1,2}(\.0+)?", t) and 1 <= int(float(t)) <= 12:
        return int(float(t))
    return BULAN.get(t)


# ---------------------------------------------------------------- cells

def _count(raw: str | None) -> tuple[int | None, str | None]:
    """A count cell -> (value, None) or (None, error key); '-' is 0."""
    if raw is None:
        return None, "kosong"
    s = raw.strip()
    if s in _DASH:
        return 0, None
    if s.startswith("="):
        return None, "rumus"
    x, err = parse_number(s, integer=True)
    if err:
        return None, "bukan_bilangan_bulat" if err == "notint" else "bukan_angka"
    if x < 0:
        return None, "negatif"
    return x, None


def _percent(raw: str | None, comma: bool) -> tuple[float | None, bool]:
    """A reported prevalence -> (value, unreadable). '8,6 %', '8.6%', '0,086' read; '8,6 %%', '±9' unreadable."""
    if raw is None or raw.strip() in _DASH:
        return None, False
    s = raw.strip().replace("\u00a0", "").replace(" ", "")
    if s.count("%") > 1 or ("%" in s and not s.endswith("%")):
        return None, True
    x, err = parse_number(s, comma)
    if err or x is None or x < 0 or x > 100:
        return None, True
    return float(x), False


def _comma_style(values) -> bool:
    return any(v and re.fullmatch(r"\s*[+-]?\d+,\d+\s*%?\s*", v) for v in values)


def _fmt_pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


# ---------------------------------------------------------------- parse

def _whole(key: str, **params) -> Parsed:
    return Parsed(problems=[_p(None, None, key, **params)])


def round_sheets(src: Source) -> list[tuple[str, str]]:
    """(sheet, periode) for a workbook with one sheet per weighing round ('Feb 2025', 'Agustus 2025'): at least two
    sheets and every sheet's name a period; [] otherwise (or when a sheet was chosen)."""
    if (src.options or {}).get("sheet") not in (None, ""):
        return []
    try:
        names = sheet_names(src.path)
    except ReadError:
        return []
    rounds = [(n, parse_periode(n)) for n in names]
    if len(rounds) < 2 or any(p is None for _, p in rounds):
        return []
    return rounds


def _merge_sheets(parts: list[tuple[str, Parsed]]) -> Parsed:
    """One result from one Parsed per sheet: rows of every sheet; problems name their sheet with the column."""
    out = Parsed()
    faskes: dict[str, dict] = {}
    frames = []
    lama: set[str] = set()
    periods: set[str] = set()
    sql = None
    for sheet, p in parts:
        out.problems += [Problem(x.row, f"{x.column} [{sheet}]" if x.column else f"[{sheet}]", x.msg, x.nilai)
                         for x in p.problems]
        out.notes += p.notes
        out.rows_read += p.rows_read
        out.rows_valid += p.rows_valid
        if "rekap_stunting" in p.tables:
            frames.append(p.tables["rekap_stunting"])
        for r in p.tables.get("faskes", pl.DataFrame()).iter_rows(named=True):
            faskes[r["kode_faskes"]] = r
        if "rekap_stunting" in p.replace:
            sql, params = p.replace["rekap_stunting"]
            lama.update(params["lama"])
            periods.update(params["periode"])
    if frames:
        out.tables["rekap_stunting"] = pl.concat(frames, how="vertical_relaxed")
    if faskes:
        out.tables["faskes"] = pl.DataFrame(list(faskes.values()), schema=FASKES_SCHEMA, orient="row")
    if sql:
        out.replace["rekap_stunting"] = (sql, {"lama": sorted(lama), "periode": sorted(periods)})
    out.notes.insert(0, _m("catatan.satu_sheet_per_ronde", n=len(parts), daftar=", ".join(s for s, _ in parts)))
    return out


def parse(src: Source, con) -> Parsed:
    rounds = round_sheets(src)
    if rounds:
        opts = dict(src.options or {})
        return _merge_sheets([(sheet, parse_one(Source(src.path, src.name, {**opts, "sheet": sheet,
                                                                            "periode": opts.get("periode") or periode}),
                                                con)) for sheet, periode in rounds])
    opts = dict(src.options or {})
    named = parse_periode(str(opts.get("sheet") or ""))
    if named and opts.get("periode") in (None, ""):   # a chosen sheet named like a period gives the period
        return parse_one(Source(src.path, src.name, {**opts, "periode": named}), con)
    return parse_one(src, con)


def parse_one(src: Source, con) -> Parsed:
    """One sheet (the first, or the one chosen)."""
    options = dict(src.options or {})
    options.setdefault("name", src.name)
    kolom, probs = parse_kolom(options.get("kolom"))
    if probs:
        return Parsed(problems=probs)
    periode_opt = None
    if options.get("periode") not in (None, ""):
        periode_opt = parse_periode(str(options["periode"]))
        if periode_opt is None:
            return _whole("opsi_periode", isi=str(options["periode"]))
    jenis_opt = None
    if options.get("jenis_unit") not in (None, "", "otomatis", "auto"):   # otomatis: the finest unit in the file
        jenis_opt = JENIS.get(str(options["jenis_unit"]).strip().lower())
        if jenis_opt is None:
            return _whole("opsi_jenis_unit", isi=str(options["jenis_unit"]))
    today = dt.date.today()
    options["expected"] = [a for al in HEADERS.values() for a in al] + list(kolom.values()) + [t[0] for t in TEMPLATE]
    try:
        raw = read_table(src.path, options)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    notes: list[Msg] = []
    if options.get("_encoding") not in (None, "utf-8"):
        notes.append(_m("catatan.encoding", encoding=options["_encoding"]))
    if options.get("_sheet"):
        notes.append(_m("catatan.sheet", sheet=options["_sheet"]))
    mapping, problems = match_columns(raw.columns, COLS, kolom)
    problems = extra_field_problems(options) + formula_problems(raw) + problems
    if not any(t in mapping for t in UNIT_COLS):
        problems.append(_p(None, None, "tidak_ada_kolom_unit"))
    for t in REQUIRED_COUNTS:
        if t not in mapping:
            problems.append(_p(None, None, "tidak_ada_kolom_hitung", target=t, contoh=_m(f"contoh.{t}")))
    if "periode" not in mapping and "bulan" not in mapping and periode_opt is None:
        problems.append(_p(None, None, "tidak_ada_periode"))
    if "bulan" in mapping and "periode" not in mapping and "tahun" not in mapping and periode_opt is None:
        problems.append(_p(None, None, "bulan_tanpa_tahun"))
    if any(p.row is None for p in problems):
        return Parsed(problems=problems, notes=notes, rows_read=raw.height)
    unused = [h for h in raw.columns if h != "_row" and h not in set(mapping.values())]
    if unused:
        notes.append(_m("catatan.kolom_tidak_dipakai", kolom=", ".join(unused[:20]) + (" ..." if len(unused) > 20 else "")))
    rows_read = raw.height
    # template description row left in by the user
    desc = pl.Series([False] * raw.height)
    for h in mapping.values():
        desc = desc | raw[h].is_in(_TEMPLATE_DESC).fill_null(False)
    if desc.any():
        notes.append(_m("catatan.baris_template", n=int(desc.sum())))
        raw = raw.filter(~desc)
    if raw.height == 0:
        return Parsed(problems=[_p(None, None, "tanpa_baris")], notes=notes)
    return _rows(src, con, raw, mapping, jenis_opt, periode_opt, notes, problems, today, rows_read, options)


def _rows(src, con, raw, mapping, jenis_opt, periode_opt, notes, problems, today, rows_read, options) -> Parsed:
    units = Units(con)
    resolve = _Resolver(units, mapping, jenis_opt)
    col = resolve.col
    heads = [h for h in raw.columns if h != "_row"]
    comma = _comma_style(raw[mapping["prevalensi"]].to_list()) if "prevalensi" in mapping else False
    now = f"{today.year:04d}-{today.month:02d}"
    out: list[dict] = []
    totals: list[int] = []
    dashes = 0
    row_flags: dict[int, list[Msg]] = {}
    for r in raw.iter_rows(named=True):
        row = r["_row"]
        vals = {t: (r[h].strip() if isinstance(r[h], str) and r[h].strip() else None) for t, h in mapping.items()}
        unit_vals = [vals.get(t) for t in UNIT_COLS if t in mapping]
        if all(v is None for v in unit_vals):
            if any(r[h] and _TOTAL.match(str(r[h])) for h in heads):
                totals.append(row)          # 'JUMLAH' in the No column, unit cell empty
                continue
            if all(vals.get(t) is None for t in REQUIRED_COUNTS):
                continue                    # a row with no unit and no counts (a spacer or a note)
        unit = resolve(row, vals)
        if unit.total:
            totals.append(row)
            continue
        bad = False
        if unit.error is not None:
            problems.append(unit.error)
            bad = True
        counts = {}
        for t in REQUIRED_COUNTS:
            if vals.get(t) in _DASH:
                dashes += 1
            x, err = _count(vals.get(t))
            if err:
                problems.append(_p(row, col(t), f"sel.{err}", r[mapping[t]], isi=r[mapping[t]] or ""))
                bad = True
            counts[t] = x
        flags: list[Msg] = [unit.flag] if unit.flag else []
        stunting = None
        if "stunting" in mapping and vals.get("stunting") is not None:
            stunting, err = _count(vals["stunting"])
            if err:
                flags.append(_m("flag.tidak_terbaca", kolom=col("stunting"), isi=vals["stunting"]))
        prev = None
        if "prevalensi" in mapping:
            prev, unreadable = _percent(vals.get("prevalensi"), comma)
            if unreadable:
                flags.append(_m("flag.tidak_terbaca", kolom=col("prevalensi"), isi=vals["prevalensi"]))
        periode, perr = _periode(row, vals, mapping, periode_opt, col)
        if perr:
            problems.append(perr)
            bad = True
        elif periode > now:
            problems.append(_p(row, col("periode") if "periode" in mapping else col("bulan"), "periode_masa_depan",
                               periode, periode=periode))
            bad = True
        if not bad:
            ps = counts["pendek"] + counts["sangat_pendek"]
            if ps > counts["diukur"]:
                problems.append(_p(row, col("pendek"), "lebih_dari_diukur", f"{ps}", ps=ps, diukur=counts["diukur"]))
                bad = True
        if bad:
            continue
        out.append({"_row": row, "periode": periode, "jenis_unit": unit.jenis, "kode_unit": unit.kode, **counts,
                    "stunting_lapor": stunting, "prevalensi_lapor": prev, "_new": unit.new_pkm})
        if flags:
            row_flags[row] = flags
    if dashes:
        notes.append(_m("catatan.strip_nol", n=dashes))
    if totals:
        notes.append(_m("catatan.baris_total", n=len(totals), baris=", ".join(map(str, totals[:5]))
                        + (" ..." if len(totals) > 5 else "")))
    _fraction_prevalence(out, notes)
    _duplicates(out, problems, col)
    bad_rows = {p.row for p in problems if p.row is not None}
    ok = [o for o in out if o["_row"] not in bad_rows]
    for o in ok:
        row_flags.setdefault(o["_row"], []).extend(_inconsistency(o))
    _copied_down(ok, mapping, row_flags, col)
    flagged = 0
    for o in ok:
        fl = row_flags.get(o["_row"], [])
        o["flag_inkonsisten"] = flag_codes(fl)   # stable codes, rendered at display time (rekap_flags.flag_text)
        if fl:
            flagged += 1
            for f in fl:
                notes.append(_m("catatan.flag_baris", baris=o["_row"], pesan=f))
    sumber = str(options.get("sumber") or f"rekap {safe_filename(src.name)}")[:200]
    df = pl.DataFrame([{k: o.get(k) for k in SCHEMA if k != "sumber"} | {"sumber": sumber} for o in ok],
                      schema=SCHEMA, orient="row") if ok else pl.DataFrame(schema=SCHEMA)
    tables = {"rekap_stunting": df}
    new = {o["_new"][0]: o["_new"] for o in ok if o["_new"]}
    new = {k: v for k, v in new.items() if k not in units.pkm_codes}
    faskes_rows = [{"kode_faskes": k, "nama": n, "jenis": "puskesmas", "kode_kec": kc, "aktif": True,
                    "aturan_lokasi": "rekap", "sumber": sumber} for k, (k2, n, kc) in sorted(new.items())]
    gone = sorted(units.superseded)
    faskes_rows += [{"kode_faskes": c, "nama": units.areas.pkm_nama[c], "jenis": "puskesmas",
                     "kode_kec": units.areas.pkm_kec[c], "aktif": False, "aturan_lokasi": "rekap",
                     "sumber": units.areas.pkm_sumber.get(c) or sumber} for c in gone]
    if faskes_rows:
        tables["faskes"] = pl.DataFrame(faskes_rows, schema=FASKES_SCHEMA, orient="row")
    if new:
        notes.append(_m("catatan.pkm_baru", n=len(new), daftar=", ".join(
            f"{n} ({units.kec_name.get(kc, kc)}: {k})" for k, (_, n, kc) in sorted(new.items()))))
    replace = {}
    if gone and df.height:
        replace["rekap_stunting"] = (
            "delete from rekap_stunting where jenis_unit = 'puskesmas' and list_contains($lama, kode_unit) "
            "and list_contains($periode, periode)",
            {"lama": gone, "periode": sorted(set(df["periode"].to_list()))})
        notes.append(_m("catatan.pkm_diganti", daftar=", ".join(f"{c} → {units.superseded[c]}" for c in gone)))
    if flagged:
        notes.append(_m("catatan.n_flag", n=flagged))
    if df.height:
        levels = df.group_by("jenis_unit").len().sort("jenis_unit").iter_rows()
        notes.append(_m("catatan.ringkas", unit=", ".join(f"{n} {j}" for j, n in levels),
                        periode=", ".join(sorted(set(df["periode"].to_list())))))
    problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    return Parsed(tables=tables, problems=problems, rows_read=rows_read, rows_valid=df.height, notes=notes,
                  replace=replace)


def _periode(row, vals, mapping, periode_opt, col) -> tuple[str | None, Problem | None]:
    if "periode" in mapping and vals.get("periode") is not None:
        p = parse_periode(vals["periode"])
        if p is None:
            return None, _p(row, col("periode"), "periode_tidak_dikenal", vals["periode"], isi=vals["periode"])
        return p, None
    if "bulan" in mapping and vals.get("bulan") is not None:
        b = parse_bulan(vals["bulan"])
        if b is None:
            p = parse_periode(vals["bulan"])    # 'Februari 2025' in a Bulan column
            if p:
                return p, None
            return None, _p(row, col("bulan"), "bulan_tidak_dikenal", vals["bulan"], isi=vals["bulan"])
        y = None
        if vals.get("tahun") is not None:
            x, err = parse_number(vals["tahun"], integer=True)
            if err or not 2000 <= x <= 2100:
                return None, _p(row, col("tahun"), "tahun_tidak_sah", vals["tahun"], isi=vals["tahun"])
            y = x
        elif periode_opt:
            y = int(periode_opt[:4])
        if y is None:
            return None, _p(row, col("tahun"), "tahun_kosong")
        return f"{y:04d}-{b:02d}", None
    if periode_opt:
        return periode_opt, None
    return None, _p(row, col("periode") if "periode" in mapping else col("bulan"), "periode_kosong")


def _fraction_prevalence(out: list[dict], notes: list[Msg]) -> None:
    """Prevalence written as a fraction (an Excel percent cell holds 0.086): times 100."""
    prev = [o for o in out if o["prevalensi_lapor"] is not None and o["diukur"]]
    if prev and max(o["prevalensi_lapor"] for o in prev) <= 1.0 and max(
            100.0 * (o["pendek"] + o["sangat_pendek"]) / o["diukur"] for o in prev) > 1.0:
        for o in out:
            if o["prevalensi_lapor"] is not None:
                o["prevalensi_lapor"] *= 100.0
        notes.append(_m("catatan.pecahan"))


def _duplicates(out: list[dict], problems: list[Problem], col) -> None:
    """A later row for the same unit and round is rejected, naming the first row."""
    first: dict[tuple, int] = {}
    for o in out:
        key = (o["periode"], o["jenis_unit"], o["kode_unit"])
        if key in first:
            problems.append(_p(o["_row"], None, "duplikat", None, baris=first[key], periode=o["periode"],
                               unit=o["kode_unit"]))
        else:
            first[key] = o["_row"]


def _inconsistency(o: dict) -> list[Msg]:
    flags = []
    ps = o["pendek"] + o["sangat_pendek"]
    if o["stunting_lapor"] is not None and ps != o["stunting_lapor"]:
        flags.append(_m("flag.stunting_beda", ps=ps, lapor=o["stunting_lapor"]))
    if o["prevalensi_lapor"] is not None and o["diukur"]:
        calc = 100.0 * ps / o["diukur"]
        if abs(calc - o["prevalensi_lapor"]) > PREV_TOLERANCE + 1e-9:
            flags.append(_m("flag.prevalensi_beda", lapor=_fmt_pct(o["prevalensi_lapor"]), hitung=_fmt_pct(calc)))
    return flags


def _copied_down(ok: list[dict], mapping: dict, row_flags: dict[int, list[Msg]], col) -> None:
    """A count or prevalence column with one value in every row of a round (a formula or value copied down)."""
    by_round: dict[str, list[dict]] = {}
    for o in ok:
        by_round.setdefault(o["periode"], []).append(o)
    cols = [("diukur", "diukur"), ("pendek", "pendek"), ("sangat_pendek", "sangat_pendek"),
            ("stunting", "stunting_lapor"), ("prevalensi", "prevalensi_lapor")]
    for periode, rows in by_round.items():
        if len(rows) < COPIED_MIN:
            continue
        for t, field_ in cols:
            if t not in mapping:
                continue
            vals = {o[field_] for o in rows}
            if len(vals) == 1 and None not in vals and vals != {0}:
                v = next(iter(vals))
                shown = _fmt_pct(v) if isinstance(v, float) else str(v)
                for o in rows:
                    row_flags.setdefault(o["_row"], []).append(
                        _m("flag.disalin", kolom=col(t), isi=shown, periode=periode, n=len(rows)))


KIND = ImportKind(
    name="rekap", title_id="Rekap stunting (agregat)", title_en="Stunting recap (aggregate)",
    tables=("rekap_stunting", "faskes"), columns=TEMPLATE, parse=parse,
    extensions=(".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".txt", ".tsv"), options=OPTIONS,
)
