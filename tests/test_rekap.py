"""Aggregate stunting recaps as districts have them: messy headers, ten rounds, total rows, Puskesmas created from
the recap, data-quality flags, rejections with row and column, the `kolom` option. Answers are computed by hand
from the fixture files in tests/fixtures/rekap/ (see the comments there and below)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)
from ilp import db
from ilp.ingest import rekap, runner
from ilp.ingest.rekap_flags import flag_text
from ilp.ingest.base import Msg, Source

FIX = Path(__file__).parent / "fixtures" / "rekap"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))


con = fixture_copy  # a writable copy of the fixture database per test (tests/conftest.py)


def parse(con, path, **options):
    return rekap.parse(Source(Path(path), Path(path).name, options), con)


def notes(parsed, lang="id") -> list[str]:
    return [n.text(lang) if isinstance(n, Msg) else str(n) for n in parsed.notes]


def texts(problems, lang="id") -> list[str]:
    return [p.msg.text(lang) for p in problems]


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


def by_key(parsed, periode):
    df = parsed.tables["rekap_stunting"]
    return {r["kode_unit"]: r for r in df.filter(df["periode"] == periode).iter_rows(named=True)}


LAYOUT2 = ["Puskesmas", "Balita Diukur TB", "Balita Pendek", "Balita Sangat Pendek", "Stunting"]
GAMMA = "RKP-99.02.01-GAMMA"


# ---------------------------------------------------------------- the per-Puskesmas recap, ten rounds, no option

def test_ten_rounds_per_puskesmas_with_no_option(con):
    """Fixture: 3 Puskesmas x 10 rounds (Januari..Oktober 2025), month and year in separate columns, a JUMLAH row
    per round. Alpha: diukur 100+i, pendek 10, sangat pendek 5; Beta: 200, 20+i, 10; Gamma (not in faskes,
    kecamatan Alpha): 50, i, 1."""
    p = parse(con, FIX / "rekap_puskesmas_10_putaran.csv")
    assert [x for x in p.problems] == [], texts(p.problems)
    df = p.tables["rekap_stunting"]
    assert p.rows_valid == df.height == 30
    assert sorted(set(df["periode"].to_list())) == [f"2025-{m:02d}" for m in range(1, 11)]
    assert sorted(set(df["kode_unit"].to_list())) == ["PK1", "PK2", GAMMA]
    assert set(df["jenis_unit"].to_list()) == {"puskesmas"}
    sums = {k: (d, ps, s) for k, d, ps, s in df.group_by("kode_unit").agg(
        pl.col("diukur").sum(), pl.col("pendek").sum(), pl.col("sangat_pendek").sum()).iter_rows()}
    assert sums["PK1"] == (1055, 100, 50)          # sum(100+i, i=1..10) = 1055
    assert sums["PK2"] == (2000, 255, 100)         # sum(20+i) = 255
    assert sums[GAMMA] == (500, 55, 10)            # sum(i) = 55
    assert any("10 baris jumlah/total dilewati" in n for n in notes(p))
    # Gamma is created once, in kecamatan Alpha, marked as coming from the recap
    fk = p.tables["faskes"]
    assert fk.height == 1
    g = fk.row(0, named=True)
    assert (g["kode_faskes"], g["nama"], g["jenis"], g["kode_kec"], g["aturan_lokasi"], g["aktif"]) == (
        GAMMA, "Puskesmas Gamma", "puskesmas", "99.02.01", "rekap", True)
    assert g["sumber"] == "rekap rekap_puskesmas_10_putaran.csv"
    assert any("1 Puskesmas tidak ada di tabel faskes" in n and "Puskesmas Gamma (Alpha" in n for n in notes(p))


def test_ten_rounds_flags_row_by_row(con):
    p = parse(con, FIX / "rekap_puskesmas_10_putaran.csv")
    flags = {(r["periode"], r["kode_unit"]): r["flag_inkonsisten"]
             for r in p.tables["rekap_stunting"].iter_rows(named=True) if r["flag_inkonsisten"]}
    # stored as stable codes, rendered at display time in the reader's language (rekap_flags.flag_text)
    # Maret: Beta listed under kecamatan Alpha (file row 14: data from row 5, 4 rows per round)
    assert flags[("2025-03", "PK2")] == "pkm_beda_kecamatan"
    # April: '14,4 %%' cannot be read: left empty, the row is imported
    assert flags[("2025-04", "PK1")] == "tidak_terbaca"
    assert by_key(p, "2025-04")["PK1"]["prevalensi_lapor"] is None
    assert by_key(p, "2025-04")["PK1"]["diukur"] == 104
    # Mei: Gamma reports 9 stunted, 5 + 1 = 6
    assert flags[("2025-05", GAMMA)] == "stunting_beda"
    # Juni: '12,0 %' in every row of the round; each row's own prevalence differs too
    assert flags[("2025-06", "PK1")] == "prevalensi_beda;disalin"
    assert flags[("2025-06", "PK2")] == flags[("2025-06", GAMMA)] == "prevalensi_beda;disalin"
    # Agustus: '±19%' is a stray symbol
    assert flags[("2025-08", "PK2")] == "tidak_terbaca"
    assert len(flags) == 7
    assert flag_text("prevalensi_beda;disalin", "id") == ("prevalensi dilaporkan ≠ (pendek + sangat pendek)/diukur; "
                                                          "nilai sama di semua baris periode ini (tersalin ke bawah?)")
    assert flag_text("stunting_beda", "en") == "pendek + sangat pendek ≠ reported stunting"
    assert flag_text(None) == "" and flag_text("teks lama dari demo") == "teks lama dari demo"
    # the notes keep the numbers, row by row
    ns = notes(p)
    assert "baris 14: Puskesmas Beta tercantum di kecamatan Alpha, padahal di tabel faskes berada di kecamatan Beta" in ns
    assert "baris 9: sel Prevalensi Stunting '14,4 %%' tidak terbaca: dikosongkan" in ns or any(
        "'14,4 %%' tidak terbaca" in n for n in ns)
    assert any("pendek + sangat pendek (6) ≠ stunting dilaporkan (9)" in n for n in ns)
    assert any("prevalensi dilaporkan (12,0%) ≠ (pendek + sangat pendek)/diukur (14,2%)" in n for n in ns)
    assert any(n.startswith("7 baris rekap tidak konsisten") for n in ns)
    # the same notes in English
    en = notes(p, "en")
    assert any("row 14: Puskesmas Beta is listed under kecamatan Alpha" in n for n in en)


def test_ten_rounds_import_and_reimport(con):
    f = FIX / "rekap_puskesmas_10_putaran.csv"
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    assert res.rows_imported == 30
    g = con.execute("select nama, kode_kec, aturan_lokasi, jenis from faskes where kode_faskes = $k",
                    {"k": GAMMA}).fetchall()
    assert g == [("Puskesmas Gamma", "99.02.01", "rekap", "puskesmas")]
    assert rekap_rows(con, "2025-07")[GAMMA]["pendek"] == 7
    # the second time the created Puskesmas is found in faskes: nothing is created again, nothing doubles
    n0 = con.execute("select count(*) from rekap_stunting").fetchall()[0][0]
    p = parse(con, f)
    assert "faskes" not in p.tables and by_key(p, "2025-07")[GAMMA]["pendek"] == 7
    assert runner.run_import(con, "rekap", f, f.name, "uji").status == "berhasil"
    assert con.execute("select count(*) from rekap_stunting").fetchall()[0][0] == n0


def test_real_facility_list_later_wins(con):
    f = FIX / "rekap_puskesmas_10_putaran.csv"
    assert runner.run_import(con, "rekap", f, f.name, "uji").status == "berhasil"
    # the official list arrives with 'UPTD PUSKESMAS GAMMA' in kecamatan Alpha
    con.execute("insert into faskes (kode_faskes, nama, jenis, kode_kec, aturan_lokasi, sumber) values "
                "('P9902010201', 'UPTD PUSKESMAS GAMMA', 'puskesmas', '99.02.01', 'kode', 'daftar resmi')")
    p = parse(con, f)
    assert by_key(p, "2025-01")["P9902010201"]["diukur"] == 50
    assert p.tables["faskes"].select("kode_faskes", "aktif").rows() == [(GAMMA, False)]
    assert any(GAMMA + " → P9902010201" in n for n in notes(p))
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    got = con.execute("select count(*) filter (where kode_unit = $old), count(*) filter (where kode_unit = 'P9902010201') "
                      "from rekap_stunting", {"old": GAMMA}).fetchall()
    assert got == [(0, 10)]
    assert con.execute("select aktif from faskes where kode_faskes = $k", {"k": GAMMA}).fetchall() == [(False,)]


def test_empty_facility_table_creates_every_puskesmas(con):
    con.execute("delete from faskes")
    p = parse(con, FIX / "rekap_puskesmas_10_putaran.csv")
    assert p.problems == [], texts(p.problems)
    assert sorted(p.tables["faskes"]["kode_faskes"].to_list()) == [
        "RKP-99.02.01-ALPHA", "RKP-99.02.01-BETA", GAMMA, "RKP-99.02.02-BETA"]
    # Beta listed under Alpha in Maret becomes its own unit there: the kecamatan is what the file says
    assert by_key(p, "2025-03")["RKP-99.02.01-BETA"]["pendek"] == 23


# ---------------------------------------------------------------- per desa, per kecamatan

def test_desa_recap_with_four_period_spellings(con):
    """'Februari 2025', 'Feb-25', '2025-02', '02/2025' are one round; 'Ds.', 'Kel.', 'Kec.' prefixes; '-' = 0."""
    p = parse(con, FIX / "rekap_desa.csv")
    assert p.problems == [], texts(p.problems)
    got = by_key(p, "2025-02")
    assert {k: (r["jenis_unit"], r["diukur"], r["pendek"], r["sangat_pendek"]) for k, r in got.items()} == {
        "99.02.01.2001": ("desa", 40, 3, 1), "99.02.01.2002": ("desa", 30, 2, 0),
        "99.02.02.1001": ("desa", 25, 1, 1), "99.02.02.2002": ("desa", 20, 0, 0)}
    assert got["99.02.01.2002"]["prevalensi_lapor"] == pytest.approx(6.7) and got["99.02.01.2002"]["flag_inkonsisten"] is None
    ns = notes(p)
    assert any("1 baris jumlah/total dilewati (baris 6)" in n for n in ns)
    assert any("1 sel berisi '-' dibaca sebagai 0" in n for n in ns)


def test_kecamatan_recap(con):
    p = parse(con, FIX / "rekap_kecamatan.csv", jenis_unit="otomatis")     # what the Kelola widget sends by default
    assert p.problems == [], texts(p.problems)
    got = by_key(p, "2025-08")
    assert {k: (r["jenis_unit"], r["diukur"], r["pendek"] + r["sangat_pendek"], r["flag_inkonsisten"])
            for k, r in got.items()} == {"99.02.01": ("kecamatan", 150, 15, None), "99.02.02": ("kecamatan", 90, 9, None)}
    assert "faskes" not in p.tables


def test_one_name_four_spellings_resolve_to_one_unit(con, tmp_path):
    hdr = ["Nama Puskesmas", "Periode", "Jumlah Yang Diukur", "Pendek", "Sangat Pendek"]
    rows = [["UPTD Puskesmas Alpha", "2025-01", 10, 1, 0], ["PKM Alpha", "2025-02", 11, 1, 0],
            ["Puskesmas Alpha", "2025-03", 12, 1, 0], ["ALPHA", "2025-04", 13, 1, 0]]
    p = parse(con, write_csv(tmp_path / "a.csv", hdr, rows))
    assert p.problems == []
    assert set(p.tables["rekap_stunting"]["kode_unit"].to_list()) == {"PK1"}


def test_two_puskesmas_in_one_kecamatan_are_not_duplicates(con, tmp_path):
    hdr = ["PKM", "Kecamatan", "Bulan", "Tahun", "Diukur", "Pendek", "Sangat Pendek"]
    rows = [["Alpha", "Alpha", "Mei", 2025, 10, 1, 0], ["Gamma", "Alpha", "Mei", 2025, 20, 2, 0],
            ["Delta", "Alpha", "Mei", 2025, 30, 3, 0]]
    p = parse(con, write_csv(tmp_path / "k.csv", hdr, rows))
    assert p.problems == [], texts(p.problems)
    assert sorted(p.tables["rekap_stunting"]["kode_unit"].to_list()) == ["PK1", "RKP-99.02.01-DELTA", GAMMA]


# ---------------------------------------------------------------- rejections (row and column)

def test_impossible_rows_rejected_with_row_and_column(con, tmp_path):
    hdr = ["Puskesmas", "Periode", "Jumlah Yang Diukur", "Pendek", "Sangat Pendek", "Prevalensi"]
    rows = [["Puskesmas Alpha", "2025-08", 10, 8, 4, "12 %"],      # 12 stunted of 10 measured
            ["Puskesmas Beta", "2025-08", 80, -3, 2, "%%"],        # negative (and an unreadable optional cell)
            ["PKM Alpha", "2025-09", 80, "empat", 2, ""]]           # text in a count column
    f = write_csv(tmp_path / "x.csv", hdr, rows)
    p = parse(con, f)
    assert [(q.row, q.column, q.nilai) for q in p.problems] == [
        (2, "Pendek", "12"), (3, "Pendek", "-3"), (4, "Pendek", "empat")]
    t = texts(p.problems)
    assert t[0] == "pendek + sangat pendek (12) lebih banyak dari jumlah diukur (10): tidak mungkin"
    assert "negatif" in t[1] and "bukan angka" in t[2]
    before = data_checksums(con)
    res = runner.run_import(con, "rekap", f, f.name, "uji")
    assert res.status == "gagal" and data_checksums(con) == before


def test_unknown_puskesmas_without_kecamatan_rejected_with_suggestion(con, tmp_path):
    rows = [["Puskesmas Alpha", 120, 9, 3, 12], ["Puskesmas Gamma", 50, 1, 0, 1], ["Puskesmas Alfa", 50, 1, 0, 1]]
    p = parse(con, write_csv(tmp_path / "gamma.csv", LAYOUT2, rows), periode="2025-08")
    p1, p2 = p.problems
    assert (p1.row, p1.column, p1.nilai) == (3, "Puskesmas", "Puskesmas Gamma")
    assert "Puskesmas 'Puskesmas Gamma' tidak ditemukan" in p1.msg.text() and "Kecamatan" in p1.msg.text()
    assert "maksud Anda 'Puskesmas Alpha'?" in p2.msg.text()          # a suggestion, never a silent guess


def test_close_name_in_the_kecamatan_is_not_created(con, tmp_path):
    hdr = ["Puskesmas", "Kecamatan", "Periode", "Diukur", "Pendek", "Sangat Pendek"]
    p = parse(con, write_csv(tmp_path / "t.csv", hdr, [["Puskesmas Alfa", "Alpha", "2025-08", 10, 1, 0]]))
    (q,) = p.problems
    assert (q.row, q.column) == (2, "Puskesmas") and "mirip 'Puskesmas Alpha'" in q.msg.text()
    assert "faskes" not in p.tables


def test_future_period_and_duplicate_unit_rejected(con, tmp_path):
    nxt = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    hdr = ["Puskesmas", "Periode", "Diukur", "Pendek", "Sangat Pendek"]
    rows = [["Puskesmas Alpha", nxt.strftime("%Y-%m"), 10, 1, 0],
            ["Puskesmas Beta", "2025-08", 10, 1, 0], ["PKM Beta", "2025-08", 11, 1, 0]]
    p = parse(con, write_csv(tmp_path / "f.csv", hdr, rows))
    assert [(q.row, q.column) for q in p.problems] == [(2, "Periode"), (4, None)]
    t = texts(p.problems)
    assert "masa depan" in t[0] and t[1] == "baris duplikat: unit PK2 periode 2025-08 sudah ada di baris 3"


def test_missing_count_column_and_period_are_whole_file_problems(con, tmp_path):
    f = write_csv(tmp_path / "m.csv", ["Puskesmas", "Jml Ukur", "Pendek", "Sangat Pendek"], [["Puskesmas Alpha", 10, 1, 0]])
    p = parse(con, f)
    assert [q.row for q in p.problems] == [None, None]
    t = texts(p.problems)
    assert "opsi kolom" in t[0] and "diukur=" in t[0] and "opsi periode" in t[1]
    assert parse(con, f, periode="Agustus 2025x").problems[0].msg.key == "rekap.opsi_periode"


# ---------------------------------------------------------------- the kolom option

@pytest.mark.parametrize("kolom", [
    {"unit": "Nama PKM", "diukur": "Jml Ukur", "pendek": "Pdk", "sangat_pendek": "Sgt Pdk", "stunting": "Stunt"},
    ["unit=Nama PKM", 'diukur="Jml Ukur"', "pendek=Pdk", "sangat_pendek=Sgt Pdk", "stunting=Stunt"],   # as the CLI passes it
])
def test_kolom_option_maps_other_headers(con, tmp_path, kolom):
    f = write_csv(tmp_path / "lain.csv", ["Nama PKM", "Jml Ukur", "Pdk", "Sgt Pdk", "Stunt"],
                  [["Alpha", 40, 3, 1, 4], ["Beta", 30, 1, 1, 2]])
    p = parse(con, f, periode="2025-08", kolom=kolom)
    assert p.problems == [], texts(p.problems)
    assert {k: (r["diukur"], r["pendek"], r["sangat_pendek"], r["stunting_lapor"]) for k, r in by_key(p, "2025-08").items()
            } == {"PK1": (40, 3, 1, 4), "PK2": (30, 1, 1, 2)}


def test_kolom_option_errors(con, tmp_path):
    f = write_csv(tmp_path / "lain.csv", ["Nama PKM", "Jml Ukur", "Pdk", "Sgt Pdk"], [["Alpha", 40, 3, 1]])
    p = parse(con, f, periode="2025-08", kolom={"diukur": "Jumlah Ukur", "unit": "Nama PKM"})
    assert "'Jumlah Ukur'" in texts(p.problems)[0]
    p = parse(con, f, periode="2025-08", kolom={"gizi": "Pdk"})
    assert "tidak dikenal" in texts(p.problems)[0]


# ---------------------------------------------------------------- units, periods, cells

def test_periode_spellings():
    for s in ("2025-08", "Agustus 2025", "AGUSTUS 2025", "Agt-25", "Aug 2025", "08/2025", "2025-08-01",
              "01/08/2025", "2025-08-01 00:00:00"):
        assert rekap.parse_periode(s) == "2025-08", s
    assert rekap.parse_periode("Feb-25") == rekap.parse_periode("02/2025") == "2025-02"
    assert rekap.parse_periode("Agustusan") is None and rekap.parse_periode("13/2025") is None
    assert rekap.parse_bulan("Pebruari") == rekap.parse_bulan("2") == rekap.parse_bulan("02") == 2
    from ilp.names import header_key_strict
    assert header_key_strict("% Stunting") != header_key_strict("Stunting") == header_key_strict(" STUNTING ")
    assert header_key_strict("Stunting (%)") == "stunting%" and header_key_strict("Pendek (anak)") == "pendek"
    assert header_key_strict("Pendek + Sangat Pendek") != header_key_strict("Pendek Sangat Pendek")
    assert header_key_strict("Jumlah  Yang_Diukur") == "jumlahyangdiukur"


def test_kode_column_and_kecamatan_level(con, tmp_path):
    f = write_csv(tmp_path / "kec.csv", ["Kode", "Kecamatan", "Diukur", "Pendek", "Sangat Pendek", "Bulan", "Tahun"],
                  [["99.02.01", "Alpha", 100, 5, 2, "Februari", 2025], ["990202", "Beta", 60, 3, 0, "2", 2025]])
    p = parse(con, f)
    assert p.problems == [], texts(p.problems)
    assert {k: r["jenis_unit"] for k, r in by_key(p, "2025-02").items()} == {"99.02.01": "kecamatan",
                                                                                 "99.02.02": "kecamatan"}


def test_percent_cells_as_fraction(con, tmp_path):
    f = write_xlsx(tmp_path / "pct.xlsx", ["Puskesmas", "Diukur", "Pendek", "Sangat Pendek", "Prevalensi"],
                   [["Puskesmas Alpha", 350, 22, 8, 30 / 350], ["Puskesmas Beta", 200, 10, 5, 0.075]], numbers=True)
    p = parse(con, f, periode="2025-08")
    assert p.problems == [], texts(p.problems)
    got = by_key(p, "2025-08")
    assert got["PK1"]["prevalensi_lapor"] == pytest.approx(8.5714, abs=1e-3) and got["PK1"]["flag_inkonsisten"] is None
    assert any("dikali 100" in n for n in notes(p))


def test_unit_kerja_xlsx_with_total_in_no_column(con, tmp_path):
    hdr = ["No", "Unit Kerja", "Jumlah Yang Diukur", "Pendek", "Sangat Pendek", "Prevalensi", "Bulan", "Tahun"]
    rows = [[1, "Puskesmas Alpha", 350, 22, 8, "8,6 %", "Agustus", 2025],   # 30/350 = 8.57
            [2, "PUSKESMAS BETA", 200, 10, 5, "7.5%", "Agustus", 2025],      # 15/200 = 7.5
            ["JUMLAH", None, 550, 32, 13, "8,2 %", None, None]]
    p = parse(con, write_xlsx(tmp_path / "rekap agustus.xlsx", hdr, rows))
    assert p.problems == [], texts(p.problems)
    got = by_key(p, "2025-08")
    assert set(got) == {"PK1", "PK2"} and got["PK1"]["prevalensi_lapor"] == pytest.approx(8.6)
    assert got["PK2"]["sumber"] == "rekap rekap agustus.xlsx" and got["PK1"]["flag_inkonsisten"] is None
    assert any("1 baris jumlah/total dilewati" in n for n in notes(p))


def test_every_message_key_exists_in_both_languages(con, tmp_path):
    from ilp.i18n import catalog
    p = parse(con, FIX / "rekap_puskesmas_10_putaran.csv")
    keys = {n.key for n in p.notes} | {v.key for n in p.notes for v in n.params.values() if isinstance(v, Msg)}
    assert keys and all(k in catalog("id") and k in catalog("en") for k in keys)
    ids = {k for k in catalog("id") if k.startswith("rekap.")}
    assert ids == {k for k in catalog("en") if k.startswith("rekap.")}


def test_kind_declares_its_options():
    k = runner.REGISTRY["rekap"]
    assert [o.name for o in k.options] == ["jenis_unit", "periode", "sumber"]
    assert k.options[0].choices == ("otomatis", "puskesmas", "kecamatan", "desa") and k.options[0].default == "otomatis"
    assert [c[0] for c in k.columns][:3] == ["Puskesmas", "Kecamatan", "Periode"]


def test_filled_template_imports(con, tmp_path):
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(runner.template_xlsx("rekap")))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["Puskesmas", "Kecamatan", "Periode"]
    p = tmp_path / "isi_template.xlsx"
    wb.save(p)
    res = runner.run_import(con, "rekap", p, p.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    assert any("keterangan template" in (n.text() if isinstance(n, Msg) else n) for n in res.notes)
    r = rekap_rows(con, "2025-08")["PK1"]
    assert (r["diukur"], r["pendek"], r["sangat_pendek"], r["stunting_lapor"], r["flag_inkonsisten"]) == (350, 22, 8, 30, None)


def test_one_sheet_per_round(con, tmp_path):
    """A workbook with one sheet per weighing round: every sheet read, its name giving the period."""
    f = tmp_path / "rekap per ronde.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    hdr = ["Nama Puskesmas", "Jumlah Yang Diukur", "Pendek", "Sangat Pendek"]
    for name, rows in (("Feb 2025", [("Puskesmas Alpha", 100, 8, 2), ("Puskesmas Beta", 200, 10, 5)]),
                       ("Agustus 2025", [("Puskesmas Alpha", 110, 7, 1), ("Puskesmas Beta", 190, "abc", 4)])):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, hdr)
        for i, r in enumerate(rows, start=1):
            ws.write_row(i, 0, r)
    wb.close()
    p = parse(con, f)
    got = {(r["periode"], r["kode_unit"]): (r["diukur"], r["pendek"], r["sangat_pendek"])
           for r in p.tables["rekap_stunting"].iter_rows(named=True)}
    assert got == {("2025-02", "PK1"): (100, 8, 2), ("2025-02", "PK2"): (200, 10, 5), ("2025-08", "PK1"): (110, 7, 1)}
    assert [(x.row, x.column) for x in p.problems] == [(3, "Pendek [Agustus 2025]")]
    assert any(n.startswith("2 sheet dibaca, satu per ronde penimbangan (Feb 2025, Agustus 2025)") for n in notes(p))
    # a chosen sheet is read alone
    one = parse(con, f, sheet="Feb 2025")
    assert set(one.tables["rekap_stunting"]["periode"]) == {"2025-02"} and not one.problems
