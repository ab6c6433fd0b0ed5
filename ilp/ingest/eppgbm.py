"""e-PPGBM (Sigizi Terpadu) child measurement export -> `pengukuran` (one row per child per measurement date).

Reads the export as it comes out of e-PPGBM (.xlsx, .xls or .csv, ';' or ',', cp1252 or UTF-8):

    NIK | Nama | JK | Tgl Lahir | BB Lahir | TB Lahir | Nama Ortu | Prov | Kab/Kota | Kec | Pukesmas |
    Desa/Kel | Posyandu | RT | RW | Alamat | Usia Saat Ukur | Tanggal Pengukuran | Bulan Pengukuran |
    Status Bulan | status tahun | Berat | Tinggi | Cara Ukur | LiLA | BB/U | ZS BB/U | TB/U | ZS TB/U |
    BB/TB | ZS BB/TB | Naik Berat Badan | PMT Diterima (kg) | Jml Vit A | KPSP | KIA | Detail Status | status desa

(the header really says "Pukesmas"; "Puskesmas" is accepted too; Tanggal Pengukuran DD/MM/YYYY, comma
decimals, Cara Ukur "Berdiri"/"Telentang"; the newer variant's extra columns No KK, NIK Ortu, No HP,
Usia Kehamilan, Lingkar Kepala Lahir, IMD, Kelas Ibu Balita, MBG are ignored).

Privacy: the NIK is replaced by `id_anak` = hex SHA-256(installation salt + NIK) before anything else
happens (ilp.privacy); names, parents, address, RT/RW, phone, No KK and NIK Ortu are dropped right
after reading. Messages show a NIK only masked ('3523xxxxxxxx0001').

A child without a usable NIK (empty, '-', zeros, an impossible structure, a NIK Excel turned into a
number) is a real child and is counted: its id is derived at import from what identifies it in the file
(name, birth date, sex, desa, parent name; normalised) through the same salted hash, prefixed 'psd-' so
it can never equal a NIK-based id (ilp.privacy.pseudonymous_id). The row is flagged (a note naming the
row), and the number of such children is a data-quality figure in the notes. NIK structure is a quality
check, never a reason to drop a measurement.

'Usia Saat Ukur' ('2 Tahun - 3 Bulan - 18 Hari') is parsed: when the birth date is missing the birth date
is derived from it and the measurement date (flagged); otherwise it is a cross-check of the age (rows
where the two disagree by more than USIA_TOLERANCE_DAYS are counted in the notes).

Area names are matched to Kemendagri codes: Kab/Kota (if present) → Kec → Desa/Kel, by normalised
name (ilp.names.name_key), then fuzzy (rapidfuzz, >= FUZZY_MIN and a clear winner, same digits)
inside the parent area; every fuzzy mapping is listed in the notes; an unmatched name rejects the row.
Puskesmas and Posyandu names are looked up in `faskes` (code left empty when not found, noted).

z-scores are recomputed with ilp.anthro (WHO 2006); the export's own `ZS TB/U` is kept as
zs_tbu_lapor and compared. Same child + same date twice in the file: the first row is kept.
Options (declared on KIND): `sumber` = EPPGBM (default) | ASIK | SERENTAK_2024.
"""
from __future__ import annotations

import re

import polars as pl

from ilp import anthro
from ilp.ingest.areas import Areas, Match, match_name
from ilp.ingest.base import ImportKind, Msg, Option, Parsed, Problem, Source
from ilp.ingest.columns import Col, description_texts
from ilp.ingest.identitas import birth_from_usia, check_salt, mask_identity, parse_usia  # noqa: F401 (parse_usia)
from ilp.ingest.lookups import check_date_order
from ilp.ingest.tabular import Ctx, bad_rows, fmt_value, parse_date, parse_number, parse_tabular
from ilp.names import BERAT_KG, CARA_UKUR, JK, TINGGI_CM, facility_key, header_key, name_key, normalise_name
from ilp.privacy import META_KEY, SaltError, hash_nik, installation_salt, mask_nik, nik_problem, normalise_nik, pseudonymous_id

ZS_TOLERANCE = 0.1      # |ZS TB/U (file) - HAZ (recomputed)| above this is counted
USIA_TOLERANCE_DAYS = 3  # 'Usia Saat Ukur' vs the age from Tgl Lahir and Tanggal Pengukuran
MIN_YEAR = 2000          # a balita in an e-PPGBM export (2017 on) was not born, nor measured, before this year
ROWS_LISTED = 20        # flagged rows named one by one in the notes (the count is always given)
SUMBER = {"eppgbm": "EPPGBM", "asik": "ASIK", "serentak2024": "SERENTAK_2024", "serentak": "SERENTAK_2024"}

# Columns whose content identifies a person: dropped right after reading (NIK after hashing).
PII_HEADERS = ("NIK", "Nama", "Nama Anak", "Nama Balita", "Nama Ortu", "Nama Orang Tua", "Nama Ibu", "Nama Ayah",
               "NIK Ortu", "NIK Ibu", "NIK Ayah", "No KK", "Nomor KK", "No HP", "Nomor HP", "No Telp", "Telepon",
               "Alamat", "RT", "RW", "Email")
_PII = {header_key(h) for h in PII_HEADERS}
NIK_HEADERS = ("NIK", "NIK Anak", "NIK Balita")
NAMA_HEADERS = ("Nama", "Nama Anak", "Nama Balita")
ORTU_HEADERS = ("Nama Ortu", "Nama Orang Tua", "Nama Ibu", "Nama Ayah")
NIK_DESC = Msg("impor.tata_letak.eppgbm.nik")

COLS = (
    Col("_id_anak", allow_empty=True),                 # made by _prepare from the NIK (or the pseudonymous id)
    Col("_nik_flag", required=False, allow_empty=True),   # _prepare: why the NIK was not usable (a key), else empty
    Col("_anonim", required=False, allow_empty=True),     # _prepare: '1' = no usable NIK and no name nor parent name
    Col("jk", "choice", choices={k: str(v) for k, v in JK.items()}, aliases=("JK", "Jenis Kelamin", "L/P"),
        choices_label="eppgbm.pilihan.jk", desc="impor.tata_letak.eppgbm.jk", example="L"),
    Col("tgl_lahir", "date", allow_empty=True, not_future=True, min_year=MIN_YEAR, aliases=("Tgl Lahir", "Tanggal Lahir"),
        desc="impor.tata_letak.eppgbm.tgl_lahir", example="15/01/2024"),
    Col("usia_ukur", required=False, allow_empty=True, aliases=("Usia Saat Ukur", "Umur Saat Ukur", "Usia Ukur"),
        desc="impor.tata_letak.eppgbm.usia_ukur", example="2 Tahun - 0 Bulan - 26 Hari"),
    Col("kab", required=False, aliases=("Kab/Kota", "Kabupaten/Kota", "Kabupaten", "Kota"),
        desc="impor.tata_letak.eppgbm.kab", example="KAB. UJI"),
    Col("kec", aliases=("Kec", "Kecamatan"), desc="impor.tata_letak.eppgbm.kec", example="ALPHA"),
    Col("puskesmas", required=False, aliases=("Pukesmas", "Puskesmas", "Nama Puskesmas"),
        desc="impor.tata_letak.eppgbm.puskesmas", example="PUSKESMAS ALPHA"),
    Col("desa", aliases=("Desa/Kel", "Desa/Kelurahan", "Desa", "Kelurahan"), desc="impor.tata_letak.eppgbm.desa", example="SATU"),
    Col("posyandu", required=False, aliases=("Posyandu", "Nama Posyandu"), desc="impor.tata_letak.eppgbm.posyandu", example="POSYANDU SATU"),
    Col("tgl_ukur", "date", not_future=True, min_year=MIN_YEAR, aliases=("Tanggal Pengukuran", "Tgl Pengukuran", "Tanggal Ukur", "Tgl Ukur"),
        desc="impor.tata_letak.eppgbm.tgl_ukur", example="10/02/2026"),
    Col("berat_kg", "float", allow_empty=True, aliases=("Berat", "BB", "Berat Badan"),
        desc="impor.tata_letak.eppgbm.berat_kg", example="10,5"),
    Col("tinggi_cm", "float", allow_empty=True, aliases=("Tinggi", "TB", "Tinggi Badan", "TB/PB", "PB/TB"),
        desc="impor.tata_letak.eppgbm.tinggi_cm", example="82,3"),
    Col("cara_ukur", "choice", required=False, allow_empty=True, choices=dict(CARA_UKUR), aliases=("Cara Ukur", "Posisi"),
        choices_label="eppgbm.pilihan.cara", desc="impor.tata_letak.eppgbm.cara_ukur", example="Berdiri"),
    Col("zs_tbu", required=False, aliases=("ZS TB/U", "ZS TBU", "Z TB/U"), desc="impor.tata_letak.eppgbm.zs_tbu", example="-1,25"),
)
_BY_NAME = {c.name: c for c in COLS}


def _c(header: str, col: str | None = None, desc: Msg | None = None, example: str = "") -> tuple[str, Msg | None, str]:
    if col:
        c = _BY_NAME[col]
        return (header, c.template_desc, c.example)
    return (header, desc, example)


_IGN = Msg("impor.tata_letak.eppgbm.tidak_dipakai")
_DROP = Msg("impor.tata_letak.eppgbm.dibuang")
_DROP_ID = Msg("impor.tata_letak.eppgbm.dibuang_id")
TEMPLATE = (
    _c("NIK", desc=NIK_DESC, example="9999011501240001"),
    _c("Nama", desc=_DROP_ID, example=""), _c("JK", "jk"), _c("Tgl Lahir", "tgl_lahir"),
    _c("BB Lahir", desc=_IGN), _c("TB Lahir", desc=_IGN), _c("Nama Ortu", desc=_DROP_ID),
    _c("Prov", desc=_IGN, example="PROVINSI UJI"),
    _c("Kab/Kota", "kab"), _c("Kec", "kec"), _c("Pukesmas", "puskesmas"), _c("Desa/Kel", "desa"), _c("Posyandu", "posyandu"),
    _c("RT", desc=_DROP), _c("RW", desc=_DROP), _c("Alamat", desc=_DROP), _c("Usia Saat Ukur", "usia_ukur"),
    _c("Tanggal Pengukuran", "tgl_ukur"), _c("Bulan Pengukuran", desc=_IGN, example="Februari"),
    _c("Berat", "berat_kg"), _c("Tinggi", "tinggi_cm"), _c("Cara Ukur", "cara_ukur"), _c("ZS TB/U", "zs_tbu"),
)
_EXPECTED = ["NIK", "Nama", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "RT", "RW", "Alamat", "Usia Saat Ukur",
             "Bulan Pengukuran", "Status Bulan", "status tahun", "LiLA", "BB/U", "ZS BB/U", "TB/U", "BB/TB",
             "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Detail Status", "status desa"]
_KNOWN = {header_key(s) for c in COLS for s in c.spellings()}

# 'sumber' is declared as text (checked against SUMBER_CHOICES in parse, any case) because the rekap kind declares
# a free-text 'sumber' too and the CLI builds one --sumber flag from the first declaration (ilp.cli_import.all_options)
SUMBER_CHOICES = ("EPPGBM", "ASIK", "SERENTAK_2024")
OPTIONS = (
    Option("sumber", "text", "eppgbm.opsi.sumber", "eppgbm.opsi.sumber_help", default="EPPGBM",
           metavar="|".join(SUMBER_CHOICES)),
)


def _m(key: str, **params) -> Msg:
    return Msg(f"eppgbm.{key}", params)


def _rows_text(rows: list[int]) -> str:
    rows = sorted(rows)
    return ", ".join(map(str, rows[:ROWS_LISTED])) + (" ..." if len(rows) > ROWS_LISTED else "")


# ---------------------------------------------------------------- parse

def numeric_nik_rows(path, options: dict | None = None) -> set[int]:
    """Excel rows (1-based) whose NIK cell is a number rather than text (.xlsx only; best effort).

    Excel keeps 15 significant digits: a 16-digit NIK typed or pasted as a number gets its last digit
    set to 0, and a number above 2^53 cannot even be held by a double. Hashing such a NIK would
    silently merge different children, so _prepare treats such a NIK as not usable (see there)."""
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


def _find(heads: list[str], base: dict[str, str], spellings) -> list[str]:
    keys = {header_key(x) for x in spellings}
    return [h for h in heads if base[h] in keys]


def _first_cell(raw: pl.DataFrame, heads: list[str]) -> list[str | None]:
    return raw[heads[0]].to_list() if heads else [None] * raw.height


def _prepare(raw: pl.DataFrame, ctx: Ctx, names_seen: set[str] | None = None) -> pl.DataFrame:
    """Hash the NIK into `_id_anak`; a child without a usable NIK gets a pseudonymous id (name, birth date, sex,
    desa, parent name) and `_nik_flag` says why. Then every identifying column is dropped."""
    heads = [h for h in raw.columns if h != "_row"]
    base = {h: header_key(re.sub(r" \(\d+\)$", "", h)) for h in heads}
    nik_cols = _find(heads, base, NIK_HEADERS)
    if len(nik_cols) > 1:
        ctx.problems.append(Problem(None, nik_cols[0], _m("nik.kolom_ganda", kolom=nik_cols[0], n=len(nik_cols))))
        return raw.select("_row")
    nik = nik_cols[0] if nik_cols else None
    if nik is not None:
        desc = raw[nik].is_in(description_texts(NIK_DESC)).fill_null(False)
        if desc.any():
            ctx.notes.append(Msg("impor.catatan.baris_keterangan", {"n": int(desc.sum())}))
            raw = raw.filter(~desc.fill_null(False))
    else:
        ctx.notes.append(_m("nik.tanpa_kolom"))
    try:
        salt = installation_salt()
    except SaltError as e:
        ctx.problems.append(Problem(None, None, e.msg))
        return raw.select("_row")
    numeric = numeric_nik_rows(ctx.src.path, ctx.src.options) if nik else set()
    niks = _first_cell(raw, nik_cols)
    # what identifies a child in this file when its NIK cannot be used, normalised
    names = _first_cell(raw, _find(heads, base, NAMA_HEADERS))
    parents = _first_cell(raw, _find(heads, base, ORTU_HEADERS))
    if names_seen is not None:  # every person's name in the file, to mask it in any message (mask_identity)
        names_seen.update(normalise_name(v) for v in names + parents if v)
    births = _first_cell(raw, _find(heads, base, _BY_NAME["tgl_lahir"].spellings()))
    sexes = _first_cell(raw, _find(heads, base, _BY_NAME["jk"].spellings()))
    desas = _first_cell(raw, _find(heads, base, _BY_NAME["desa"].spellings()))
    ids: list[str] = []
    flags: list[str | None] = []
    cache: dict[str, str | None] = {}
    n_numeric = n_flagged = 0
    for i, (row, val) in enumerate(zip(raw["_row"].to_list(), niks)):
        why: Msg | None = None
        if row in numeric and val:
            n_numeric += 1
            if val.endswith("0") or not val.isdigit() or int(val) > 2**53:
                why = _m("nik.angka_excel")
        h = None
        if why is None:
            if val in cache:
                h = cache[val]
            else:
                n = normalise_nik(val)
                h = cache[val] = hash_nik(n, salt) if n else None
            if h is None:
                why = nik_problem(val)
        if why is not None and why.key == "eppgbm.nik.digit_asing":   # the row is refused, not the whole file
            ctx.problems.append(Problem(row, nik, why, nilai=mask_nik(val)))
        if h is None:
            why = why or _m("nik.tanpa_kolom_singkat")
            # salted now, completed with the matched desa code in _build (a misspelt desa stays the same child)
            birth = parse_date(births[i])[0] if births[i] else None
            parts = (normalise_name(names[i]), birth.isoformat() if birth else (births[i] or "").strip(),
                     JK.get(header_key(sexes[i] or ""), ""), normalise_name(parents[i]))
            h = pseudonymous_id(parts, salt)
            n_flagged += 1
            if n_flagged <= ROWS_LISTED and nik is not None:
                ctx.notes.append(_m("nik.baris_tanpa_nik", baris=row, nik=mask_nik(val) if val else "–", sebab=why))
        ids.append(h)
        flags.append(why.key.rsplit(".", 1)[1].removesuffix("_singkat") if why else None)  # reason, no parameters
    cache.clear()
    if n_flagged > ROWS_LISTED:
        ctx.notes.append(_m("nik.baris_lain", n=n_flagged - ROWS_LISTED))
    if n_numeric:
        ctx.notes.append(_m("nik.angka_excel_catatan", n=n_numeric))
    dropped = [h for h in heads if base[h] in _PII or h == nik]
    keep = [h for h in heads if base[h] in _KNOWN and base[h] not in _PII and base[h] not in ("idanak", "nikflag", "anonim")]
    other = len(heads) - len(dropped) - len(keep)
    gone = [h for h in dropped if h != nik]
    ctx.notes.append(_m("privasi", kolom=_m("privasi_kolom", kolom=", ".join(gone)) if gone else ""))
    if other:
        ctx.notes.append(_m("kolom_lain", n=other))
    anonim = ["1" if f is not None and not (names[i] or "").strip() and not (parents[i] or "").strip() else None
              for i, f in enumerate(flags)]
    return raw.select("_row", *keep).with_columns(pl.Series("_id_anak", ids, dtype=pl.String),
                                                  pl.Series("_nik_flag", flags, dtype=pl.String),
                                                  pl.Series("_anonim", anonim, dtype=pl.String))


def _sumber(options: dict) -> tuple[str | None, Problem | None]:
    raw = options.get("sumber")
    if raw in (None, ""):
        return "EPPGBM", None
    s = SUMBER.get(header_key(str(raw)))
    if s is None:
        return None, Problem(None, None, _m("opsi_sumber", isi=str(raw)))
    return s, None


def _fmt_num(x: float) -> str:
    return (f"{x:g}").replace(".", ",")


# ---------------------------------------------------------------- Usia Saat Ukur

def _usia(df: pl.DataFrame, ctx: Ctx) -> pl.DataFrame:
    """Birth date from 'Usia Saat Ukur' where it is missing; count rows where the two disagree."""
    lahir, derived, mismatch, missing = [], [], [], []
    unreadable = 0
    for r in df.select("_row", "tgl_lahir", "tgl_ukur", "usia_ukur").iter_rows(named=True):
        usia = parse_usia(r["usia_ukur"])
        if r["usia_ukur"] and usia is None:
            unreadable += 1
        b = r["tgl_lahir"]
        if b is None:
            if usia is not None and r["tgl_ukur"] is not None:
                b = birth_from_usia(r["tgl_ukur"], usia)
                derived.append(r["_row"])
            elif r["tgl_ukur"] is not None:
                missing.append(r["_row"])
        elif usia is not None and r["tgl_ukur"] is not None:
            if abs((birth_from_usia(r["tgl_ukur"], usia) - b).days) > USIA_TOLERANCE_DAYS:
                mismatch.append(r["_row"])
        lahir.append(b)
    for row in missing:
        ctx.problems.append(Problem(row, ctx.col("tgl_lahir"), _m("tgl_lahir_kosong", usia=ctx.col("usia_ukur"))))
    if derived:
        ctx.notes.append(_m("usia.lahir_dari_usia", n=len(derived), baris=_rows_text(derived)))
    if mismatch:
        ctx.notes.append(_m("usia.beda", n=len(mismatch), toleransi=USIA_TOLERANCE_DAYS, baris=_rows_text(mismatch)))
    if unreadable:
        ctx.notes.append(_m("usia.tidak_terbaca", n=unreadable, kolom=ctx.col("usia_ukur")))
    return df.with_columns(pl.Series("tgl_lahir", lahir, dtype=pl.Date))


# ---------------------------------------------------------------- areas and facilities

def _match_areas(df: pl.DataFrame, ctx: Ctx, areas: Areas) -> pl.DataFrame:
    """Add kode_desa / _kode_kab (null where rejected); problems on Kab/Kota, Kec or Desa/Kel."""
    combos = df.select("kab", "kec", "desa").unique().filter(pl.col("kec").is_not_null() & pl.col("desa").is_not_null())
    result: dict[tuple, tuple] = {}
    fuzzy_lines: dict[tuple, None] = {}
    kab_cache: dict[str | None, tuple[list[str], Match | None]] = {}
    for kab, kec, desa in combos.iter_rows():
        if kab not in kab_cache:
            if kab:
                m = match_name(kab, areas.kabs)
                kab_cache[kab] = ([m.kode] if m.kode else [], m)
                if m.how == "fuzzy":
                    fuzzy_lines[("Kab/Kota", kab, m.kode, m.nama, m.score)] = None
            else:
                kab_cache[kab] = ([k for k, _ in areas.kabs], None)
        kabs, km = kab_cache[kab]
        if kab and not kabs:
            loaded = ", ".join(n for _, n in areas.kabs) or "–"
            result[(kab, kec, desa)] = (None, None, ("kab", _m("kab_tidak_dimuat", nama=kab, dimuat=loaded), kab))
            continue
        kec_cands = [c for k in kabs for c in areas.kecs.get(k, [])]
        mk = match_name(kec, kec_cands)
        if mk.kode is None:
            where = areas.kab_label(kabs)
            if mk.how == "ambiguous":
                err = ("kec", _m("kec_ambigu", nama=kec, wilayah=where), kec)
            else:
                err = ("kec", _m("kec_tidak_ditemukan", nama=kec, wilayah=where,
                                 saran=Msg("impor.maksud", {"v": mk.hint}) if mk.hint else ""), kec)
            result[(kab, kec, desa)] = (None, None, err)
            continue
        if mk.how == "fuzzy":
            fuzzy_lines[("Kecamatan", kec, mk.kode, mk.nama, mk.score)] = None
        md = match_name(desa, areas.desas.get(mk.kode, []))
        if md.kode is None:
            kab_of = areas.kab_of_kec.get(mk.kode)
            elsewhere = sorted({areas.names.get(kc, kc) for kc, _ in areas.kecs.get(kab_of, [])
                                if kc != mk.kode and any(name_key(n) == name_key(desa) for _, n in areas.desas.get(kc, []))})
            if md.how == "ambiguous":
                msg = _m("desa_ambigu", nama=desa, kecamatan=mk.nama)
            elif elsewhere:
                msg = _m("desa_di_kecamatan_lain", nama=desa, kecamatan=mk.nama, lain=", ".join(elsewhere))
            else:
                msg = _m("desa_tidak_ditemukan", nama=desa, kecamatan=mk.nama,
                         saran=Msg("impor.maksud", {"v": md.hint}) if md.hint else "")
            result[(kab, kec, desa)] = (None, None, ("desa", msg, desa))
            continue
        if md.how == "fuzzy":
            fuzzy_lines[("Desa", desa, md.kode, md.nama, md.score)] = None
        result[(kab, kec, desa)] = (md.kode, areas.kab_of_kec.get(mk.kode), None)
    for what, raw_name, kode, nama, score in fuzzy_lines:
        ctx.notes.append(_m("fuzzy", apa=what, nama=raw_name, kode=kode, cocok=nama, skor=f"{score:.0f}"))
    keys = list(result)
    look = pl.DataFrame({"kab": [k[0] for k in keys], "kec": [k[1] for k in keys], "desa": [k[2] for k in keys],
                         "kode_desa": [result[k][0] for k in keys], "_kode_kab": [result[k][1] for k in keys],
                         "_err": list(range(len(keys)))},
                        schema={"kab": pl.String, "kec": pl.String, "desa": pl.String, "kode_desa": pl.String,
                                "_kode_kab": pl.String, "_err": pl.Int64})
    df = df.join(look, on=["kab", "kec", "desa"], how="left", nulls_equal=True)
    for r in df.select("_row", "_err").iter_rows(named=True):
        if r["_err"] is None:
            continue
        err = result[keys[r["_err"]]][2]
        if err:
            col, msg, nilai = err
            ctx.problems.append(Problem(r["_row"], ctx.col(col), msg, nilai=nilai))
    return df.drop("_err")


def _match_faskes(df: pl.DataFrame, ctx: Ctx, areas: Areas) -> pl.DataFrame:
    """kode_puskesmas from the Pukesmas name (within the kab), kode_posyandu from the Posyandu name (within the desa)."""
    pk_map: dict[tuple, str | None] = {}
    pk_missing: dict[str, int] = {}
    for kab, nama, n in df.filter(pl.col("puskesmas").is_not_null() & pl.col("_kode_kab").is_not_null()).group_by(
            "_kode_kab", "puskesmas").len().iter_rows():
        m = match_name(nama, areas.puskesmas.get(kab, []), key=facility_key, fuzzy=False)
        pk_map[(kab, nama)] = m.kode
        if m.kode is None:
            pk_missing[nama] = pk_missing.get(nama, 0) + n
    py_map: dict[tuple, str | None] = {}
    py_missing = 0
    for desa, nama, n in df.filter(pl.col("posyandu").is_not_null() & pl.col("kode_desa").is_not_null()).group_by(
            "kode_desa", "posyandu").len().iter_rows():
        m = match_name(nama, areas.posyandu.get(desa, []), key=facility_key, fuzzy=False)
        py_map[(desa, nama)] = m.kode
        if m.kode is None:
            py_missing += n
    pk = pl.DataFrame([(k[0], k[1], c) for k, c in pk_map.items()], orient="row",
                      schema={"_kode_kab": pl.String, "puskesmas": pl.String, "kode_puskesmas": pl.String})
    py = pl.DataFrame([(k[0], k[1], c) for k, c in py_map.items()], orient="row",
                      schema={"kode_desa": pl.String, "posyandu": pl.String, "kode_posyandu": pl.String})
    df = df.join(pk, on=["_kode_kab", "puskesmas"], how="left").join(py, on=["kode_desa", "posyandu"], how="left")
    for nama, n in sorted(pk_missing.items()):
        ctx.notes.append(_m("puskesmas_tidak_ditemukan", nama=nama, n=n))
    if py_missing:
        ctx.notes.append(_m("posyandu_tidak_ditemukan", n=py_missing))
    return df


def _zs_lapor(values: list[str | None]) -> tuple[list[float | None], int]:
    out, bad = [], 0
    for s in values:
        if s is None:
            out.append(None)
            continue
        x, err = parse_number(s)
        if err or x is None or abs(x) > 99:
            bad += 1
            out.append(None)
        else:
            out.append(float(x))
    return out, bad


OUT_COLS = ["_row", "id_anak", "jk", "tgl_lahir", "tgl_ukur", "berat_kg", "tinggi_cm", "cara_ukur", "kode_desa",
            "kode_posyandu", "kode_puskesmas", "zs_tbu_lapor", "umur_hari", "haz", "waz", "whz", "baz",
            "flag_haz", "flag_waz", "flag_whz", "flag_baz", "sumber"]


def _pseudonyms(df: pl.DataFrame) -> pl.DataFrame:
    """A child without a usable NIK: its id = pseudonymous_id((salted name/birth/sex/parent part, kode_desa))."""
    if df.filter(pl.col("_nik_flag").is_not_null()).height == 0:
        return df
    salt = installation_salt()
    cache: dict[tuple, str] = {}
    out = []
    for i, flag, desa in df.select("id_anak", "_nik_flag", "kode_desa").iter_rows():
        if flag is None:
            out.append(i)
            continue
        key = (i, desa)
        if key not in cache:
            cache[key] = pseudonymous_id((i, desa or ""), salt)
        out.append(cache[key])
    return df.with_columns(pl.Series("id_anak", out, dtype=pl.String))


def _build(df: pl.DataFrame, ctx: Ctx, areas: Areas, sumber: str) -> dict[str, pl.DataFrame]:
    df = df.rename({"_id_anak": "id_anak"}).with_columns(pl.col("jk").cast(pl.Int8))
    lo, hi = TINGGI_CM
    ctx.flag(df.filter(pl.col("tinggi_cm").is_not_null() & ((pl.col("tinggi_cm") <= lo) | (pl.col("tinggi_cm") >= hi))),
             "tinggi_cm", "eppgbm.tinggi_di_luar", min=fmt_value(lo), max=fmt_value(hi))
    lo, hi = BERAT_KG
    ctx.flag(df.filter(pl.col("berat_kg").is_not_null() & ((pl.col("berat_kg") <= lo) | (pl.col("berat_kg") >= hi))),
             "berat_kg", "eppgbm.berat_di_luar", min=fmt_value(lo), max=fmt_value(hi))
    ctx.flag(df.filter(pl.col("tinggi_cm").is_null() & pl.col("berat_kg").is_null()), "tinggi_cm",
             "eppgbm.tanpa_ukuran", value="")
    df = _usia(df, ctx)
    check_date_order(ctx, df, "tgl_lahir", "tgl_ukur", _m("tanggal_lahir"))
    df = _match_areas(df, ctx, areas)
    df = _pseudonyms(df)
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
    bad = bad_rows(ctx.problems)
    ok = df.filter(~pl.col("_row").is_in(sorted(bad))) if bad else df
    _anonymous_twins(ok, ctx)
    dup_mask = ok.select(pl.struct("id_anak", "tgl_ukur").is_first_distinct().not_()).to_series()
    n_dup = int(dup_mask.sum())
    out = ok.filter(~dup_mask)
    if n_dup:
        ctx.notes.append(_m("duplikat", n=n_dup))
    _quality_notes(out, ctx, zs_bad)
    return {"pengukuran": out.select(OUT_COLS)}


def _anonymous_twins(df: pl.DataFrame, ctx: Ctx) -> None:
    """Children with neither a usable NIK nor a name (nor a parent's name), same birth date, sex and desa, measured the
    same day get the same pseudonymous id: they cannot be told apart (twins? one child entered twice?). Flagged by
    row; only the first row is imported (as any duplicate)."""
    anon = df.filter(pl.col("_anonim").is_not_null())
    if anon.height < 2:
        return
    groups = anon.group_by("id_anak", "tgl_ukur").agg(pl.col("_row").sort()).filter(pl.col("_row").list.len() > 1)
    for rows in groups.sort(pl.col("_row").list.first())["_row"].to_list():
        ctx.notes.append(_m("mutu.kembar_anonim", n=len(rows), baris=_rows_text(rows)))


def _quality_notes(out: pl.DataFrame, ctx: Ctx, zs_bad: int) -> None:
    if out.height == 0:
        return
    # children without a usable NIK: a data-quality figure (children, not rows), by reason
    psd = out.filter(pl.col("_nik_flag").is_not_null())
    if psd.height:
        reasons = psd.group_by("_nik_flag").agg(pl.col("id_anak").n_unique().alias("n")).sort("_nik_flag")
        ctx.notes.append(_m("mutu.tanpa_nik", anak=psd["id_anak"].n_unique(), total=out["id_anak"].n_unique(),
                            baris=psd.height))
        for k, n in reasons.iter_rows():
            ctx.notes.append(_m("mutu.tanpa_nik_sebab", n=n, sebab=_m(f"nik_ringkas.{k}")))
    old = out.filter(pl.col("umur_hari") >= 60 * anthro.DAYS_PER_MONTH).height
    if old:
        ctx.notes.append(_m("mutu.umur_60", n=old))
    flagged = out.filter(pl.col("flag_haz") == 1).height
    if flagged:
        ctx.notes.append(_m("mutu.haz_tidak_wajar", n=flagged))
    both = out.filter(pl.col("zs_tbu_lapor").is_not_null() & pl.col("haz").is_not_null())
    diff = both.filter((pl.col("zs_tbu_lapor") - pl.col("haz")).abs() > ZS_TOLERANCE).height
    if both.height:
        ctx.notes.append(_m("mutu.zs_beda", toleransi=_fmt_num(ZS_TOLERANCE), n=diff, dari=both.height))
    if zs_bad:
        ctx.notes.append(_m("mutu.zs_bukan_angka", n=zs_bad))
    multi = out.filter(pl.col("_nik_flag").is_null()).group_by("id_anak").agg(
        pl.col("tgl_lahir").n_unique().alias("a"), pl.col("jk").n_unique().alias("b")
    ).filter((pl.col("a") > 1) | (pl.col("b") > 1)).height
    if multi:
        ctx.notes.append(_m("mutu.nik_ganda", n=multi))


def parse(src: Source, con) -> Parsed:
    sumber, prob = _sumber(src.options or {})
    if prob:
        return Parsed(problems=[prob])
    areas = Areas(con)
    if not areas.kabs:
        return Parsed(problems=[Problem(None, None, _m("wilayah_kosong"))])
    fingerprint, warnings, prob = check_salt(con)
    if prob:
        return Parsed(problems=[prob])
    names: set[str] = set()

    def prepare(raw: pl.DataFrame, ctx: Ctx) -> pl.DataFrame:
        return _prepare(raw, ctx, names)

    parsed = parse_tabular(src, con, COLS, lambda df, ctx: _build(df, ctx, areas, sumber), prepare=prepare,
                           expected=_EXPECTED)
    parsed.notes[:0] = warnings
    if any(f.height for f in parsed.tables.values()):
        parsed.meta[META_KEY] = fingerprint
    return mask_identity(parsed, names - {""})


KIND = ImportKind(
    name="eppgbm", title_id="Pengukuran balita (ekspor e-PPGBM)", title_en="Child measurements (e-PPGBM export)",
    tables=("pengukuran",), columns=TEMPLATE, parse=parse,
    extensions=(".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".txt", ".tsv"),
    keep_raw=False,  # NIK and names must never be stored, not even in the kept upload
    options=OPTIONS,
)
