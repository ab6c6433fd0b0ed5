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
    months = (ukur.year - lahir.year) * 12 + ukur.month - lahir.month
    r.update({"NIK": nik, "Nama": nama, "JK": jk, "Tgl Lahir": lahir.strftime("%d/%m/%Y"), "BB Lahir": "3,1",
              "TB Lahir": "49", "Nama Ortu": ortu, "Prov": "PROVINSI UJI", "Kab/Kota": "KAB. UJI", "Kec": kec,
              "Pukesmas": pkm, "Desa/Kel": desa, "Posyandu": posy, "RT": "003", "RW": "002", "Alamat": alamat,
              "Usia Saat Ukur": f"{months // 12} Tahun - {months % 12} Bulan - 0 Hari",
              "Tanggal Pengukuran": ukur.strftime("%d/%m/%Y"), "Bulan Pengukuran": BULAN[ukur.month],
              "Status Bulan": "1", "status tahun": str(ukur.year), "Berat": berat, "Tinggi": tinggi, "Cara Ukur": cara,
              "LiLA": "14,5", "BB/U": "Berat Badan Normal", "TB/U": "Normal", "BB/TB": "Gizi Baik",
              "ZS TB/U": zs if zs is not None else "", "Naik Berat Badan": "N", "Detail Status": "-",
              "status desa": "Desa", "No KK": NO_KK, "NIK Ortu": NIK_ORTU, "No HP": PHONE, "KIA": "Ya"})
    r.update(over)
    return r


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


def texts(res) -> str:
    return "\n".join([p.text() for p in res.problems] + [p.nilai or "" for p in res.problems] + res.notes)


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
    notes = "\n".join(res.notes)
    assert 'Desa "Sattu" → 99.02.01.2001 Satu (fuzzy 89)' in res.notes
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


def test_parsed_tables_and_problems_hold_no_identity(con, tmp_path):
    rows = good_rows()
    rows.append(row("C", dt.date(2026, 2, 15), "14,0", "95,0", NIK="99020203052200"))   # 14 digits
    rows.append(row("C", dt.date(2026, 2, 15), "14,0", "95,0", NIK="Cahyo Nugroho"))   # a name in the NIK column
    rows.append(row("C", dt.date(2026, 2, 15), "14,0", "95,0", NIK="9902020000000000"))  # placeholder
    rows.append(row("B", dt.date(2026, 2, 15), "12,0", "500"))
    f = write_csv(tmp_path / "ppgbm.csv", rows, HEADER + NEWER)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    for t, frame in parsed.tables.items():
        assert "NIK" not in frame.columns and not any("nama" in c.lower() for c in frame.columns)
        for c in frame.columns:
            if frame[c].dtype == pl.String:
                vals = [v for v in frame[c].to_list() if v]
                for s in [k[0] for k in KIDS.values()] + NAMES + ADDRESSES + [PHONE, NO_KK, NIK_ORTU]:
                    assert s not in vals
    blob = "\n".join([p.pesan + p.message + (p.nilai or "") + (p.column or "") for p in parsed.problems] + parsed.notes)
    for s in [k[0] for k in KIDS.values()] + NAMES + ADDRESSES + [PHONE, NO_KK, NIK_ORTU, "99020203052200", "9902020000000000"]:
        assert s not in blob, s
    nik_probs = [p for p in parsed.problems if p.column == "NIK"]
    assert [p.row for p in nik_probs] == [10, 11, 12]
    assert nik_probs[0].nilai == "9902xxxxxx2200" and "16 digit" in nik_probs[0].pesan
    assert nik_probs[1].nilai == "x" * 12
    assert nik_probs[2].nilai == "9902xxxxxxxx0000" and "tidak sah" in nik_probs[2].pesan


def test_mask_nik():
    assert privacy.mask_nik("3523010101010001") == "3523xxxxxxxx0001"
    assert privacy.mask_nik("'3523010101010001") == "3523xxxxxxxx0001"
    assert privacy.normalise_nik("3523 0101 0101 0001") == "3523010101010001"
    assert privacy.normalise_nik("3523010101010001.0") == "3523010101010001"
    assert privacy.normalise_nik("3,52301E+15") is None
    assert "eksponen" in privacy.nik_problem("3,52301E+15")[0]
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
    assert "desa/kelurahan 'Zebra' tidak ditemukan di kecamatan Alpha" in p.pesan


def test_desa_in_wrong_kecamatan_rejected_with_hint(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Desa/Kel": "Empat"}))
    [p] = res.problems
    assert p.column == "Desa/Kel" and "kecamatan Beta" in p.pesan


def test_unknown_kecamatan_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", Kec="Gamma"), fmt="csv")
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (10, "Kec", "Gamma")
    assert "kecamatan 'Gamma' tidak ditemukan di Kabupaten Uji" in p.pesan


def test_height_500_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "500"))
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (12, "Tinggi", "500")
    assert p.pesan == "tinggi 500 cm di luar rentang 30–140 cm"


def test_weight_out_of_schema_range_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "0", "87,0"))
    [p] = res.problems
    assert p.column == "Berat" and "di luar rentang 0–60 kg" in p.pesan


def test_birth_after_measurement_rejected(con, tmp_path):
    bad = row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Tgl Lahir": "21/02/2026"})
    res, _ = _one_bad(con, tmp_path, bad)
    [p] = res.problems
    assert (p.row, p.column) == (12, "Tgl Lahir") and "sesudah" in p.pesan


def test_future_measurement_rejected(con, tmp_path):
    fut = dt.date.today() + dt.timedelta(days=40)
    res, _ = _one_bad(con, tmp_path, row("B", fut, "12,0", "87,0"))
    [p] = res.problems
    assert (p.row, p.column) == (12, "Tanggal Pengukuran") and "masa depan" in p.pesan


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
    assert any("menggantikan" in n for n in res.notes)
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
    assert res.status == "gagal" and "sumber" in res.problems[0].pesan


def test_missing_nik_column_is_fatal(con, tmp_path):
    hdr = [h for h in HEADER if h != "NIK"]
    f = write_csv(tmp_path / "tanpa_nik.csv", good_rows(), hdr)
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "gagal" and res.problems[0].row is None and "NIK" in res.problems[0].pesan


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
    assert [(p.row, p.column) for p in parsed.problems] == [(5, "NIK"), (6, "NIK")]
    assert all("sebagai angka" in p.pesan and "xxxx" in p.nilai for p in parsed.problems)
    assert parsed.rows_valid == 1
    assert parsed.tables["pengukuran"]["id_anak"][0] == privacy.hash_nik("3523016006230007", privacy.installation_salt())
    assert any("3 NIK tersimpan sebagai angka" in n for n in parsed.notes)


def test_other_kabupaten_rejected(con, tmp_path):
    res, _ = _one_bad(con, tmp_path, row("B", dt.date(2026, 2, 20), "12,0", "87,0", **{"Kab/Kota": "KAB. TUBAN"}))
    [p] = res.problems
    assert (p.row, p.column, p.nilai) == (12, "Kab/Kota", "KAB. TUBAN") and "Kabupaten Uji" in p.pesan


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
    assert any("keterangan template" in n for n in res.notes)
    got = imported(con)
    assert got.height == 1 and got["kode_desa"][0] == "99.02.01.2001" and got["haz"][0] is not None
