"""Aggregate stunting recaps (per Puskesmas, kecamatan or desa and period) -> `rekap_stunting`.

Recaps come in many shapes; headers are recognised case- and space-insensitively, e.g.

    Unit Kerja | Jumlah Yang Diukur | Pendek | Sangat Pendek | Prevalensi          ('8,6 %')
    Puskesmas  | Balita Diukur TB   | Balita Pendek | Balita Sangat Pendek | Stunting    (+ option periode)

unit:      Unit Kerja, Puskesmas, Nama Puskesmas | Kecamatan | Desa, Desa/Kelurahan | Kode
diukur:    Jumlah Yang Diukur, Jumlah Balita Diukur, Jumlah Balita Diukur Tinggi Badan, Diukur, Balita Diukur TB
pendek / sangat pendek: Pendek, Balita Pendek, Jumlah Pendek / Sangat Pendek, Balita Sangat Pendek
stunting:  Stunting, Jumlah Stunting, Pendek + Sangat Pendek          (reported total; optional)
prevalensi: Prevalensi, % Stunting, Persentase Stunting ('8,6 %', '8.6%'; optional)
period:    Periode ('2025-08', 'Agustus 2025'), or Bulan (+ Tahun), or the option `periode` ('2025-08')

Options: `periode` ('YYYY-MM', used when the file has none), `kolom` ({target: header} for other
headers, targets: unit, puskesmas, kecamatan, desa, kode, diukur, pendek, sangat_pendek, stunting,
prevalensi, periode, bulan, tahun), `jenis_unit` (puskesmas | kecamatan | desa), `sumber`.

Units are matched by code or by normalised name (no guessing: an unknown name rejects the row,
with a suggestion). Rows whose numbers disagree (pendek + sangat pendek ≠ reported stunting;
reported prevalence ≠ computed by more than 0.15 points; pendek + sangat pendek > diukur) are
imported with `flag_inkonsisten` saying why. Negative counts or text in count columns reject the row.
A total row ('JUMLAH', 'TOTAL', 'KABUPATEN') is skipped.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import polars as pl

from ilp import db
from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Problem, Source
from ilp.ingest.eppgbm import Areas, faskes_key, match_name
from ilp.ingest.readers import ReadError, read_table, safe_filename
from ilp.ingest.validate import BULAN, Col

PREV_TOLERANCE = 0.15  # percentage points between reported and computed prevalence


def hkey(h: str) -> str:
    """Header key: lower case, accents/spaces/underscores removed, a trailing count unit like '(anak)' dropped.
    Punctuation that carries meaning stays: '% Stunting' and 'Stunting (%)' ≠ 'Stunting', 'Pendek + Sangat Pendek'."""
    s = unicodedata.normalize("NFKD", str(h)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r" \(\d+\)$", "", s.strip())          # 'Pendek (2)': a repeated header renamed by the reader
    s = re.sub(r"[\s_]+", "", s)
    s = re.sub(r"\((jiwa|anak|orang|org|balita|jumlah)\)$", "", s)
    return s.rstrip(".:")


# target -> header keys (in order of preference)
HEADERS: dict[str, tuple[str, ...]] = {
    "unit": ("unitkerja", "unit", "namaunit", "namaunitkerja"),
    "puskesmas": ("puskesmas", "namapuskesmas", "pkm", "namapkm", "puskesmas/unitkerja", "faskes"),
    "kecamatan": ("kecamatan", "namakecamatan", "kec"),
    "desa": ("desa", "desa/kelurahan", "kelurahan", "desa/kel", "namadesa", "kelurahan/desa", "desa/kelurahan/nama"),
    "kode": ("kode", "kodeunit", "kodepuskesmas", "kodefaskes", "kodewilayah", "kodedesa", "kodekecamatan", "kodepkm"),
    "diukur": ("jumlahyangdiukur", "jumlahbalitadiukur", "jumlahbalitadiukurtinggibadan", "diukur", "balitadiukurtb",
               "jumlahdiukur", "balitadiukur", "jmldiukur", "jumlahbalitayangdiukur", "balitadiukurtinggibadan",
               "jumlahbalitadiukurtb", "jmlbalitadiukur"),
    "pendek": ("pendek", "balitapendek", "jumlahpendek", "jmlpendek", "jumlahbalitapendek"),
    "sangat_pendek": ("sangatpendek", "balitasangatpendek", "jumlahsangatpendek", "jmlsangatpendek",
                      "jumlahbalitasangatpendek"),
    "stunting": ("stunting", "jumlahstunting", "pendek+sangatpendek", "balitastunting", "jmlstunting",
                 "jumlahbalitastunting", "stunting(pendek+sangatpendek)"),
    "prevalensi": ("prevalensi", "%stunting", "persentasestunting", "prevalensistunting", "persenstunting",
                   "%pendek+sangatpendek", "prevalensi(%)", "stunting(%)", "prevalensistunting(%)", "persentase(%)",
                   "persentase", "%"),
    "periode": ("periode", "periodepengukuran", "periodelaporan", "bulantahun", "bulan/tahun"),
    "bulan": ("bulan", "bulanpengukuran", "bln", "bulanpenimbangan"),
    "tahun": ("tahun", "thn", "tahunpengukuran"),
}
TARGETS = {**{k: k for k in HEADERS}, "sangatpendek": "sangat_pendek", "stunting_lapor": "stunting",
           "prevalensi_lapor": "prevalensi", "jumlah_diukur": "diukur", "kecamatan": "kecamatan"}
UNIT_TARGETS = ("desa", "puskesmas", "unit", "kecamatan", "kode")
JENIS = {"puskesmas": "puskesmas", "pkm": "puskesmas", "kecamatan": "kecamatan", "kec": "kecamatan",
         "desa": "desa", "kelurahan": "desa"}
_TOTAL = re.compile(r"^(jumlah|total|jml|kabupaten|kab|kota|grand ?total)\b", re.I)

COUNT_COLS = ("diukur", "pendek", "sangat_pendek", "stunting")
COLS = (
    Col("diukur", "int", min=0, max=10_000_000, desc_id="Jumlah balita yang diukur tinggi/panjang badannya", example="350"),
    Col("pendek", "int", min=0, max=10_000_000, desc_id="Balita pendek (-3 ≤ z TB/U < -2)", example="22"),
    Col("sangat_pendek", "int", min=0, max=10_000_000, desc_id="Balita sangat pendek (z TB/U < -3)", example="8"),
    Col("stunting", "int", required=False, allow_empty=True, min=0, max=10_000_000,
        desc_id="Jumlah stunting dilaporkan (pendek + sangat pendek)", example="30"),
    Col("prevalensi", "float", required=False, allow_empty=True, min=0, max=100, unit="%",
        desc_id="Prevalensi stunting dilaporkan, % (mis. 8,6 %)", example="8,6 %"),
    Col("periode", required=False, allow_empty=True, desc_id="Periode TTTT-BB atau nama bulan dan tahun", example="2025-08"),
    Col("bulan", required=False, allow_empty=True, desc_id="Bulan (nama atau 1–12)", example="Agustus"),
    Col("tahun", "int", required=False, allow_empty=True, min=2000, max=2100, desc_id="Tahun", example="2025"),
    Col("unit", required=False, allow_empty=True), Col("puskesmas", required=False, allow_empty=True),
    Col("kecamatan", required=False, allow_empty=True), Col("desa", required=False, allow_empty=True),
    Col("kode", required=False, allow_empty=True),
)
_COL = {c.name: c for c in COLS}
TEMPLATE = (
    ("Puskesmas", "Nama Puskesmas (atau kolom Kecamatan / Desa / Kode)", "PUSKESMAS CONTOH"),
    ("Periode", _COL["periode"].desc_id + " (boleh tidak ada: pakai opsi periode)", "2025-08"),
    ("Jumlah Balita Diukur", _COL["diukur"].desc_id, "350"),
    ("Pendek", _COL["pendek"].desc_id, "22"),
    ("Sangat Pendek", _COL["sangat_pendek"].desc_id, "8"),
    ("Stunting", _COL["stunting"].desc_id + " (boleh tidak ada)", "30"),
    ("Prevalensi", _COL["prevalensi"].desc_id + " (boleh tidak ada)", "8,6 %"),
)
_TEMPLATE_DESC = {d for _, d, _ in TEMPLATE}


# ---------------------------------------------------------------- options

def _problem(pesan: str, message: str, column: str | None = None) -> Problem:
    return Problem(None, column, pesan, message)


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
                    return {}, [_problem(f"opsi kolom '{piece}' harus berbentuk target=judul kolom, mis. diukur=\"Jml Ukur\"",
                                         f"option kolom '{piece}' must look like target=header, e.g. diukur=\"Jml Ukur\"")]
                k, _, val = piece.partition("=")
                items.append((k, val))
    out: dict[str, str] = {}
    for k, val in items:
        t = TARGETS.get(k.strip().lower().replace(" ", "_").replace("-", "_"))
        val = val.strip().strip('"').strip("'").strip()
        if t is None:
            return {}, [_problem(f"opsi kolom: target '{k.strip()}' tidak dikenal (pilihan: {', '.join(HEADERS)})",
                                 f"option kolom: unknown target '{k.strip()}' (choices: {', '.join(HEADERS)})")]
        if not val:
            return {}, [_problem(f"opsi kolom: judul kolom untuk '{t}' kosong", f"option kolom: empty header for '{t}'")]
        out[t] = val
    return out, []


def parse_periode(s: str | None) -> str | None:
    """'2025-08', '08/2025', 'Agustus 2025', 'Agt-25', '2025 Agustus', '2025-08-01', '01/08/2025' -> '2025-08'."""
    if s is None:
        return None
    t = s.strip().lower()
    m = re.fullmatch(r"(\d{4})[-/. ](\d{1,2})(?:[-/.]\d{1,2})?(?: 00:00(?::00)?)?", t)
    if m:
        y, mo = int(m[1]), int(m[2])
    else:
        m = re.fullmatch(r"(?:\d{1,2}[-/.])?(\d{1,2})[-/.](\d{4})", t)
        if m:
            y, mo = int(m[2]), int(m[1])
        else:
            m = re.fullmatch(r"([a-z]+)\.?[\s\-/]*'?(\d{2}|\d{4})", t) or None
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
    if s is None:
        return None
    t = s.strip().lower().rstrip(".")
    if t.isdigit() and 1 <= int(t) <= 12:
        return int(t)
    return BULAN.get(t)


# ---------------------------------------------------------------- headers

def match_headers(headers: list[str], kolom: dict[str, str]) -> tuple[dict[str, str], list[Problem]]:
    """target -> header as written in the file."""
    heads = [h for h in headers if h != "_row"]
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    used: set[str] = set()
    for t, want in kolom.items():
        hit = next((h for h in heads if h == want), None) or next((h for h in heads if hkey(h) == hkey(want)), None)
        if hit is None:
            problems.append(_problem(f"kolom '{want}' (opsi kolom {t}) tidak ada di file; kolom yang ada: "
                                     + ", ".join(heads[:30]),
                                     f"column '{want}' (option kolom {t}) is not in the file; columns: " + ", ".join(heads[:30]), want))
            continue
        mapping[t] = hit
        used.add(hit)
    keys = {h: hkey(h) for h in heads}
    for t, aliases in HEADERS.items():
        if t in mapping:
            continue
        for a in aliases:
            hits = [h for h in heads if keys[h] == a and h not in used]
            if hits:
                if len(hits) > 1:
                    problems.append(_problem(f"kolom '{hits[0]}' muncul {len(hits)} kali; hapus salah satunya atau pakai opsi kolom",
                                             f"column '{hits[0]}' appears {len(hits)} times; remove one or use option kolom", hits[0]))
                mapping[t] = hits[0]
                used.add(hits[0])
                break
    return mapping, problems


# ---------------------------------------------------------------- units

class Units:
    def __init__(self, con):
        self.areas = Areas(con)
        a = self.areas
        try:
            kab = db.get_meta(con, "kode_kab")
        except Exception:
            kab = None
        self.scope = [kab] if kab and kab in a.kecs else [k for k, _ in a.kabs]
        self.scope_label = a.kab_label(self.scope)
        self.pkm = [c for k in self.scope for c in a.puskesmas.get(k, [])]
        self.pkm_codes = {c for c, _ in self.pkm}
        self.kec = [c for k in self.scope for c in a.kecs.get(k, [])]
        self.kec_codes = {c for c, _ in self.kec}
        self.desa_by_kec = {kc: a.desas.get(kc, []) for kc, _ in self.kec}
        self.desa = [d for ds in self.desa_by_kec.values() for d in ds]
        self.desa_codes = {c for c, _ in self.desa}

    def by_code(self, kode: str, jenis: str | None) -> tuple[str | None, str | None]:
        k = kode.strip()
        d = v.dotted(k)
        shape = v.kode_shape(d)
        if jenis in (None, "puskesmas") and k in self.pkm_codes:
            return "puskesmas", k
        if jenis in (None, "kecamatan") and shape == "kecamatan" and d in self.kec_codes:
            return "kecamatan", d
        if jenis in (None, "desa") and shape == "desa" and d in self.desa_codes:
            return "desa", d
        return None, None


def _resolve(df: pl.DataFrame, ctx: v.Ctx, units: Units, jenis_opt: str | None, level_col: str | None) -> pl.DataFrame:
    """Add jenis_unit, kode_unit; problems for unknown units; total rows marked in `_total`."""
    out_jenis, out_kode, total = [], [], []
    cache: dict[tuple, tuple] = {}
    for r in df.iter_rows(named=True):
        key = (r.get("kode"), r.get(level_col) if level_col else None, r.get("kecamatan"))
        if key not in cache:
            cache[key] = _one_unit(ctx, units, jenis_opt, level_col, *key)
        jenis, kode, err, is_total = cache[key]
        if err:
            col, pid, pen, nilai = err
            ctx.problems.append(Problem(r["_row"], col, pid, pen, nilai=nilai))
        out_jenis.append(jenis)
        out_kode.append(kode)
        total.append(is_total)
    return df.with_columns(pl.Series("jenis_unit", out_jenis, dtype=pl.String), pl.Series("kode_unit", out_kode, dtype=pl.String),
                           pl.Series("_total", total, dtype=pl.Boolean))


def _one_unit(ctx: v.Ctx, u: Units, jenis_opt, level_col, kode, nama, kec_nama):
    """-> (jenis, kode, error (column, pesan, message, nilai) | None, is_total_row)."""
    if kode:
        jenis, k = u.by_code(kode, jenis_opt)
        if k:
            return jenis, k, None, False
        if nama is None:
            if _TOTAL.match(kode.strip()):
                return None, None, None, True
            return None, None, (ctx.col("kode"), f"kode unit '{kode}' tidak dikenal (bukan kode Puskesmas, kecamatan "
                                f"atau desa di {u.scope_label})", f"unknown unit code '{kode}' (not a Puskesmas, kecamatan "
                                f"or desa code in {u.scope_label})", kode), False
    if not nama:
        col = ctx.col(level_col) if level_col else None
        return None, None, (col, "nama unit kosong (wajib diisi)", "unit name is empty (required)", None), False
    level = jenis_opt or {"unit": "puskesmas", "puskesmas": "puskesmas", "kecamatan": "kecamatan", "desa": "desa"}[level_col]
    col = ctx.col(level_col)
    if level == "puskesmas":
        m = match_name(nama, u.pkm, key=faskes_key, fuzzy=False)
        if m.kode:
            return "puskesmas", m.kode, None, False
        if level_col == "unit" and not jenis_opt:  # 'Unit Kerja' may also list kecamatan
            mk = match_name(nama, u.kec, fuzzy=False)
            if mk.kode:
                return "kecamatan", mk.kode, None, False
        what_id, what_en = "Puskesmas", "Puskesmas"
    elif level == "kecamatan":
        m = match_name(nama, u.kec, fuzzy=False)
        if m.kode:
            return "kecamatan", m.kode, None, False
        what_id, what_en = "kecamatan", "kecamatan"
    else:
        cands = u.desa
        where_id = where_en = ""
        if kec_nama:
            mk = match_name(kec_nama, u.kec, fuzzy=False)
            if mk.kode is None:
                if _TOTAL.match(nama.strip()) or _TOTAL.match(kec_nama.strip()):
                    return None, None, None, True
                return None, None, (ctx.col("kecamatan"), f"kecamatan '{kec_nama}' tidak ditemukan di {u.scope_label}",
                                    f"kecamatan '{kec_nama}' not found in {u.scope_label}", kec_nama), False
            cands = u.desa_by_kec.get(mk.kode, [])
            where_id, where_en = f" kecamatan {mk.nama}", f" kecamatan {mk.nama}"
        m = match_name(nama, cands, fuzzy=False)
        if m.kode:
            return "desa", m.kode, None, False
        if m.how == "ambiguous":
            return None, None, (col, f"nama desa '{nama}' ada di lebih dari satu kecamatan; tambahkan kolom Kecamatan atau Kode",
                                f"desa name '{nama}' exists in more than one kecamatan; add a Kecamatan or Kode column", nama), False
        what_id, what_en = "desa/kelurahan", "desa/kelurahan"
        if where_id:
            if _TOTAL.match(nama.strip()):
                return None, None, None, True
            hint = f"; maksud Anda '{m.hint}'?" if m.hint else ""
            return None, None, (col, f"{what_id} '{nama}' tidak ditemukan di{where_id}{hint}",
                                f"{what_en} '{nama}' not found in{where_en}" + (f"; did you mean '{m.hint}'?" if m.hint else ""),
                                nama), False
    if _TOTAL.match(nama.strip()):
        return None, None, None, True
    hint_id = f"; maksud Anda '{m.hint}'?" if m.hint else ""
    hint_en = f"; did you mean '{m.hint}'?" if m.hint else ""
    src = "tabel faskes" if level == "puskesmas" else "tabel wilayah"
    return None, None, (col, f"{what_id} '{nama}' tidak ditemukan di {src} ({u.scope_label}){hint_id}",
                        f"{what_en} '{nama}' not found in the {src.split()[1]} table ({u.scope_label}){hint_en}", nama), False


# ---------------------------------------------------------------- parse

def _fmt_pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _inconsistency(r: dict) -> str | None:
    reasons = []
    ps = r["pendek"] + r["sangat_pendek"]
    if r["stunting"] is not None and ps != r["stunting"]:
        reasons.append(f"pendek + sangat pendek ({ps}) ≠ stunting dilaporkan ({r['stunting']})")
    if r["prevalensi"] is not None and r["diukur"]:
        calc = 100.0 * ps / r["diukur"]
        if abs(calc - r["prevalensi"]) > PREV_TOLERANCE + 1e-9:
            reasons.append(f"prevalensi dilaporkan ({_fmt_pct(r['prevalensi'])}%) ≠ (pendek + sangat pendek)/diukur "
                           f"({_fmt_pct(calc)}%)")
    if ps > r["diukur"]:
        reasons.append(f"pendek + sangat pendek ({ps}) > jumlah diukur ({r['diukur']})")
    return "; ".join(reasons) or None


def parse(src: Source, con) -> Parsed:
    options = dict(src.options or {})
    options.setdefault("name", src.name)
    kolom, probs = parse_kolom(options.get("kolom"))
    if probs:
        return Parsed(problems=probs)
    periode_opt = None
    if options.get("periode") not in (None, ""):
        periode_opt = parse_periode(str(options["periode"]))
        if periode_opt is None:
            return Parsed(problems=[_problem(f"opsi periode '{options['periode']}' tidak sah (pakai TTTT-BB, mis. 2025-08)",
                                             f"option periode '{options['periode']}' is not valid (use YYYY-MM, e.g. 2025-08)")])
    jenis_opt = None
    if options.get("jenis_unit") not in (None, ""):
        jenis_opt = JENIS.get(str(options["jenis_unit"]).strip().lower())
        if jenis_opt is None:
            return Parsed(problems=[_problem(f"opsi jenis_unit '{options['jenis_unit']}' tidak dikenal (puskesmas, kecamatan, desa)",
                                             f"unknown option jenis_unit '{options['jenis_unit']}' (puskesmas, kecamatan, desa)")])
    today = dt.date.today()
    options["expected"] = [a for al in HEADERS.values() for a in al] + list(kolom.values()) + [t[0] for t in TEMPLATE]
    try:
        raw = read_table(src.path, options)
    except ReadError as e:
        return Parsed(problems=[e.problem])
    notes: list[str] = []
    if options.get("_encoding") not in (None, "utf-8"):
        notes.append(f"file dibaca dengan encoding {options['_encoding']}")
    if options.get("_sheet"):
        notes.append(f"sheet '{options['_sheet']}' dibaca")
    mapping, problems = match_headers(raw.columns, kolom)
    ctx = v.Ctx(src=src, con=con, mapping=mapping, problems=problems, notes=notes, today=today)
    if jenis_opt and jenis_opt in mapping and "unit" not in kolom:
        level_col = jenis_opt
    else:
        level_col = next((t for t in UNIT_TARGETS if t in mapping and t != "kode"), None)
        if level_col == "kecamatan" and "desa" in mapping:
            level_col = "desa"
    if level_col is None and "kode" not in mapping:
        problems.append(_problem("kolom unit tidak ditemukan (Unit Kerja, Puskesmas, Kecamatan, Desa/Kelurahan atau Kode); "
                                 "pakai opsi kolom, mis. unit=\"Nama PKM\"",
                                 "no unit column found (Unit Kerja, Puskesmas, Kecamatan, Desa/Kelurahan or Kode); "
                                 "use option kolom, e.g. unit=\"Nama PKM\""))
    for t, label in (("diukur", "jumlah diukur (mis. 'Jumlah Yang Diukur', 'Balita Diukur TB')"),
                     ("pendek", "pendek (mis. 'Pendek', 'Balita Pendek')"),
                     ("sangat_pendek", "sangat pendek (mis. 'Sangat Pendek', 'Balita Sangat Pendek')")):
        if t not in mapping:
            problems.append(_problem(f"kolom {label} tidak ditemukan; pakai opsi kolom, mis. {t}=\"Judul Kolom\"",
                                     f"column for '{t}' not found; use option kolom, e.g. {t}=\"Header\"", t))
    has_period = "periode" in mapping or "bulan" in mapping
    if not has_period and periode_opt is None:
        problems.append(_problem("periode tidak ada di file (kolom Periode, atau Bulan dan Tahun); isi opsi periode, mis. 2025-08",
                                 "the file has no period (Periode, or Bulan and Tahun columns); set option periode, e.g. 2025-08"))
    if "bulan" in mapping and "periode" not in mapping and "tahun" not in mapping and periode_opt is None:
        problems.append(_problem("ada kolom Bulan tetapi tidak ada kolom Tahun; isi opsi periode (tahunnya dipakai), mis. 2025-08",
                                 "there is a Bulan column but no Tahun column; set option periode (its year is used), e.g. 2025-08"))
    if any(p.row is None for p in problems):
        return Parsed(problems=problems, notes=notes, rows_read=raw.height)
    unused = [h for h in raw.columns if h != "_row" and h not in set(mapping.values())]
    if unused:
        notes.append(f"kolom tidak dipakai: {', '.join(unused[:20])}" + (" ..." if len(unused) > 20 else ""))
    # template description row left in by the user
    desc = pl.Series([False] * raw.height)
    for h in mapping.values():
        desc = desc | raw[h].is_in(list(_TEMPLATE_DESC)).fill_null(False)
    if desc.any():
        notes.append(f"{int(desc.sum())} baris keterangan template dilewati")
        raw = raw.filter(~desc)
    # '-' means zero in many recaps
    dashes = 0
    for t in COUNT_COLS:
        if t in mapping:
            h = mapping[t]
            is_dash = raw[h].is_in(["-", "–", "—"]).fill_null(False)
            dashes += int(is_dash.sum())
            raw = raw.with_columns(pl.when(is_dash).then(pl.lit("0")).otherwise(pl.col(h)).alias(h))
    if dashes:
        notes.append(f"{dashes} sel berisi '-' dibaca sebagai 0")
    if raw.height == 0:
        return Parsed(problems=[_problem("file tidak berisi baris data", "the file holds no data rows")], notes=notes)
    # a total row whose label sits in another column ('No' = 'JUMLAH') and whose unit cell is empty
    unit_heads = [mapping[t] for t in UNIT_TARGETS if t in mapping]
    label_total = pl.all_horizontal([pl.col(h).is_null() for h in unit_heads]) & pl.any_horizontal(
        [pl.col(h).str.contains(r"(?i)^\s*(jumlah|total|grand ?total)\b").fill_null(False)
         for h in raw.columns if h != "_row"])
    total_label_rows = set(raw.filter(label_total)["_row"].to_list())
    cols = tuple(c for c in COLS if c.name in mapping)
    df, tprobs = v.typed_frame(raw, cols, mapping, today)
    for c in COLS:
        if c.name not in df.columns:
            df = df.with_columns(pl.lit(None, dtype={"int": pl.Int64, "float": pl.Float64}.get(c.kind, pl.String)).alias(c.name))
    units = Units(con)
    df = _resolve(df, ctx, units, jenis_opt, level_col)
    total_rows = set(df.filter(pl.col("_total"))["_row"].to_list()) | total_label_rows
    df = df.with_columns(pl.col("_total") | pl.col("_row").is_in(sorted(total_label_rows)))
    if total_rows:
        notes.append(f"{len(total_rows)} baris jumlah/total dilewati (baris {', '.join(map(str, sorted(total_rows)[:5]))})")
        tprobs = [p for p in tprobs if p.row not in total_rows]
        ctx.problems[:] = [p for p in ctx.problems if p.row not in total_rows]
        df = df.filter(~pl.col("_total"))
    ctx.problems.extend(tprobs)
    df = _periode(df, ctx, periode_opt, today)
    # prevalence written as a fraction (an Excel percent cell holds 0.086)
    prev = df.filter(pl.col("prevalensi").is_not_null() & (pl.col("diukur") > 0))
    if prev.height and prev["prevalensi"].max() <= 1.0 and (
            100.0 * (prev["pendek"] + prev["sangat_pendek"]) / prev["diukur"]).max() > 1.0:
        df = df.with_columns(pl.col("prevalensi") * 100.0)
        notes.append("kolom prevalensi berisi pecahan (sel Excel berformat %): dikali 100")
    v.check_duplicates(ctx, df.filter(pl.col("kode_unit").is_not_null() & pl.col("periode").is_not_null()),
                       ["periode", "jenis_unit", "kode_unit"])
    bad = v.bad_rows(ctx.problems)
    ok = df.filter(~pl.col("_row").is_in(sorted(bad))) if bad else df
    flags = [_inconsistency(r) for r in ok.select("diukur", "pendek", "sangat_pendek", "stunting", "prevalensi").iter_rows(named=True)]
    sumber = str(options.get("sumber") or f"rekap {safe_filename(src.name)}")[:200]
    out = ok.with_columns(pl.Series("flag_inkonsisten", flags, dtype=pl.String), pl.lit(sumber).alias("sumber")).select(
        "periode", "jenis_unit", "kode_unit",
        pl.col("diukur").cast(pl.Int32), pl.col("pendek").cast(pl.Int32), pl.col("sangat_pendek").cast(pl.Int32),
        pl.col("stunting").cast(pl.Int32).alias("stunting_lapor"), pl.col("prevalensi").alias("prevalensi_lapor"),
        "flag_inkonsisten", "sumber")
    n_flag = sum(1 for f in flags if f)
    if n_flag:
        notes.append(f"{n_flag} baris rekap tidak konsisten: tetap diimpor dengan keterangan di flag_inkonsisten")
    levels = out.group_by("jenis_unit").len().sort("jenis_unit").iter_rows()
    if out.height:
        notes.append("unit: " + ", ".join(f"{n} {j}" for j, n in levels) + "; periode: "
                     + ", ".join(sorted(set(out["periode"].to_list()))))
    ctx.problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    return Parsed(tables={"rekap_stunting": out}, problems=ctx.problems, rows_read=raw.height, rows_valid=out.height,
                  notes=notes)


def _periode(df: pl.DataFrame, ctx: v.Ctx, periode_opt: str | None, today: dt.date) -> pl.DataFrame:
    now = f"{today.year:04d}-{today.month:02d}"
    vals = []
    for r in df.iter_rows(named=True):
        p = None
        if ctx.has("periode") and r["periode"] is not None:
            p = parse_periode(r["periode"])
            if p is None:
                ctx.problems.append(Problem(r["_row"], ctx.col("periode"), f"periode '{r['periode']}' tidak dikenali (pakai TTTT-BB, mis. 2025-08)",
                                            f"period '{r['periode']}' not recognised (use YYYY-MM, e.g. 2025-08)", nilai=r["periode"]))
        elif ctx.has("bulan") and r["bulan"] is not None:
            b = parse_bulan(r["bulan"])
            y = r["tahun"] if r["tahun"] is not None else (int(periode_opt[:4]) if periode_opt else None)
            if b is None:
                ctx.problems.append(Problem(r["_row"], ctx.col("bulan"), f"bulan '{r['bulan']}' tidak dikenali (1–12 atau nama bulan)",
                                            f"month '{r['bulan']}' not recognised (1–12 or a month name)", nilai=r["bulan"]))
            elif y is None:
                ctx.problems.append(Problem(r["_row"], ctx.col("tahun"), "tahun kosong", "year is empty"))
            else:
                p = f"{y:04d}-{b:02d}"
        elif periode_opt:
            p = periode_opt
        else:
            col = ctx.col("periode") if ctx.has("periode") else ctx.col("bulan")
            ctx.problems.append(Problem(r["_row"], col, "periode kosong (wajib diisi, atau pakai opsi periode)",
                                        "period is empty (required, or use option periode)"))
        if p is not None and p > now:
            ctx.problems.append(Problem(r["_row"], ctx.col("periode") if ctx.has("periode") else ctx.col("bulan"),
                                        f"periode {p} belum berjalan (di masa depan)", f"period {p} is in the future", nilai=p))
        vals.append(p)
    return df.with_columns(pl.Series("periode", vals, dtype=pl.String))


KIND = ImportKind(
    name="rekap", title_id="Rekap stunting (agregat)", title_en="Stunting recap (aggregate)",
    tables=("rekap_stunting",), columns=TEMPLATE, parse=parse, extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
)
