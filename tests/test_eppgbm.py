"""e-PPGBM export import: privacy (NIK never stored), area-name matching, z-scores, duplicates, rejections."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import stat

import polars as pl
import pytest

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)
import xlsxwriter

from ilp import anthro, db, privacy
from ilp.ingest import runner

HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec", "Pukesmas",
          "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran", "Bulan Pengukuran",
          "Status Bulan", "status tahun", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U",
          "BB/TB", "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Detail Status",
          "status desa"]
NEWER = ["No KK", "NIK Ortu", "No HP", "Usia Kehamilan", "Lingkar Kepala Lahir", "IMD", "Kelas Ibu Balita", "MBG"]
BULAN = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]

# Fake children (NIKs have a valid structure but kab code 99.02, which does not exist).
# nik, nama, jk, lahir, ortu, kec, puskesmas, desa, posyandu, alamat
KIDS = {
    "A": ("9902011501240001", "Budi Santoso", "L", dt.date(2024, 1, 15), "Siti Nur’aini", "ALPHA", "PUSKESMAS ALPHA",
          "SATU", "POSYANDU SATU", "Jl. Melati No. 12"),
    "B": ("9902016006230002", "Ayu Lestari", "P", dt.date(2023, 6, 20), "Rina Marlina", "Alpha", "Puskesmas Alpha",
          "Dua", "Posyandu Dua", "Dusun Krajan Kidul"),
    "C": ("9902020305220003", "Cahyo Nugroho", "L", dt.date(2022, 5, 3), "Dewi Kartika", "KEC. BETA", "PKM BETA",
          "KEL. TIGA", "Posyandu Tiga", "Gang Mawar 7"),
    "D": ("9902024109240004", "Dinda Permata", "P", dt.date(2024, 9, 1), "Yuli Astuti", "Beta", "Puskesmas Beta",
          "Empat", "Posyandu Melati", "Jl. Kenanga 3"),
    "E": ("9902010101200005", "Eko Prasetyo", "L", dt.date(2020, 1, 1), "Wati Suryani", "Alpha", "Puskesmas Alpha",
          "Satu", "Posyandu Satu", "Perum Griya Asri B2"),
    "F": ("9902015203250006", "Fitri Handayani", "P", dt.date(2025, 3, 12), "Lina Kusuma", "Alpha", "Puskesmas Antah",
          "Dua", "Posyandu Dua", "Kampung Baru RT 2"),
}
NAMES = [k[1] for k in KIDS.values()] + [k[4] for k in KIDS.values()]
ADDRESSES = [k[9] for k in KIDS.values()]
PHONE = "081234567890"
NO_KK = "9902010101100001"
NIK_ORTU = "9902014101950001"


def row(kid: str, ukur: dt.date, berat, tinggi, cara="Berdiri", zs=None, **over) -> dict:
    nik, nama, jk, lahir, ortu, kec, pkm, desa, posy, alamat = KIDS[kid]
    r = dict.fromkeys(HEADER + NEWER, "")
    y, mo, d = calendar_age(lahir, ukur)
    r.update({"NIK": nik, "Nama": nama, "JK": jk, "Tgl Lahir": lahir.strftime("%d/%m/%Y"), "BB Lahir": "3,1",
              "TB Lahir": "49", "Nama Ortu": ortu, "Prov": "PROVINSI UJI", "Kab/Kota": "KAB. UJI", "Kec": kec,
              "Pukesmas": pkm, "Desa/Kel": desa, "Posyandu": posy, "RT": "003", "RW": "002", "Alamat": alamat,
              "Usia Saat Ukur": f"{y} Tahun - {mo} Bulan - {d} Hari",
              "Tanggal Pengukuran": ukur.strftime("%d/%m/%Y"), "Bulan Pengukuran": BULAN[ukur.month],
              "Status Bulan": "1", "status tahun": str(ukur.year), "Berat": berat, "Tinggi": tinggi, "Cara Ukur": cara,
              "LiLA": "14,5", "BB/U": "Berat Badan Normal", "TB/U": "Normal", "BB/TB": "Gizi Baik",
              "ZS TB/U": zs if zs is not None else "", "Naik Berat Badan": "N", "Detail Status": "-",
              "status desa": "Desa", "No KK": NO_KK, "NIK Ortu": NIK_ORTU, "No HP": PHONE, "KIA": "Ya"})
    r.update(over)
    return r


def calendar_age(lahir: dt.date, ukur: dt.date) -> tuple[int, int, int]:
    """Whole years, months and days from lahir to ukur, as e-PPGBM writes 'Usia Saat Ukur'."""
    months = (ukur.year - lahir.year) * 12 + ukur.month - lahir.month
    if ukur.day < lahir.day:
        months -= 1
    y, m = divmod(months, 12)
    anchor_y, anchor_m = divmod(lahir.year * 12 + lahir.month - 1 + months, 12)
    import calendar
    anchor = dt.date(anchor_y, anchor_m + 1, min(lahir.day, calendar.monthrange(anchor_y, anchor_m + 1)[1]))
    return y, m, (ukur - anchor).days


def haz_of(kid: str, ukur: dt.date, berat: str, tinggi: str, cara: str) -> float | None:
    nik, nama, jk, lahir, *_ = KIDS[kid]
    z = anthro.zscores(pl.DataFrame({"sex": [jk], "birth_date": [lahir], "measure_date": [ukur],
                                     "height_cm": [float(tinggi.replace(",", "."))],
                                     "weight_kg": [float(berat.replace(",", "."))], "position": [cara]}))
    return z["haz"][0]


def zs_text(x: float | None, shift: float = 0.0) -> str:
    return "" if x is None else f"{x + shift:.2f}".replace(".", ",")


def good_rows() -> list[dict]:
    """8 data rows: 1 duplicate (A on 10/02/2026 twice), 1 child >= 60 months, 2 wrong reported ZS TB/U,
    1 misspelt desa ('Sattu'), 1 unknown Posyandu, 1 unknown Puskesmas."""
    spec = [  # kid, date, berat, tinggi, cara, zs shift, overrides
        ("A", dt.date(2026, 2, 10), "11,2", "84,5", "Berdiri", 0.0, {}),
        ("A", dt.date(2026, 2, 10), "11,4", "84,9", "Berdiri", 0.0, {}),          # duplicate: dropped
        ("A", dt.date(2025, 8, 12), "9,6", "78,0", "Telentang", 0.0, {"Desa/Kel": "Sattu"}),  # fuzzy desa
        ("B", dt.date(2026, 2, 12), "12,1", "86,3", "Berdiri", 0.5, {}),          # reported ZS off by 0.5
        ("C", dt.date(2026, 2, 14), "14,0", "95,2", "Berdiri", 0.0, {}),
        ("D", dt.date(2026, 2, 14), "8,1", "70,4", "Telentang", -0.3, {}),        # reported ZS off; posyandu unknown
        ("E", dt.date(2026, 2, 10), "18,5", "108,0", "Berdiri", None, {}),        # 73 months: no z
        ("F", dt.date(2026, 2, 11), "7,9", "68,0", "Telentang", 0.0, {}),         # unknown Puskesmas
    ]
    out = []
    for kid, d, b, t, c, shift, over in spec:
        zs = zs_text(haz_of(kid, d, b, t, c), shift) if shift is not None else ""
        out.append(row(kid, d, b, t, c, zs, **over))
    return out


def write_xlsx(path, rows, header=HEADER + NEWER, title=True, numeric_nik=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    r0 = 0
    if title:  # e-PPGBM exports often start with a title line
        ws.write_string(0, 0, "Data Pengukuran Balita - e-PPGBM")
        r0 = 2
    for j, h in enumerate(header):
        ws.write_string(r0, j, h)
    for i, r in enumerate(rows, start=r0 + 1):
        for j, h in enumerate(header):
            val = r.get(h, "")
            if h == "NIK" and numeric_nik and str(val).isdigit():
                ws.write_number(i, j, int(val))   # what Excel makes of a NIK pasted as a number
            elif val != "":
                ws.write_string(i, j, str(val))
    wb.close()
    return path


def write_csv(path, rows, header=HEADER):
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("ILP_SALT_FILE", str(tmp_path / "conf" / "pantau" / "salt"))


con = fixture_copy  # a writable copy of the fixture database per test (tests/conftest.py)


def imported(con) -> pl.DataFrame:
    return db.fetch_pl(con, "select * from pengukuran where sumber <> 'DEMO' order by id_anak, tgl_ukur")


def ids(kid: str) -> str:
    return privacy.hash_nik(KIDS[kid][0], privacy.installation_salt())


def note_texts(res, lang="id") -> list[str]:
    return [n.text(lang) if hasattr(n, "text") else str(n) for n in res.notes]


def texts(res) -> str:
    return "\n".join([p.text() for p in res.problems] + [p.text("en") for p in res.problems]
                     + [p.nilai or "" for p in res.problems] + note_texts(res) + note_texts(res, "en"))


# ---------------------------------------------------------------- the happy path

@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_real_layout(con, tmp_path, fmt):
    rows = good_rows()
    f = write_xlsx(tmp_path / "ppgbm.xlsx", rows) if fmt == "xlsx" else write_csv(tmp_path / "ppgbm.csv", rows)
    before = con.execute("select count(*) from pengukuran").fetchall()[0][0]
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil", texts(res)
    assert res.rows_read == 8 and res.rows_imported == 7 and res.rows_rejected == 0
    assert con.execute("select count(*) from pengukuran").fetchall()[0][0] == before + 7
    df = imported(con)
    assert df.height == 7
    assert set(df["sumber"]) == {"EPPGBM"} and df["import_id"].n_unique() == 1
    by = {(r["id_anak"], r["tgl_ukur"]): r for r in df.iter_rows(named=True)}
    a = by[(ids("A"), dt.date(2026, 2, 10))]
    assert a["jk"] == 1 and a["tgl_lahir"] == dt.date(2024, 1, 15)
    assert (a["berat_kg"], a["tinggi_cm"], a["cara_ukur"]) == (11.2, 84.5, "H")   # the first of the duplicates
    assert (a["kode_desa"], a["kode_puskesmas"], a["kode_posyandu"]) == ("99.02.01.2001", "PK1", "PY1")
    assert by[(ids("A"), dt.date(2025, 8, 12))]["kode_desa"] == "99.02.01.2001"     # 'Sattu' -> Satu
    assert by[(ids("A"), dt.date(2025, 8, 12))]["cara_ukur"] == "L"
    b = by[(ids("B"), dt.date(2026, 2, 12))]
    assert b["jk"] == 2 and (b["kode_desa"], b["kode_posyandu"]) == ("99.02.01.2002", "PY2")
    c = by[(ids("C"), dt.date(2026, 2, 14))]
    assert (c["kode_desa"], c["kode_puskesmas"], c["kode_posyandu"]) == ("99.02.02.1001", "PK2", "PY3")  # kelurahan
    d = by[(ids("D"), dt.date(2026, 2, 14))]
    assert d["kode_desa"] == "99.02.02.2002" and d["kode_posyandu"] is None and d["kode_puskesmas"] == "PK2"
    assert by[(ids("F"), dt.date(2026, 2, 11))]["kode_puskesmas"] is None
    e = by[(ids("E"), dt.date(2026, 2, 10))]
    assert e["umur_hari"] == (dt.date(2026, 2, 10) - dt.date(2020, 1, 1)).days
    assert e["haz"] is None and e["flag_haz"] is None and e["waz"] is None
    notes = "\n".join(note_texts(res))
    assert 'Desa "Sattu" → 99.02.01.2001 Satu (fuzzy 89)' in note_texts(res)
    assert "Usia Saat Ukur" not in notes and "tanpa NIK" not in notes     # every age agrees, every NIK usable
    assert "1 baris duplikat" in notes
    assert "1 baris: anak berumur 60 bulan atau lebih" in notes
    assert "pada 2 dari 6 baris" in notes          # |ZS TB/U - HAZ| > 0.1: B and D
    assert "Puskesmas 'Puskesmas Antah' tidak ditemukan" in notes
    assert "1 baris: nama Posyandu tidak ditemukan" in notes


def test_zscores_equal_anthro(con, tmp_path):
    f = write_xlsx(tmp_path / "ppgbm.xlsx", good_rows())
    assert runner.run_import(con, "eppgbm", f, f.name, "uji").status == "berhasil"
    got = imported(con)
    exp = []
    for r in good_rows():
        kid = next(k for k, v in KIDS.items() if v[0] == r["NIK"])
        exp.append({"id_anak": ids(kid), "tgl_ukur": dt.datetime.strptime(r["Tanggal Pengukuran"], "%d/%m/%Y").date(),
                    "sex": KIDS[kid][2], "birth_date": KIDS[kid][3],
                    "height_cm": float(r["Tinggi"].replace(",", ".")), "weight_kg": float(r["Berat"].replace(",", ".")),
                    "position": "H" if r["Cara Ukur"] == "Berdiri" else "L"})
    e = pl.DataFrame(exp).unique(["id_anak", "tgl_ukur"], keep="first", maintain_order=True)
    e = anthro.zscores(e.with_columns(measure_date=pl.col("tgl_ukur")))
    j = got.join(e, on=["id_anak", "tgl_ukur"], how="inner")
    assert j.height == got.height == 7
    for k in ("haz", "waz", "whz", "baz"):
        assert j.select((pl.col(k).eq_missing(pl.col(f"{k}_right")) | (pl.col(k) - pl.col(f"{k}_right")).abs().lt(1e-9))
                        .all()).item(), k
        assert j.select(pl.col(f"flag_{k}").eq_missing(pl.col(f"flag_{k}_right")).all()).item(), k
    assert j.select(pl.col("umur_hari").eq_missing(pl.col("age_days")).all()).item()
    assert got.filter(pl.col("haz").is_not_null()).height == 6
    # the export's own z-score is kept for QA
    b = got.filter(pl.col("id_anak") == ids("B"))
    assert abs(b["zs_tbu_lapor"][0] - (b["haz"][0] + 0.5)) < 0.006


# ---------------------------------------------------------------- privacy

def test_nik_and_names_stored_nowhere(con, tmp_path):
    f = write_xlsx(tmp_path / "ppgbm.xlsx", good_rows())
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil"
    secrets = [k[0] for k in KIDS.values()] + NAMES + ADDRESSES + [PHONE, NO_KK, NIK_ORTU]
    cols = con.execute("select table_name, column_name from information_schema.columns "
                       "where table_schema = 'main' and data_type = 'VARCHAR'").fetchall()
    tables = {t for t, in con.execute("select table_name from information_schema.tables "
                                      "where table_schema = 'main' and table_type = 'BASE TABLE'").fetchall()}
    checked = 0
    for t, c in cols:
        if t not in tables:
            continue
        vals = [v for (v,) in con.table(t).select(c).fetchall() if v]
        checked += len(vals)
        for s in secrets:
            assert not any(s.lower() in v.lower() for v in vals), f"{s!r} found in {t}.{c}"
    assert checked > 50
    blob = texts(res)
    for s in secrets:
        assert s not in blob
    # ids are 64-hex, not the NIK
    assert imported(con)["id_anak"].str.contains(r"^[0-9a-f]{64}$").all()
    # the raw export (NIK, names, addresses) is not kept under uploads; only its checksum is logged
    assert res.kept_path is None
    up = tmp_path / "uploads"
    assert not up.exists() or not any(up.iterdir())
    kept, sha = con.execute("select file_tersimpan, sha256 from import_log where import_id = $i",
                            {"i": res.import_id}).fetchall()[0]
    assert kept is None and len(sha) == 64


def test_parsed_tables_problems_and_notes_hold_no_identity(con, tmp_path):
    rows = good_rows()
    rows.append(row("C", dt.date(2026, 2, 15), "14,0", "95,0", NIK="99020203052200"))   # 14 digits
    rows.append(row("C", dt.date(2026, 2, 16), "14,0", "95,0", NIK="Cahyo Nugroho"))   # a name in the NIK column
    rows.append(row("C", dt.date(2026, 2, 17), "14,0", "95,0", NIK="9902020000000000"))  # placeholder
    rows.append(row("B", dt.date(2026, 2, 15), "12,0", "500"))
    f = write_csv(tmp_path / "ppgbm.csv", rows, HEADER + NEWER)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    secrets = [k[0] for k in KIDS.values()] + NAMES + ADDRESSES + [PHONE, NO_KK, NIK_ORTU]
    for t, frame in parsed.tables.items():
        assert "NIK" not in frame.columns and not any("nama" in c.lower() for c in frame.columns)
        for c in frame.columns:
            if frame[c].dtype == pl.String:
                vals = [v for v in frame[c].to_list() if v]
                for x in secrets:
                    assert x not in vals
    blob = texts(parsed)
    for x in secrets + ["99020203052200", "9902020000000000"]:
        assert x not in blob, x
    # an unusable NIK is not a rejection: only the height of 500 cm is
    assert [(p.row, p.column) for p in parsed.problems] == [(13, "Tinggi")]
    notes = note_texts(parsed)
    assert any(n.startswith("baris 10: NIK '9902xxxxxx2200' tidak bisa dipakai (NIK harus 16 digit angka") for n in notes)
    assert any(n.startswith("baris 11: NIK '" + "x" * 12 + "' tidak bisa dipakai") for n in notes)
    assert any(n.startswith("baris 12: NIK '9902xxxxxxxx0000' tidak bisa dipakai (NIK tidak sah") for n in notes)


def test_children_without_usable_nik_are_counted(con, tmp_path):
    """Rows 10-13 (csv: header = row 1): C twice without NIK (empty, then '-'), the same C with zeros, and a new
    child G without NIK. C's three rows share one pseudonymous id (same name, birth date, sex, desa, parent);
    G is another child. 6 NIK children + 2 without NIK = 8 children."""
    rows = good_rows()
    rows.append(row("C", dt.date(2025, 8, 14), "13,0", "91,0", NIK=""))
    rows.append(row("C", dt.date(2025, 2, 14), "12,0", "88,0", NIK="-"))
    rows.append(row("C", dt.date(2024, 8, 14), "11,0", "83,0", NIK="0000000000000000"))
    rows.append(row("D", dt.date(2026, 2, 16), "9,0", "72,0", NIK="", Nama="Gita Anjani", **{"Nama Ortu": "Tuti"}))
    f = write_csv(tmp_path / "ppgbm.csv", rows)
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil", texts(res)
    assert res.rows_imported == 11 and res.rows_rejected == 0
    df = imported(con)
    psd = df.filter(pl.col("id_anak").str.starts_with("psd-"))
    assert psd.height == 4 and psd["id_anak"].n_unique() == 2
    assert psd["id_anak"].str.contains(r"^psd-[0-9a-f]{64}$").all()
    c_ids = psd.filter(pl.col("jk") == 1)["id_anak"].unique().to_list()
    assert len(c_ids) == 1 and c_ids[0] != ids("C")          # never equal to the NIK-based id
    assert df["id_anak"].n_unique() == 8
    notes = note_texts(res)
    assert "mutu data: 2 dari 8 anak tanpa NIK yang bisa dipakai (4 baris) — tetap dihitung dengan kode anonim" in notes
    assert "  2 anak: NIK kosong atau '-'" in notes and "  1 anak: NIK tidak sah atau NIK pengganti" in notes
    assert [n[:8] for n in notes if "tidak bisa dipakai" in n] == ["baris 10", "baris 11", "baris 12", "baris 13"]
    assert any("2 of 8 children without a usable NIK" in n for n in note_texts(res, "en"))
    # the same children in a later export get the same ids (same salt): nothing doubles
    n1 = con.execute("select count(*) from pengukuran").fetchall()[0][0]
    assert runner.run_import(con, "eppgbm", f, f.name, "uji").status == "berhasil"
    assert con.execute("select count(*) from pengukuran").fetchall()[0][0] == n1


def test_pseudonymous_id_is_salted_and_prefixed(tmp_path):
    parts = ("cahyo nugroho", "2022-05-03", 1, "tiga", "dewi kartika")
    a = privacy.pseudonymous_id(parts, b"s" * 32)
    assert a == privacy.pseudonymous_id(parts, b"s" * 32) and privacy.is_pseudonymous(a)
    assert a != privacy.pseudonymous_id(parts, b"t" * 32)
    assert a != privacy.pseudonymous_id(("cahyo nugroho", "2022-05-04", 1, "tiga", "dewi kartika"), b"s" * 32)
    assert not privacy.is_pseudonymous(privacy.hash_nik("9902020305220003", b"s" * 32))


def test_usia_saat_ukur_parsed():
    from ilp.ingest import eppgbm
    assert eppgbm.parse_usia("2 Tahun - 3 Bulan - 18 Hari") == (2, 3, 18)
    assert eppgbm.parse_usia("0 Tahun - 11 Bulan - 0 Hari") == (0, 11, 0)
    assert eppgbm.parse_usia("5 Bulan - 2 Hari") == (0, 5, 2)
    assert eppgbm.parse_usia("dua tahun") is None and eppgbm.parse_usia("") is None
    # 15/01/2023 + 2 years 2 months = 15/03/2025, + 18 days = 02/04/2025
    assert eppgbm.birth_from_usia(dt.date(2025, 4, 2), (2, 2, 18)) == dt.date(2023, 1, 15)
    assert eppgbm.birth_from_usia(dt.date(2025, 3, 31), (0, 1, 0)) == dt.date(2025, 2, 28)   # day clamped
    assert calendar_age(dt.date(2023, 1, 15), dt.date(2025, 4, 2)) == (2, 2, 18)


def test_usia_saat_ukur_fallback_and_cross_check(con, tmp_path):
    rows = good_rows()
    # row 10: no birth date -> from 'Usia Saat Ukur': 14/02/2026 - (3 y 9 m 11 d) = 03/05/2022 (C's real birth date)
    rows.append(row("C", dt.date(2026, 2, 14), "14,0", "95,2", **{"Tgl Lahir": "", "NIK": "9902020305220013"}))
    # row 11: 'Usia Saat Ukur' two months off the birth date: imported, counted
    rows.append(row("D", dt.date(2026, 2, 20), "8,2", "70,9", **{"Usia Saat Ukur": "1 Tahun - 3 Bulan - 19 Hari"}))
    # row 12: neither a birth date nor a readable age: rejected on Tgl Lahir
    rows.append(row("B", dt.date(2026, 2, 20), "12,2", "86,9", **{"Tgl Lahir": "", "Usia Saat Ukur": "-"}))
    f = write_csv(tmp_path / "usia.csv", rows)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    assert [(p.row, p.column) for p in parsed.problems] == [(12, "Tgl Lahir")]
    assert "Usia Saat Ukur" in parsed.problems[0].msg.text()
    out = parsed.tables["pengukuran"]
    c = out.filter(pl.col("tgl_ukur") == dt.date(2026, 2, 14), pl.col("jk") == 1, pl.col("kode_desa") == "99.02.02.1001")
    assert c["tgl_lahir"].to_list() == [dt.date(2022, 5, 3)] * 2     # the NIK row C and the derived one
    notes = note_texts(parsed)
    assert "1 baris tanpa tanggal lahir: tanggal lahir dihitung dari Usia Saat Ukur dan Tanggal Pengukuran (baris 10)" in notes
    assert any(n.startswith("mutu data: Usia Saat Ukur berbeda lebih dari 3 hari") and "pada 1 baris (baris 11)" in n
               for n in notes)
    assert calendar_age(dt.date(2022, 5, 3), dt.date(2026, 2, 14)) == (3, 9, 11)


def test_real_export_details(con, tmp_path):
    """'Pukesmas', DD/MM/YYYY, Indonesian month names in Bulan Pengukuran, comma decimals, Berdiri/Telentang,
    duplicates on (NIK, Tanggal Pengukuran): the csv is written exactly that way by row()."""
    rows = good_rows()
    assert rows[0]["Tanggal Pengukuran"] == "10/02/2026" and rows[0]["Bulan Pengukuran"] == "Februari"
    f = write_csv(tmp_path / "ekspor.csv", rows)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    assert parsed.problems == [] and parsed.rows_valid == 7
    a = parsed.tables["pengukuran"].filter(pl.col("tgl_ukur") == dt.date(2025, 8, 12))
    assert (a["tinggi_cm"][0], a["cara_ukur"][0], a["kode_puskesmas"][0]) == (78.0, "L", "PK1")


def test_mask_nik():
    assert privacy.mask_nik("3523010101010001") == "3523xxxxxxxx0001"
    assert privacy.mask_nik("'3523010101010001") == "3523xxxxxxxx0001"
    assert privacy.normalise_nik("3523 0101 0101 0001") == "3523010101010001"
    assert privacy.normalise_nik("3523010101010001.0") == "3523010101010001"
    assert privacy.normalise_nik("3,52301E+15") is None
    assert privacy.nik_problem("3,52301E+15").key == "eppgbm.nik.eksponen"
    assert "eksponen" in privacy.nik_problem("3,52301E+15").text()
    for unusable in ("", "-", "0000000000000000", "9902010000000000", "12345"):
        assert privacy.nik_problem(unusable) is not None, unusable
    assert privacy.normalise_nik("0000000000000000") is None


def test_salt_file_created_private_and_stable(tmp_path, monkeypatch):
    p = tmp_path / "deep" / "dir" / "salt"
    monkeypatch.setenv("ILP_SALT_FILE", str(p))
    s1 = privacy.installation_salt()
    assert len(s1) == 32 and p.is_file()
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert privacy.installation_salt() == s1
    assert [x.name for x in p.parent.iterdir()] == ["salt"]     # no temp file left behind
    monkeypatch.setenv("ILP_SALT_FILE", str(runner.config.ROOT / "data" / "salt"))
    with pytest.raises(privacy.SaltError):
        privacy.installation_salt()
    assert not (runner.config.ROOT / "data" / "salt").exists()


def test_id_anak_stable_with_same_salt_and_differs_with_another(fixture_db, tmp_path, monkeypatch):
    f = write_xlsx(tmp_path / "ppgbm.xlsx", good_rows())

    def run(dbname: str) -> list[str]:
        p = tmp_path / dbname
        shutil.copy(fixture_db, p)
        c = db.connect(p)
        try:
            assert runner.run_import(c, "eppgbm", f, f.name, "uji").status == "berhasil"
            return sorted(imported(c)["id_anak"].unique())
        finally:
            c.close()

    first = run("a.duckdb")
    second = run("b.duckdb")
    assert first == second and len(first) == 6
    monkeypatch.setenv("ILP_SALT_FILE", str(tmp_path / "other" / "salt"))
    third = run("c.duckdb")
    assert len(third) == 6 and not set(third) & set(first)


# ---------------------------------------------------------------- rejections

def _one_bad(con, tmp_path, bad: dict, fmt="xlsx"):
    rows = good_rows() + [bad]
    f = write_xlsx(tmp_path / "x.xlsx", rows) if fmt == "xlsx" else write_csv(tmp_path / "x.csv", rows)
    before = data_checksums(con)
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "gagal"
    assert data_checksums(con) == before          # nothing written
    return res, f


def test_unknown_desa_rejected_with_row_and_column(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Desa/Kel": "Zebra"}))
    [p] = res.problems
    # title line + blank line + header = rows 1..3; 8 good rows = 4..11; the bad one is row 12
    assert (p.row, p.column, p.nilai) == (12, "Desa/Kel", "Zebra")
    assert "desa/kelurahan 'Zebra' tidak ditemukan di kecamatan Alpha" in p.msg.text()


def test_desa_in_wrong_kecamatan_rejected_with_hint(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Desa/Kel": "Empat"}))
    [p] = res.problems
    assert p.column == "Desa/Kel" and "kecamatan Beta" in p.msg.text()


def test_unknown_kecamatan_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", Kec="Gamma"), fmt="csv")
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (10, "Kec", "Gamma")
    assert "kecamatan 'Gamma' tidak ditemukan di Kabupaten Uji" in p.msg.text()


def test_height_500_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "500"))
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (12, "Tinggi", "500")
    assert p.msg.text() == "tinggi 500 cm di luar rentang 30–140 cm"


def test_weight_out_of_schema_range_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "0", "87,0"))
    [p] = res.problems
    assert p.column == "Berat" and "di luar rentang 0–60 kg" in p.msg.text()


def test_birth_after_measurement_rejected(con, tmp_path):
    bad = row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Tgl Lahir": "21/02/2026"})
    res, _ = _one_bad(con, tmp_path, bad)
    [p] = res.problems
    assert (p.row, p.column) == (12, "Tgl Lahir") and "sesudah" in p.msg.text()


def test_future_measurement_rejected(con, tmp_path):
    fut = dt.date.today() + dt.timedelta(days=40)
    res, _ = _one_bad(con, tmp_path, row("B", fut, "12,0", "87,0"))
    [p] = res.problems
    assert (p.row, p.column) == (12, "Tanggal Pengukuran") and "masa depan" in p.msg.text()


def test_accept_valid_imports_the_rest(con, tmp_path):
    res, f = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "500"))
    res = runner.run_import(con, "eppgbm", f, f.name, "uji", accept_valid=True)
    assert res.status == "sebagian" and res.rows_imported == 7 and res.rows_rejected == 1
    assert imported(con).height == 7


def test_reimport_doubles_nothing(con, tmp_path):
    f = write_xlsx(tmp_path / "ppgbm.xlsx", good_rows())
    assert runner.run_import(con, "eppgbm", f, f.name, "uji").status == "berhasil"
    n1 = con.execute("select count(*) from pengukuran").fetchall()[0][0]
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil"
    assert con.execute("select count(*) from pengukuran").fetchall()[0][0] == n1
    assert any("menggantikan" in n for n in note_texts(res))
    # a later corrected export replaces the row (same child, same date)
    rows = good_rows()
    rows[0]["Tinggi"] = "84,7"
    f2 = write_csv(tmp_path / "ppgbm2.csv", rows)
    assert runner.run_import(con, "eppgbm", f2, f2.name, "uji").status == "berhasil"
    assert con.execute("select count(*) from pengukuran").fetchall()[0][0] == n1
    assert con.execute("select tinggi_cm from pengukuran where id_anak = $i and tgl_ukur = date '2026-02-10'",
                       {"i": ids("A")}).fetchall() == [(84.7,)]


def test_sumber_option(con, tmp_path):
    f = write_xlsx(tmp_path / "serentak.xlsx", good_rows())
    res = runner.run_import(con, "eppgbm", f, f.name, "uji", options={"sumber": "serentak_2024"})
    assert res.status == "berhasil"
    assert set(imported(con)["sumber"]) == {"SERENTAK_2024"}
    res = runner.run_import(con, "eppgbm", f, f.name, "uji", options={"sumber": "SIGIZI"})
    assert res.status == "gagal" and "sumber" in res.problems[0].msg.text()


def test_file_without_nik_column_counts_every_child(con, tmp_path):
    hdr = [h for h in HEADER if h != "NIK"]
    f = write_csv(tmp_path / "tanpa_nik.csv", good_rows(), hdr)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    assert parsed.problems == [] and parsed.rows_valid == 7
    assert parsed.tables["pengukuran"]["id_anak"].str.starts_with("psd-").all()
    assert parsed.tables["pengukuran"]["id_anak"].n_unique() == 6
    assert any("tidak punya kolom NIK" in n for n in note_texts(parsed))


def test_puskesmas_header_spelling_and_template(con, tmp_path):
    hdr = ["Puskesmas" if h == "Pukesmas" else h for h in HEADER]
    rows = [dict(r, Puskesmas=r["Pukesmas"]) for r in good_rows()]
    f = write_csv(tmp_path / "ejaan.csv", rows, hdr)
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "berhasil", texts(res)
    assert imported(con).filter(pl.col("kode_puskesmas") == "PK1").height == 4   # A twice, B, E
    k = runner.REGISTRY["eppgbm"]
    heads = [c[0] for c in k.columns]
    assert heads[0] == "NIK" and "Pukesmas" in heads and "Tanggal Pengukuran" in heads
    assert privacy.nik_problem(k.columns[0][2]) is None            # the example NIK has a valid shape
    assert not k.columns[0][2].startswith(("35", "33"))            # and is not from a real kabupaten


def test_nik_stored_as_excel_number(con, tmp_path):
    rows = [row("B", dt.date(2026, 2, 12), "12,1", "86,3", NIK="3523016006230007"),   # < 2^53, ends in 7: exact
            row("C", dt.date(2026, 2, 14), "14,0", "95,2", NIK="3523020305220010"),   # ends in 0: maybe truncated
            row("A", dt.date(2026, 2, 10), "11,2", "84,5")]                           # 99.. > 2^53: digits lost
    f = write_xlsx(tmp_path / "angka.xlsx", rows, numeric_nik=True)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    assert parsed.problems == [] and parsed.rows_valid == 3           # counted, not rejected
    ids_ = parsed.tables["pengukuran"]["id_anak"].to_list()
    assert ids_[0] == privacy.hash_nik("3523016006230007", privacy.installation_salt())
    assert all(privacy.is_pseudonymous(i) for i in ids_[1:])
    notes = note_texts(parsed)
    assert any(n.startswith("baris 5: NIK '3523xxxxxxxx0010' tidak bisa dipakai (NIK tersimpan sebagai angka") for n in notes)
    assert any(n.startswith("baris 6:") and "sebagai angka" in n for n in notes)
    assert any("3 NIK tersimpan sebagai angka" in n for n in notes)


def test_other_kabupaten_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Kab/Kota": "KAB. TUBAN"}))
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (12, "Kab/Kota", "KAB. TUBAN") and "Kabupaten Uji" in p.msg.text()


def test_filled_template_imports(con, tmp_path):
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(runner.template_xlsx("eppgbm")))
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    fill = {"NIK": KIDS["A"][0], "Kab/Kota": "Kabupaten Uji", "Kec": "Alpha", "Pukesmas": "Puskesmas Alpha",
            "Desa/Kel": "Satu", "Posyandu": "Posyandu Satu"}
    for j, h in enumerate(heads, start=1):
        if h in fill:
            ws.cell(row=3, column=j, value=fill[h])
    p = tmp_path / "isi_template.xlsx"
    wb.save(p)
    res = runner.run_import(con, "eppgbm", p, p.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    assert any("keterangan template" in n for n in note_texts(res))
    got = imported(con)
    assert got.height == 1 and got["kode_desa"][0] == "99.02.01.2001" and got["haz"][0] is not None


def test_kind_declares_sumber_and_the_cli_accepts_both_kinds():
    import argparse

    from ilp import cli_import
    k = runner.REGISTRY["eppgbm"]
    assert [o.name for o in k.options] == ["sumber"] and k.options[0].default == "EPPGBM"
    p = cli_import.configure(argparse.ArgumentParser())
    assert p.parse_args(["eppgbm", "x.csv", "--sumber", "ASIK"]).sumber == "ASIK"
    assert p.parse_args(["rekap", "x.csv", "--sumber", "laporan gizi"]).sumber == "laporan gizi"
