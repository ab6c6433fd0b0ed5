"""Aggregate stunting recaps: varied headers, periods, unit matching, inconsistent rows, rejections, `kolom` option."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)
import xlsxwriter

from ilp import db
from ilp.ingest import rekap, runner


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))


con = fixture_copy  # a writable copy of the fixture database per test (tests/conftest.py)


def write_xlsx(path, header, rows, title="REKAP BALITA STUNTING KABUPATEN UJI", numbers=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Rekap")
    r0 = 0
    if title:
        ws.write_string(0, 0, title)
        r0 = 2
    for j, h in enumerate(header):
        ws.write_string(r0, j, h)
    for i, r in enumerate(rows, start=r0 + 1):
        for j, val in enumerate(r):
            if val is None or val == "":
                continue
            if numbers and isinstance(val, (int, float)):
                ws.write_number(i, j, val)
            else:
                ws.write_string(i, j, str(val))
    wb.close()
    return path


def write_csv(path, header, rows, sep=";", enc="cp1252"):
    lines = [sep.join(header)] + [sep.join("" if x is None else str(x) for x in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(enc))
    return path


def rekap_rows(con, periode: str) -> dict[str, dict]:
    df = db.fetch_pl(con, "select * from rekap_stunting where periode = $p order by kode_unit", {"p": periode})
    return {r["kode_unit"]: r for r in df.iter_rows(named=True)}


LAYOUT1 = ["No", "Unit Kerja", "Jumlah Yang Diukur", "Pendek", "Sangat Pendek", "Prevalensi"]
LAYOUT2 = ["Puskesmas", "Balita Diukur TB", "Balita Pendek", "Balita Sangat Pendek", "Stunting"]


# ---------------------------------------------------------------- layouts

def test_layout_unit_kerja_with_prevalence_text(con, tmp_path):
    hdr = LAYOUT1 + ["Bulan", "Tahun"]
    rows = [
        [1, "Puskesmas Alpha", 350, 22, 8, "8,6 %", "Agustus", 2025],   # 30/350 = 8.57
        [2, "PUSKESMAS BETA", 200, 10, 5, "7.5%", "Agustus", 2025],      # 15/200 = 7.5
        ["JUMLAH", None, 550, 32, 13, "8,2 %", None, None],              # total row: skipped
    ]
    f = write_xlsx(tmp_path / "rekap agustus.xlsx", hdr, rows)
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    assert res.rows_imported == 2
    got = rekap_rows(con, "2025-08")
    assert set(got) == {"PK1", "PK2"}
    a = got["PK1"]
    assert (a["jenis_unit"], a["diukur"], a["pendek"], a["sangat_pendek"]) == ("puskesmas", 350, 22, 8)
    assert a["prevalensi_lapor"] == pytest.approx(8.6) and a["stunting_lapor"] is None and a["flag_inkonsisten"] is None
    assert got["PK2"]["prevalensi_lapor"] == pytest.approx(7.5) and got["PK2"]["flag_inkonsisten"] is None
    assert got["PK2"]["sumber"] == "rekap rekap agustus.xlsx"
    assert any("baris jumlah/total dilewati" in n for n in res.notes)


def test_layout_puskesmas_stunting_with_periode_option(con, tmp_path):
    rows = [
        ["Puskesmas Alpha", 120, 9, 3, 12],
        ["Puskesmas Beta", 80, 4, 2, 6],
    ]
    f = write_csv(tmp_path / "rekap_feb.csv", LAYOUT2, rows)
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-02", "sumber": "laporan gizi"})
    assert res.status == "berhasil", [p.text() for p in res.problems]
    got = rekap_rows(con, "2025-02")
    assert {k: (r["diukur"], r["pendek"], r["sangat_pendek"], r["stunting_lapor"]) for k, r in got.items()} == {
        "PK1": (120, 9, 3, 12), "PK2": (80, 4, 2, 6)}
    assert {r["sumber"] for r in got.values()} == {"laporan gizi"}
    assert all(r["flag_inkonsisten"] is None for r in got.values())


def test_file_without_period_needs_the_option(con, tmp_path):
    f = write_csv(tmp_path / "tanpa_periode.csv", LAYOUT2, [["Puskesmas Alpha", 120, 9, 3, 12]])
    before = data_checksums(con)
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "gagal" and res.problems[0].row is None and "opsi periode" in res.problems[0].pesan
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "Agustus 2025x"})
    assert res.status == "gagal" and "periode" in res.problems[0].pesan
    assert data_checksums(con) == before


def test_periode_column_spellings():
    assert rekap.parse_periode("2025-08") == "2025-08"
    assert rekap.parse_periode("Agustus 2025") == "2025-08"
    assert rekap.parse_periode("FEBRUARI 2026") == "2026-02"
    assert rekap.parse_periode("Agt-25") == "2025-08"
    assert rekap.parse_periode("08/2025") == "2025-08"
    assert rekap.parse_periode("2025-08-01") == "2025-08"
    assert rekap.parse_periode("01/02/2026") == "2026-02"
    assert rekap.parse_periode("Agustusan") is None
    assert rekap.hkey("% Stunting") != rekap.hkey("Stunting") == rekap.hkey(" STUNTING ")
    assert rekap.hkey("Jumlah  Yang_Diukur") == "jumlahyangdiukur"


# ---------------------------------------------------------------- inconsistent rows are imported, flagged

def test_inconsistent_rows_imported_with_flag(con, tmp_path):
    hdr = ["Puskesmas", "Periode", "Jumlah Balita Diukur", "Pendek", "Sangat Pendek", "Jumlah Stunting", "% Stunting"]
    rows = [
        ["Puskesmas Alpha", "Agustus 2025", 120, 9, 3, 14, "10,0 %"],     # 12 ≠ 14 reported
        ["Puskesmas Beta", "Agustus 2025", 80, 4, 2, 6, "12,5 %"],        # 6/80 = 7.5 % ≠ 12.5 %
    ]
    f = write_xlsx(tmp_path / "rekap.xlsx", hdr, rows)
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "berhasil" and res.rows_imported == 2
    got = rekap_rows(con, "2025-08")
    assert got["PK1"]["flag_inkonsisten"] == "pendek + sangat pendek (12) ≠ stunting dilaporkan (14)"
    assert got["PK2"]["flag_inkonsisten"] == "prevalensi dilaporkan (12,5%) ≠ (pendek + sangat pendek)/diukur (7,5%)"
    assert any("2 baris rekap tidak konsisten" in n for n in res.notes)


def test_more_stunted_than_measured_is_flagged(con, tmp_path):
    f = write_csv(tmp_path / "r.csv", ["Desa", "Kecamatan", "Diukur", "Pendek", "Sangat Pendek"],
                  [["Satu", "Alpha", 10, 8, 4], ["Kel. Tiga", "Beta", 30, 2, 1]], sep=",", enc="utf-8")
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "berhasil", [p.text() for p in res.problems]
    got = rekap_rows(con, "2025-08")
    assert got["99.02.01.2001"]["jenis_unit"] == "desa"
    assert got["99.02.01.2001"]["flag_inkonsisten"] == "pendek + sangat pendek (12) > jumlah diukur (10)"
    assert got["99.02.02.1001"]["flag_inkonsisten"] is None


# ---------------------------------------------------------------- rejections

def test_negative_count_and_text_rejected(con, tmp_path):
    rows = [
        ["Puskesmas Alpha", 120, -3, 3, 0],
        ["Puskesmas Beta", 80, "empat", 2, 6],
    ]
    f = write_csv(tmp_path / "neg.csv", LAYOUT2, rows)
    before = data_checksums(con)
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "gagal"
    assert data_checksums(con) == before
    p1, p2 = res.problems
    assert (p1.row, p1.column, p1.nilai) == (2, "Balita Pendek", "-3") and "negatif" in p1.pesan
    assert (p2.row, p2.column, p2.nilai) == (3, "Balita Pendek", "empat") and "bukan angka" in p2.pesan


def test_unknown_puskesmas_rejected(con, tmp_path):
    rows = [["Puskesmas Alpha", 120, 9, 3, 12], ["Puskesmas Gamma", 50, 1, 0, 1], ["Puskesmas Alfa", 50, 1, 0, 1]]
    f = write_csv(tmp_path / "gamma.csv", LAYOUT2, rows)
    before = data_checksums(con)
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "gagal" and data_checksums(con) == before
    p1, p2 = res.problems
    assert (p1.row, p1.column, p1.nilai) == (3, "Puskesmas", "Puskesmas Gamma")
    assert "Puskesmas 'Puskesmas Gamma' tidak ditemukan" in p1.pesan
    assert "maksud Anda 'Puskesmas Alpha'?" in p2.pesan           # a suggestion, never a silent guess
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"}, accept_valid=True)
    assert res.status == "sebagian" and set(rekap_rows(con, "2025-08")) == {"PK1"}


def test_future_period_and_duplicate_unit_rejected(con, tmp_path):
    nxt = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    hdr = ["Puskesmas", "Periode", "Diukur", "Pendek", "Sangat Pendek"]
    rows = [["Puskesmas Alpha", nxt.strftime("%Y-%m"), 10, 1, 0],
            ["Puskesmas Beta", "2025-08", 10, 1, 0], ["PKM Beta", "2025-08", 11, 1, 0]]
    res = runner.run_import(con, "rekap", write_csv(tmp_path / "f.csv", hdr, rows), "f.csv", "uji")
    assert res.status == "gagal"
    assert [(p.row, p.column) for p in res.problems] == [(2, "Periode"), (4, None)]
    assert "masa depan" in res.problems[0].pesan and "duplikat" in res.problems[1].pesan


def test_missing_count_column_is_fatal_and_suggests_kolom(con, tmp_path):
    f = write_csv(tmp_path / "m.csv", ["Puskesmas", "Jml Ukur", "Pendek", "Sangat Pendek"], [["Puskesmas Alpha", 10, 1, 0]])
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "gagal" and res.problems[0].row is None
    assert "opsi kolom" in res.problems[0].pesan and "diukur" in res.problems[0].pesan


# ---------------------------------------------------------------- the kolom option

@pytest.mark.parametrize("kolom", [
    {"unit": "Nama PKM", "diukur": "Jml Ukur", "pendek": "Pdk", "sangat_pendek": "Sgt Pdk", "stunting": "Stunt"},
    ["unit=Nama PKM", 'diukur="Jml Ukur"', "pendek=Pdk", "sangat_pendek=Sgt Pdk", "stunting=Stunt"],   # as the CLI passes it
])
def test_kolom_option_maps_other_headers(con, tmp_path, kolom):
    f = write_csv(tmp_path / "lain.csv", ["Nama PKM", "Jml Ukur", "Pdk", "Sgt Pdk", "Stunt"],
                  [["Alpha", 40, 3, 1, 4], ["Beta", 30, 1, 1, 2]])
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08", "kolom": kolom})
    assert res.status == "berhasil", [p.text() for p in res.problems]
    got = rekap_rows(con, "2025-08")
    assert {k: (r["diukur"], r["pendek"], r["sangat_pendek"], r["stunting_lapor"]) for k, r in got.items()} == {
        "PK1": (40, 3, 1, 4), "PK2": (30, 1, 1, 2)}


def test_kolom_option_errors(con, tmp_path):
    f = write_csv(tmp_path / "lain.csv", ["Nama PKM", "Jml Ukur", "Pdk", "Sgt Pdk"], [["Alpha", 40, 3, 1]])
    res = runner.run_import(con, "rekap", f, f.name, "uji",
                            options={"periode": "2025-08", "kolom": {"diukur": "Jumlah Ukur", "unit": "Nama PKM"}})
    assert res.status == "gagal" and "'Jumlah Ukur'" in res.problems[0].pesan
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08", "kolom": {"gizi": "Pdk"}})
    assert res.status == "gagal" and "tidak dikenal" in res.problems[0].pesan


# ---------------------------------------------------------------- other shapes

def test_kode_column_and_kecamatan_level(con, tmp_path):
    f = write_csv(tmp_path / "kec.csv", ["Kode", "Kecamatan", "Diukur", "Pendek", "Sangat Pendek", "Bulan", "Tahun"],
                  [["99.02.01", "Alpha", 100, 5, 2, "Februari", 2025], ["990202", "Beta", 60, 3, 0, "2", 2025]])
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    got = rekap_rows(con, "2025-02")
    assert {k: r["jenis_unit"] for k, r in got.items()} == {"99.02.01": "kecamatan", "99.02.02": "kecamatan"}


def test_percent_cells_as_fraction(con, tmp_path):
    f = write_xlsx(tmp_path / "pct.xlsx", ["Puskesmas", "Diukur", "Pendek", "Sangat Pendek", "Prevalensi"],
                   [["Puskesmas Alpha", 350, 22, 8, 30 / 350], ["Puskesmas Beta", 200, 10, 5, 0.075]], numbers=True)
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "berhasil", [p.text() for p in res.problems]
    got = rekap_rows(con, "2025-08")
    assert got["PK1"]["prevalensi_lapor"] == pytest.approx(8.5714, abs=1e-3) and got["PK1"]["flag_inkonsisten"] is None
    assert any("dikali 100" in n for n in res.notes)


def test_reimport_doubles_nothing(con, tmp_path):
    f = write_csv(tmp_path / "r.csv", LAYOUT2, [["Puskesmas Alpha", 120, 9, 3, 12], ["Puskesmas Beta", 80, 4, 2, 6]])
    n0 = con.execute("select count(*) from rekap_stunting").fetchall()[0][0]
    for _ in range(2):
        assert runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"}).status == "berhasil"
    assert con.execute("select count(*) from rekap_stunting").fetchall()[0][0] == n0 + 2
    # a corrected recap for an already loaded period replaces the fixture's rows
    f2 = write_csv(tmp_path / "r2.csv", LAYOUT2, [["Puskesmas Alpha", 13, 3, 1, 4]])
    res = runner.run_import(con, "rekap", f2, f2.name, "uji", options={"periode": "2026-02"})
    assert res.status == "berhasil" and any("menggantikan" in n for n in res.notes)
    assert rekap_rows(con, "2026-02")["PK1"]["diukur"] == 13
    assert con.execute("select count(*) from rekap_stunting").fetchall()[0][0] == n0 + 2


def test_dash_means_zero(con, tmp_path):
    f = write_csv(tmp_path / "d.csv", LAYOUT2, [["Puskesmas Alpha", 120, 9, "-", 9]])
    res = runner.run_import(con, "rekap", f, f.name, "uji", options={"periode": "2025-08"})
    assert res.status == "berhasil"
    assert rekap_rows(con, "2025-08")["PK1"]["sangat_pendek"] == 0


def test_template_lists_the_layout():
    k = runner.REGISTRY["rekap"]
    assert [c[0] for c in k.columns][:3] == ["Puskesmas", "Periode", "Jumlah Balita Diukur"]


def test_filled_template_imports(con, tmp_path):
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(runner.template_xlsx("rekap")))
    ws = wb.worksheets[0]
    ws.cell(row=3, column=1, value="Puskesmas Alpha")
    p = tmp_path / "isi_template.xlsx"
    wb.save(p)
    res = runner.run_import(con, "rekap", p, p.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    assert any("keterangan template" in n for n in res.notes)
    r = rekap_rows(con, "2025-08")["PK1"]
    assert (r["diukur"], r["pendek"], r["sangat_pendek"], r["stunting_lapor"], r["flag_inkonsisten"]) == (350, 22, 8, 30, None)
