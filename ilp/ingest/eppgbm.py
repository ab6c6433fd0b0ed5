"""e-PPGBM (Sigizi Terpadu) child measurement export -> `pengukuran` (one row per child per measurement date).

Reads the export as it comes out of e-PPGBM (.xlsx or .csv, ';' or ',', cp1252 or UTF-8):

    NIK | Nama | JK | Tgl Lahir | BB Lahir | TB Lahir | Nama Ortu | Prov | Kab/Kota | Kec | Pukesmas |
    Desa/Kel | Posyandu | RT | RW | Alamat | Usia Saat Ukur | Tanggal Pengukuran | Bulan Pengukuran |
    Status Bulan | status tahun | Berat | Tinggi | Cara Ukur | LiLA | BB/U | ZS BB/U | TB/U | ZS TB/U |
    BB/TB | ZS BB/TB | Naik Berat Badan | PMT Diterima (kg) | Jml Vit A | KPSP | KIA | Detail Status | status desa

(the header really says "Pukesmas"; "Puskesmas" is accepted too; the newer variant's extra columns
No KK, NIK Ortu, No HP, Usia Kehamilan, Lingkar Kepala Lahir, IMD, Kelas Ibu Balita, MBG are ignored).

Privacy: the NIK is replaced by `id_anak` = hex SHA-256(installation salt + NIK) before anything else
happens (ilp.privacy); names, parents, address, RT/RW, phone, No KK and NIK Ortu are dropped right
after reading. Messages show a NIK only masked ('3523xxxxxxxx0001').

Area names are matched to Kemendagri codes: Kab/Kota (if present) → Kec → Desa/Kel, by normalised
name (ilp.geo.normalise_name), then fuzzy (rapidfuzz, >= FUZZY_MIN and a clear winner, same digits)
inside the parent area; every fuzzy mapping is listed in the notes; an unmatched name rejects the row.
Puskesmas and Posyandu names are looked up in `faskes` (code left empty when not found, noted).

z-scores are recomputed with ilp.anthro (WHO 2006); the export's own `ZS TB/U` is kept as
zs_tbu_lapor and compared. Same child + same date twice in the file: the first row is kept.
Options: `sumber` = EPPGBM (default) | ASIK | SERENTAK_2024; `sheet`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from ilp import anthro
from ilp.geo import name_key
from ilp.ingest import validate as v
from ilp.ingest.base import ImportKind, Parsed, Problem, Source
from ilp.ingest.readers import norm_name
from ilp.ingest.validate import Col
from ilp.privacy import SaltError, hash_nik, installation_salt, mask_nik, nik_problem, normalise_nik

FUZZY_MIN = 85.0        # rapidfuzz ratio on the name key; also needs a clear winner and identical digits
FUZZY_MARGIN = 4.0      # best score must beat the runner-up by this much
ZS_TOLERANCE = 0.1      # |ZS TB/U (file) - HAZ (recomputed)| above this is counted
TINGGI_RANGE = (30.0, 140.0)   # schema CHECK: 30 < tinggi_cm < 140
BERAT_RANGE = (0.0, 60.0)      # schema CHECK: 0 < berat_kg < 60
SUMBER = {"eppgbm": "EPPGBM", "asik": "ASIK", "serentak2024": "SERENTAK_2024", "serentak": "SERENTAK_2024"}

JK = {"l": "1", "lakilaki": "1", "laki": "1", "1": "1", "m": "1",
      "p": "2", "perempuan": "2", "wanita": "2", "2": "2", "f": "2"}
CARA = {"berdiri": "H", "h": "H", "tb": "H", "standing": "H",
        "telentang": "L", "terlentang": "L", "berbaring": "L", "tidur": "L", "l": "L", "pb": "L", "lying": "L"}

# Columns whose content identifies a person: dropped right after reading (NIK after hashing).
PII_HEADERS = ("NIK", "Nama", "Nama Anak", "Nama Balita", "Nama Ortu", "Nama Orang Tua", "Nama Ibu", "Nama Ayah",
               "NIK Ortu", "NIK Ibu", "NIK Ayah", "No KK", "Nomor KK", "No HP", "Nomor HP", "No Telp", "Telepon",
               "Alamat", "RT", "RW", "Email")
_PII = {norm_name(h) for h in PII_HEADERS}
NIK_DESC = "NIK anak, 16 digit (tidak disimpan: diganti kode anonim)"

COLS = (
    Col("_id_anak", allow_empty=True),  # made by _prepare from NIK
    Col("jk", "choice", choices=JK, aliases=("JK", "Jenis Kelamin", "L/P"),
        choices_label=("L atau P", "L or P"), desc_id="Jenis kelamin: L / P", example="L"),
    Col("tgl_lahir", "date", not_future=True, aliases=("Tgl Lahir", "Tanggal Lahir"),
        desc_id="Tanggal lahir HH/BB/TTTT", example="15/01/2024"),
    Col("kab", required=False, aliases=("Kab/Kota", "Kabupaten/Kota", "Kabupaten", "Kota"),
        desc_id="Nama kabupaten/kota", example="KAB. UJI"),
    Col("kec", aliases=("Kec", "Kecamatan"), desc_id="Nama kecamatan", example="ALPHA"),
    Col("puskesmas", required=False, aliases=("Pukesmas", "Puskesmas", "Nama Puskesmas"),
        desc_id="Nama Puskesmas", example="PUSKESMAS ALPHA"),
    Col("desa", aliases=("Desa/Kel", "Desa/Kelurahan", "Desa", "Kelurahan"), desc_id="Nama desa/kelurahan", example="SATU"),
    Col("posyandu", required=False, aliases=("Posyandu", "Nama Posyandu"), desc_id="Nama Posyandu", example="POSYANDU SATU"),
    Col("tgl_ukur", "date", not_future=True, aliases=("Tanggal Pengukuran", "Tgl Pengukuran", "Tanggal Ukur", "Tgl Ukur"),
        desc_id="Tanggal pengukuran HH/BB/TTTT", example="10/02/2026"),
    Col("berat_kg", "float", allow_empty=True, aliases=("Berat", "BB", "Berat Badan"),
        desc_id="Berat badan, kg (koma desimal boleh)", example="10,5"),
    Col("tinggi_cm", "float", allow_empty=True, aliases=("Tinggi", "TB", "Tinggi Badan", "TB/PB", "PB/TB"),
        desc_id="Panjang/tinggi badan, cm", example="82,3"),
    Col("cara_ukur", "choice", required=False, allow_empty=True, choices=CARA, aliases=("Cara Ukur", "Posisi"),
        choices_label=("Berdiri atau Telentang", "Berdiri (standing) or Telentang (lying)"),
        desc_id="Berdiri / Telentang", example="Berdiri"),
    Col("zs_tbu", required=False, aliases=("ZS TB/U", "ZS TBU", "Z TB/U"), desc_id="z-score TB/U dari e-PPGBM", example="-1,25"),
)
_BY_NAME = {c.name: c for c in COLS}


def _c(header: str, col: str | None = None, desc: str = "", example: str = "") -> tuple[str, str, str]:
    if col:
        c = _BY_NAME[col]
        return (header, c.desc_id + ("" if c.required else " (boleh tidak ada)"), c.example)
    return (header, desc, example)


_IGN = "tidak dipakai (boleh kosong)"
_DROP = "tidak disimpan (dibuang saat impor; boleh kosong)"
TEMPLATE = (
    _c("NIK", desc=NIK_DESC, example="9999011501240001"),
    _c("Nama", desc=_DROP, example=""), _c("JK", "jk"), _c("Tgl Lahir", "tgl_lahir"),
    _c("BB Lahir", desc=_IGN), _c("TB Lahir", desc=_IGN), _c("Nama Ortu", desc=_DROP), _c("Prov", desc=_IGN, example="PROVINSI UJI"),
    _c("Kab/Kota", "kab"), _c("Kec", "kec"), _c("Pukesmas", "puskesmas"), _c("Desa/Kel", "desa"), _c("Posyandu", "posyandu"),
    _c("RT", desc=_DROP), _c("RW", desc=_DROP), _c("Alamat", desc=_DROP), _c("Usia Saat Ukur", desc=_IGN + "; umur dihitung dari tanggal"),
    _c("Tanggal Pengukuran", "tgl_ukur"), _c("Bulan Pengukuran", desc=_IGN, example="Februari"),
    _c("Berat", "berat_kg"), _c("Tinggi", "tinggi_cm"), _c("Cara Ukur", "cara_ukur"), _c("ZS TB/U", "zs_tbu"),
)
_EXPECTED = ["NIK", "Nama", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "RT", "RW", "Alamat", "Usia Saat Ukur",
             "Bulan Pengukuran", "Status Bulan", "status tahun", "LiLA", "BB/U", "ZS BB/U", "TB/U", "BB/TB",
             "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Detail Status", "status desa"]
_KNOWN = {norm_name(s) for c in COLS for s in c.spellings()}


# ---------------------------------------------------------------- name matching (shared with rekap)

_FASKES_WORDS = {"uptd", "upt", "blud", "puskesmas", "pkm", "pusk", "puskes", "posyandu", "pos", "psy", "yandu"}


def faskes_key(nama) -> str:
    """'UPTD Puskesmas Alpha' / 'PKM ALPHA' -> 'alpha'; 'Posyandu Melati 1' -> 'melati1'."""
    words = re.sub(r"[^a-z0-9]+", " ", (str(nama or "")).lower()).split()
    while len(words) > 1 and words[0] in _FASKES_WORDS:
        words = words[1:]
    return name_key(" ".join(words))


@dataclass(frozen=True)
class Match:
    kode: str | None
    nama: str | None = None
    score: float = 0.0
    how: str = ""             # 'exact' | 'fuzzy' | 'ambiguous' | 'none'
    others: tuple[str, ...] = ()   # ambiguous: the names that tied
    hint: str | None = None   # best candidate below the threshold (for 'maksud Anda ...?')


def match_name(name: str | None, candidates: list[tuple[str, str]], key=name_key, fuzzy: bool = True) -> Match:
    """Match `name` among (kode, nama) candidates: exact on the key, else a clear fuzzy winner."""
    k = key(name)
    if not k:
        return Match(None, how="none")
    exact = [(c, n) for c, n in candidates if key(n) == k]
    codes = {c for c, _ in exact}
    if len(codes) == 1:
        return Match(exact[0][0], exact[0][1], 100.0, "exact")
    if len(codes) > 1:
        return Match(None, how="ambiguous", others=tuple(sorted({n for _, n in exact})))
    from rapidfuzz import fuzz
    scored = sorted(((fuzz.ratio(k, key(n)), c, n) for c, n in candidates), key=lambda t: -t[0])
    if not scored:
        return Match(None, how="none")
    best = scored[0]
    hint = best[2] if best[0] >= 60 else None
    if not fuzzy:
        return Match(None, how="none", hint=hint)
    same_digits = re.findall(r"\d+", k) == re.findall(r"\d+", key(best[2]))
    clear = len(scored) == 1 or scored[1][0] <= best[0] - FUZZY_MARGIN
    if best[0] >= FUZZY_MIN and same_digits and clear:
        return Match(best[1], best[2], round(best[0]), "fuzzy")
    return Match(None, how="none", hint=hint)


class Areas:
    """Wilayah and faskes names of the database, loaded once per file."""

    def __init__(self, con):
        cur = con.cursor()
        try:
            w = cur.execute("select kode, level, nama, parent, kode_kab, kode_kec from wilayah "
                            "where level in ('kabkota', 'kecamatan', 'desa')").fetchall()
            f = cur.execute("select kode_faskes, nama, jenis, kode_kec, kode_desa, aturan_lokasi, sumber from faskes "
                            "where jenis in ('puskesmas', 'posyandu') and aktif").fetchall()
        finally:
            cur.close()
        self.names = {kode: nama for kode, _, nama, *_ in w}
        self.kecs: dict[str, list[tuple[str, str]]] = {}
        self.desas: dict[str, list[tuple[str, str]]] = {}
        self.kab_of_kec: dict[str, str] = {}
        for kode, level, nama, parent, kode_kab, kode_kec in w:
            if level == "kecamatan":
                kab = kode_kab or parent
                self.kecs.setdefault(kab, []).append((kode, nama))
                self.kab_of_kec[kode] = kab
            elif level == "desa":
                self.desas.setdefault(kode_kec or parent, []).append((kode, nama))
        self.kabs = [(kode, nama) for kode, level, nama, *_ in w if level == "kabkota" and kode in self.kecs]
        self.puskesmas: dict[str, list[tuple[str, str]]] = {}   # kab -> [(kode_faskes, nama)]
        self.posyandu: dict[str, list[tuple[str, str]]] = {}    # desa -> [(kode_faskes, nama)]
        self.pkm_kec: dict[str, str] = {}       # Puskesmas kode_faskes -> kode_kec
        self.pkm_rekap: set[str] = set()        # Puskesmas created from a stunting recap (aturan_lokasi 'rekap')
        self.pkm_sumber: dict[str, str] = {}
        self.pkm_all: list[tuple[str, str]] = []
        for kode, nama, jenis, kode_kec, kode_desa, aturan, sumber in f:
            if jenis == "puskesmas":
                self.puskesmas.setdefault(self.kab_of_kec.get(kode_kec, ""), []).append((kode, nama))
                self.pkm_kec[kode] = kode_kec
                self.pkm_sumber[kode] = sumber
                self.pkm_all.append((kode, nama))
                if aturan == "rekap":
                    self.pkm_rekap.add(kode)
            elif kode_desa:
                self.posyandu.setdefault(kode_desa, []).append((kode, nama))

    def kab_label(self, kabs: list[str]) -> str:
        return " / ".join(self.names.get(k, k) for k in kabs) or "data wilayah"


# ---------------------------------------------------------------- parse

def numeric_nik_rows(path, options: dict | None = None) -> set[int]:
    """Excel rows (1-based) whose NIK cell is a number rather than text (.xlsx only; best effort).

    Excel keeps 15 significant digits: a 16-digit NIK typed or pasted as a number gets its last digit
    set to 0, and a number above 2^53 cannot even be held by a double. Hashing such a NIK would
    silently merge different children, so _prepare rejects those rows (see there)."""
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return set()
        import python_calamine as pc
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            want = (options or {}).get("sheet")
            names = wb.sheet_names
            if want in (None, ""):
                sh = wb.get_sheet_by_index(0)
            elif str(want) in names:
                sh = wb.get_sheet_by_name(str(want))
            elif str(want).isdigit():
                sh = wb.get_sheet_by_index(int(want) - 1)
            else:
                low = {n.lower().strip(): n for n in names}
                sh = wb.get_sheet_by_name(low[str(want).lower().strip()])
            r0, c0 = sh.start if sh.start else (0, 0)
            col = None
            out: set[int] = set()
            for i, r in enumerate(sh.iter_rows()):
                if col is None:
                    if i > 20:
                        return set()
                    hits = [j for j, x in enumerate(r) if isinstance(x, str) and x.strip().upper() == "NIK"]
                    col = hits[0] if hits else None
                    continue
                if col < len(r) and isinstance(r[col], (int, float)) and not isinstance(r[col], bool):
                    out.add(r0 + i + 1)
            return out
        finally:
            wb.close()
    except Exception:
        return set()


def _prepare(raw: pl.DataFrame, ctx: v.Ctx) -> pl.DataFrame:
    """Hash the NIK into `_id_anak` (masked problems for invalid ones) and drop every identifying column."""
    heads = [h for h in raw.columns if h != "_row"]
    base = {h: norm_name(re.sub(r" \(\d+\)$", "", h)) for h in heads}
    nik_cols = [h for h in heads if base[h] in ("nik", "nikanak", "nikbalita")]
    if not nik_cols:
        ctx.problems.append(Problem(None, "NIK", "kolom 'NIK' tidak ada (dibutuhkan untuk kode anonim anak)",
                                    "column 'NIK' is missing (needed for the anonymous child id)"))
        return raw.select("_row")
    if len(nik_cols) > 1:
        ctx.problems.append(Problem(None, nik_cols[0], f"kolom 'NIK' muncul {len(nik_cols)} kali; hapus salah satunya",
                                    f"column 'NIK' appears {len(nik_cols)} times; remove the extra one"))
        return raw.select("_row")
    nik = nik_cols[0]
    desc = raw[nik] == NIK_DESC
    if desc.any():
        ctx.notes.append(f"{int(desc.sum())} baris keterangan template dilewati")
        raw = raw.filter(~desc.fill_null(False))
    try:
        salt = installation_salt()
    except SaltError as e:
        ctx.problems.append(Problem(None, None, e.pesan, e.message))
        return raw.select("_row")
    ids: list[str | None] = []
    cache: dict[str, str | None] = {}
    numeric = numeric_nik_rows(ctx.src.path, ctx.src.options)
    n_numeric = 0
    for row, val in zip(raw["_row"].to_list(), raw[nik].to_list()):
        if row in numeric and val:
            n_numeric += 1
        if row in numeric and val and (val.endswith("0") or not val.isdigit() or int(val) > 2**53):
            ctx.problems.append(Problem(
                row, nik, "NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya mungkin hilang (Excel hanya "
                "menyimpan 15 digit); format kolom NIK sebagai Teks lalu ekspor/isi ulang",
                "NIK is stored as a number in Excel, so its last digit may be lost (Excel keeps 15 digits); "
                "format the NIK column as Text and export again", nilai=mask_nik(val)))
            ids.append(None)
            continue
        if val in cache:
            h = cache[val]
        else:
            n = normalise_nik(val)
            h = cache[val] = hash_nik(n, salt) if n else None
        if h is None:
            why = nik_problem(val)
            ctx.problems.append(Problem(row, nik, why[0], why[1], nilai=mask_nik(val) if val else None))
        ids.append(h)
    cache.clear()
    if n_numeric:
        ctx.notes.append(f"{n_numeric} NIK tersimpan sebagai angka (bukan teks) di Excel; yang berakhiran 0 ditolak karena "
                         "digit terakhirnya mungkin hilang — sebaiknya format kolom NIK sebagai Teks")
    dropped = [h for h in heads if base[h] in _PII or h == nik]
    keep = [h for h in heads if base[h] in _KNOWN and base[h] not in _PII and base[h] != "idanak"]
    other = len(heads) - len(dropped) - len(keep)
    note = "data identitas tidak disimpan: NIK diganti kode anonim (hash bersalt)"
    gone = [h for h in dropped if h != nik]
    if gone:
        note += "; kolom " + ", ".join(gone) + " dibuang"
    ctx.notes.append(note)
    if other:
        ctx.notes.append(f"{other} kolom lain tidak dipakai (status gizi dan z-score dihitung ulang dari data mentah)")
    return raw.select("_row", *keep).with_columns(pl.Series("_id_anak", ids, dtype=pl.String))


def _sumber(options: dict) -> tuple[str | None, Problem | None]:
    raw = options.get("sumber")
    if raw in (None, ""):
        return "EPPGBM", None
    s = SUMBER.get(norm_name(str(raw)))
    if s is None:
        return None, Problem(None, None, f"opsi sumber '{raw}' tidak dikenal (pilihan: EPPGBM, ASIK, SERENTAK_2024)",
                             f"unknown option sumber '{raw}' (choices: EPPGBM, ASIK, SERENTAK_2024)")
    return s, None


def _fmt_num(x: float) -> str:
    return (f"{x:g}").replace(".", ",")


def _match_areas(df: pl.DataFrame, ctx: v.Ctx, areas: Areas) -> pl.DataFrame:
    """Add kode_desa / _kode_kab (null where rejected); problems on Kab/Kota, Kec or Desa/Kel."""
    combos = df.select("kab", "kec", "desa").unique().filter(pl.col("kec").is_not_null() & pl.col("desa").is_not_null())
    result: dict[tuple, tuple[str | None, str | None, str | None, tuple | None]] = {}
    fuzzy_lines: dict[str, None] = {}
    kab_cache: dict[str | None, tuple[list[str], Match | None]] = {}
    for kab, kec, desa in combos.iter_rows():
        if kab not in kab_cache:
            if kab:
                m = match_name(kab, areas.kabs)
                kab_cache[kab] = ([m.kode] if m.kode else [], m)
                if m.how == "fuzzy":
                    fuzzy_lines[f'Kab/Kota "{kab}" → {m.kode} {m.nama} (fuzzy {m.score:.0f})'] = None
            else:
                kab_cache[kab] = ([k for k, _ in areas.kabs], None)
        kabs, km = kab_cache[kab]
        if kab and not kabs:
            loaded = ", ".join(n for _, n in areas.kabs) or "belum ada"
            result[(kab, kec, desa)] = (None, None, None, (
                "kab", f"kabupaten/kota '{kab}' tidak ada di data wilayah yang dimuat ({loaded}); impor wilayahnya dulu",
                f"kab/kota '{kab}' is not in the loaded area data ({loaded}); import its areas first", kab))
            continue
        kec_cands = [c for k in kabs for c in areas.kecs.get(k, [])]
        mk = match_name(kec, kec_cands)
        if mk.kode is None:
            where = areas.kab_label(kabs)
            if mk.how == "ambiguous":
                err = ("kec", f"kecamatan '{kec}' ada di lebih dari satu kabupaten/kota ({where}); isi kolom Kab/Kota",
                       f"kecamatan '{kec}' exists in more than one kab/kota ({where}); fill in Kab/Kota", kec)
            else:
                hint = f"; maksud Anda '{mk.hint}'?" if mk.hint else ""
                err = ("kec", f"kecamatan '{kec}' tidak ditemukan di {where}{hint}",
                       f"kecamatan '{kec}' not found in {where}" + (f"; did you mean '{mk.hint}'?" if mk.hint else ""), kec)
            result[(kab, kec, desa)] = (None, None, None, err)
            continue
        if mk.how == "fuzzy":
            fuzzy_lines[f'Kecamatan "{kec}" → {mk.kode} {mk.nama} (fuzzy {mk.score:.0f})'] = None
        md = match_name(desa, areas.desas.get(mk.kode, []))
        if md.kode is None:
            kab_of = areas.kab_of_kec.get(mk.kode)
            elsewhere = sorted({areas.names.get(kc, kc) for kc, _ in areas.kecs.get(kab_of, [])
                                if kc != mk.kode and any(name_key(n) == name_key(desa) for _, n in areas.desas.get(kc, []))})
            if md.how == "ambiguous":
                pid = f"nama desa/kelurahan '{desa}' dipakai lebih dari satu desa di kecamatan {mk.nama}"
                pen = f"desa/kelurahan name '{desa}' is used by more than one desa in kecamatan {mk.nama}"
            else:
                pid = f"desa/kelurahan '{desa}' tidak ditemukan di kecamatan {mk.nama}"
                pen = f"desa/kelurahan '{desa}' not found in kecamatan {mk.nama}"
                if elsewhere:
                    pid += f" (nama itu ada di kecamatan {', '.join(elsewhere)}: periksa kolom Kec)"
                    pen += f" (that name exists in kecamatan {', '.join(elsewhere)}: check the Kec column)"
                elif md.hint:
                    pid += f"; maksud Anda '{md.hint}'?"
                    pen += f"; did you mean '{md.hint}'?"
            result[(kab, kec, desa)] = (None, None, None, ("desa", pid, pen, desa))
            continue
        if md.how == "fuzzy":
            fuzzy_lines[f'Desa "{desa}" → {md.kode} {md.nama} (fuzzy {md.score:.0f})'] = None
        result[(kab, kec, desa)] = (md.kode, mk.kode, areas.kab_of_kec.get(mk.kode), None)
    ctx.notes.extend(fuzzy_lines)
    rows = [(k[0], k[1], k[2], r[0], r[2], r[3][0] if r[3] else None, r[3][1] if r[3] else None,
             r[3][2] if r[3] else None) for k, r in result.items()]
    look = pl.DataFrame(rows, schema={"kab": pl.String, "kec": pl.String, "desa": pl.String, "kode_desa": pl.String,
                                      "_kode_kab": pl.String, "_err_col": pl.String, "_err_id": pl.String,
                                      "_err_en": pl.String}, orient="row")
    df = df.join(look, on=["kab", "kec", "desa"], how="left", nulls_equal=True)
    bad = df.filter(pl.col("_err_col").is_not_null())
    for r in bad.select("_row", "_err_col", "_err_id", "_err_en", "kab", "kec", "desa").iter_rows(named=True):
        ctx.problems.append(Problem(r["_row"], ctx.col(r["_err_col"]), r["_err_id"], r["_err_en"], nilai=r[r["_err_col"]]))
    return df.drop("_err_col", "_err_id", "_err_en")


def _match_faskes(df: pl.DataFrame, ctx: v.Ctx, areas: Areas) -> pl.DataFrame:
    """kode_puskesmas from the Pukesmas name (within the kab), kode_posyandu from the Posyandu name (within the desa)."""
    pk_map: dict[tuple, str | None] = {}
    pk_missing: dict[str, int] = {}
    for kab, nama, n in df.filter(pl.col("puskesmas").is_not_null() & pl.col("_kode_kab").is_not_null()).group_by(
            "_kode_kab", "puskesmas").len().iter_rows():
        m = match_name(nama, areas.puskesmas.get(kab, []), key=faskes_key, fuzzy=False)
        pk_map[(kab, nama)] = m.kode
        if m.kode is None:
            pk_missing[nama] = pk_missing.get(nama, 0) + n
    py_map: dict[tuple, str | None] = {}
    py_missing = 0
    for desa, nama, n in df.filter(pl.col("posyandu").is_not_null() & pl.col("kode_desa").is_not_null()).group_by(
            "kode_desa", "posyandu").len().iter_rows():
        m = match_name(nama, areas.posyandu.get(desa, []), key=faskes_key, fuzzy=False)
        py_map[(desa, nama)] = m.kode
        if m.kode is None:
            py_missing += n
    pk = pl.DataFrame([(k[0], k[1], c) for k, c in pk_map.items()], orient="row",
                      schema={"_kode_kab": pl.String, "puskesmas": pl.String, "kode_puskesmas": pl.String})
    py = pl.DataFrame([(k[0], k[1], c) for k, c in py_map.items()], orient="row",
                      schema={"kode_desa": pl.String, "posyandu": pl.String, "kode_posyandu": pl.String})
    df = df.join(pk, on=["_kode_kab", "puskesmas"], how="left").join(py, on=["kode_desa", "posyandu"], how="left")
    for nama, n in sorted(pk_missing.items()):
        ctx.notes.append(f"Puskesmas '{nama}' tidak ditemukan di tabel faskes: kode Puskesmas dikosongkan ({n} baris)")
    if py_missing:
        ctx.notes.append(f"{py_missing} baris: nama Posyandu tidak ditemukan di tabel faskes untuk desanya; "
                         "kode Posyandu dikosongkan")
    return df


def _zs_lapor(values: list[str | None]) -> tuple[list[float | None], int]:
    out, bad = [], 0
    for s in values:
        if s is None:
            out.append(None)
            continue
        x, err = v.parse_number(s)
        if err or x is None or abs(x) > 99:
            bad += 1
            out.append(None)
        else:
            out.append(float(x))
    return out, bad


OUT_COLS = ["_row", "id_anak", "jk", "tgl_lahir", "tgl_ukur", "berat_kg", "tinggi_cm", "cara_ukur", "kode_desa",
            "kode_posyandu", "kode_puskesmas", "zs_tbu_lapor", "umur_hari", "haz", "waz", "whz", "baz",
            "flag_haz", "flag_waz", "flag_whz", "flag_baz", "sumber"]


def _build(df: pl.DataFrame, ctx: v.Ctx, areas: Areas, sumber: str) -> dict[str, pl.DataFrame]:
    df = df.rename({"_id_anak": "id_anak"}).with_columns(pl.col("jk").cast(pl.Int8))
    lo, hi = TINGGI_RANGE
    ctx.flag(df.filter(pl.col("tinggi_cm").is_not_null() & ((pl.col("tinggi_cm") <= lo) | (pl.col("tinggi_cm") >= hi))),
             "tinggi_cm", "tinggi {tinggi_cm} cm di luar rentang 30–140 cm", "height {tinggi_cm} cm outside the range 30–140 cm")
    lo, hi = BERAT_RANGE
    ctx.flag(df.filter(pl.col("berat_kg").is_not_null() & ((pl.col("berat_kg") <= lo) | (pl.col("berat_kg") >= hi))),
             "berat_kg", "berat {berat_kg} kg di luar rentang 0–60 kg", "weight {berat_kg} kg outside the range 0–60 kg")
    ctx.flag(df.filter(pl.col("tinggi_cm").is_null() & pl.col("berat_kg").is_null()), "tinggi_cm",
             "berat dan tinggi kosong: tidak ada hasil pengukuran", "weight and height are both empty: no measurement")
    v.check_date_order(ctx, df, "tgl_lahir", "tgl_ukur", "tanggal lahir", "birth date")
    df = _match_areas(df, ctx, areas)
    df = _match_faskes(df, ctx, areas)
    zs, zs_bad = _zs_lapor(df["zs_tbu"].to_list())
    df = df.with_columns(pl.Series("zs_tbu_lapor", zs, dtype=pl.Float64))
    z = anthro.zscores(df.select(pl.col("jk").alias("sex"), pl.col("tgl_lahir").alias("birth_date"),
                                 pl.col("tgl_ukur").alias("measure_date"), pl.col("tinggi_cm").alias("height_cm"),
                                 pl.col("berat_kg").alias("weight_kg"), pl.col("cara_ukur").alias("position")))
    df = df.with_columns(
        z["age_days"].alias("umur_hari"),
        *[z[k] for k in anthro.INDICATORS],
        *[z[f"flag_{k}"].cast(pl.Int8) for k in anthro.INDICATORS],
        pl.lit(sumber, dtype=pl.String).alias("sumber"),
    )
    # duplicates: same child, same date -> the first (valid) row is kept; not a rejection
    bad = v.bad_rows(ctx.problems)
    ok = df.filter(~pl.col("_row").is_in(sorted(bad))) if bad else df
    dup_mask = ok.select(pl.struct("id_anak", "tgl_ukur").is_first_distinct().not_()).to_series()
    n_dup = int(dup_mask.sum())
    out = ok.filter(~dup_mask)
    if n_dup:
        ctx.notes.append(f"{n_dup} baris duplikat (anak dan Tanggal Pengukuran sama) dilewati; baris pertama yang dipakai")
    _quality_notes(out, ctx, zs_bad)
    return {"pengukuran": out.select(OUT_COLS)}


def _quality_notes(out: pl.DataFrame, ctx: v.Ctx, zs_bad: int) -> None:
    if out.height == 0:
        return
    old = out.filter(pl.col("umur_hari") >= 60 * anthro.DAYS_PER_MONTH).height
    if old:
        ctx.notes.append(f"{old} baris: anak berumur 60 bulan atau lebih saat diukur — diimpor tanpa z-score "
                         "(tidak dihitung dalam prevalensi balita)")
    flagged = out.filter(pl.col("flag_haz") == 1).height
    if flagged:
        ctx.notes.append(f"{flagged} baris dengan TB/U tidak wajar (|z| > 6, aturan WHO): disimpan, tidak dihitung dalam prevalensi")
    both = out.filter(pl.col("zs_tbu_lapor").is_not_null() & pl.col("haz").is_not_null())
    diff = both.filter((pl.col("zs_tbu_lapor") - pl.col("haz")).abs() > ZS_TOLERANCE).height
    if both.height:
        ctx.notes.append(f"mutu data: ZS TB/U dari e-PPGBM berbeda lebih dari {_fmt_num(ZS_TOLERANCE)} dari z-score "
                         f"WHO hitungan ulang pada {diff} dari {both.height} baris")
    if zs_bad:
        ctx.notes.append(f"{zs_bad} nilai ZS TB/U bukan angka: diabaikan (hanya untuk pembanding mutu)")
    multi = out.group_by("id_anak").agg(pl.col("tgl_lahir").n_unique().alias("a"), pl.col("jk").n_unique().alias("b")
                                        ).filter((pl.col("a") > 1) | (pl.col("b") > 1)).height
    if multi:
        ctx.notes.append(f"{multi} NIK muncul dengan tanggal lahir atau jenis kelamin berbeda (NIK ganda?): periksa di e-PPGBM")


def parse(src: Source, con) -> Parsed:
    sumber, prob = _sumber(src.options or {})
    if prob:
        return Parsed(problems=[prob])
    areas = Areas(con)
    if not areas.kabs:
        return Parsed(problems=[Problem(None, None, "tabel wilayah belum berisi kecamatan dan desa; impor wilayah dulu",
                                        "the wilayah table has no kecamatan/desa yet; import wilayah first")])
    return v.parse_tabular(src, con, COLS, lambda df, ctx: _build(df, ctx, areas, sumber), prepare=_prepare,
                           expected=_EXPECTED)


KIND = ImportKind(
    name="eppgbm", title_id="Pengukuran balita (ekspor e-PPGBM)", title_en="Child measurements (e-PPGBM export)",
    tables=("pengukuran",), columns=TEMPLATE, parse=parse, extensions=(".csv", ".xlsx", ".xlsm", ".txt", ".tsv"),
    keep_raw=False,  # NIK and names must never be stored, not even in the kept upload
)
