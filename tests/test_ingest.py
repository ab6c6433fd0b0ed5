"""Import safety net: the bad-input corpus, Indonesian Excel CSVs, idempotence, accept_valid, real files, templates."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

from ilp import db
from ilp.ingest import runner
from ilp.ingest.readers import read_table, safe_filename

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_bad_corpus as mbc  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def data_checksums(con) -> dict[str, str]:
    out = db.table_checksums(con)
    out.pop("import_log", None)
    return out


@pytest.fixture(autouse=True)
def _uploads(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))
    runner.REGISTRY.register(mbc.ukur_uji_kind())
    yield


@pytest.fixture
def con(corpus_con):
    return corpus_con


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_corpus")
    return folder, mbc.make_corpus(folder)


def _cases():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        return [(c.file + (f"[{c.options}]" if c.options else ""), i) for i, c in enumerate(mbc.make_corpus(d))]


CASES = _cases()


@pytest.mark.parametrize("label,idx", CASES, ids=[c[0] for c in CASES])
def test_bad_corpus(con, corpus, monkeypatch, label, idx):
    folder, cases = corpus
    case = cases[idx]
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    before = data_checksums(con)
    n_log = con.execute("select count(*) from import_log").fetchall()[0][0]
    name = case.name or case.file
    res = runner.run_import(con, case.kind, folder / case.file, name, "uji", options=dict(case.options))
    # every attempt is logged and its raw file kept (unless too big to keep)
    assert con.execute("select count(*) from import_log").fetchall()[0][0] == n_log + 1
    uploads = Path(runner.uploads_dir()).resolve()
    if res.kept_path:
        kept = Path(res.kept_path).resolve()
        assert kept.parent == uploads and kept.is_file()
        assert ".." not in kept.name and "/" not in res.file_name
    if case.expect_ok:
        assert res.status == "berhasil", [p.text() for p in res.problems]
        assert res.file_name == "x_evil.csv" or "evil" in res.file_name
        assert not any(p for p in Path("/").glob("etc/cron.d/*evil*"))
        return
    assert res.status == "gagal"
    assert data_checksums(con) == before, "a refused file changed the database"
    text = "\n".join(p.text("id", res.file_name) for p in res.problems)
    for s in case.expect:
        assert s in text, f"{case.file}: expected {s!r} in:\n{text}"
    english = "\n".join(p.text("en", res.file_name) for p in res.problems)
    assert all(p.msg.text("en") != p.msg.key for p in res.problems), "every problem has a message in both languages"
    assert "baris " not in english and "tidak " not in english, f"Indonesian in the English messages:\n{english}"
    if case.row is not None:
        hits = [p for p in res.problems if p.row == case.row and (case.column is None or p.column == case.column)]
        assert hits, f"{case.file}: no problem names row {case.row} column {case.column}:\n{text}"
        assert f"baris {case.row}" in text
        if case.column:
            assert f"kolom '{case.column}'" in text


def test_corpus_script_runs(tmp_path):
    import subprocess
    out = subprocess.run([sys.executable, str(Path(mbc.__file__)), str(tmp_path / "c")], capture_output=True, text=True)
    assert out.returncode == 0 and "zip_bomb.xlsx" in out.stdout


# ---------------------------------------------------------------- Indonesian Excel CSV

EXCEL_ID_TENAGA = (
    "Data Tenaga Pustu dan Kader;;;;\r\n"
    ";;;;\r\n"
    "Kode Faskes;Jenis Tenaga;Jumlah;Per Tanggal;Sumber\r\n"
    f"{mbc.PUSTU};Perawat;1;31/12/2024;Laporan Pustu Cibeureum Kidul — café\r\n"
    f"{mbc.PUSTU};Bidan;2;31/12/2024;Laporan Pustu Cibeureum Kidul — café\r\n"
    f"{mbc.POSY};Kader;5;31/12/2024;Laporan Posyandu Melati\r\n"
)
EXCEL_ID_SASARAN = (
    "tahun;kode_unit;jenis_unit;layanan;sumber;jumlah;keterangan\r\n"
    f"2025;{mbc.PKM};puskesmas;Balita;Pusdatin;1.234,5;Pustu Cibeureum Kidul é\r\n"
    f"2025;{mbc.PKM};puskesmas;Ibu hamil;Pusdatin;321,25;\r\n"
    "2025;35.23.01;;7;BPS;12.345;kecamatan Kenduruan\r\n"
)


def test_excel_indonesian_csv_imports(con, tmp_path):
    p = tmp_path / "tenaga pustu.csv"
    p.write_bytes(EXCEL_ID_TENAGA.encode("cp1252"))
    res = runner.run_import(con, "tenaga", p, p.name, "uji")
    assert res.status == "berhasil", [x.text() for x in res.problems]
    rows = con.execute("select kode_faskes, jenis_tenaga, jumlah, per_tanggal, sumber from tenaga order by 1, 2").fetchall()
    assert len(rows) == 3
    assert rows[1][1:4] == ("perawat", 1, __import__("datetime").date(2024, 12, 31))
    assert rows[1][4] == "Laporan Pustu Cibeureum Kidul — café"
    assert any("cp1252" in n.text() for n in res.notes)

    p = tmp_path / "sasaran.csv"
    p.write_bytes(EXCEL_ID_SASARAN.encode("cp1252"))
    res = runner.run_import(con, "sasaran", p, p.name, "uji")
    assert res.status == "berhasil", [x.text() for x in res.problems]
    got = dict(((r[0], r[1]), r[2]) for r in con.execute("select kode_unit, layanan, jumlah from sasaran").fetchall())
    assert got == {(mbc.PKM, "spm04"): 1234.5, (mbc.PKM, "spm01"): 321.25, ("35.23.01", "spm07"): 12345.0}


def test_read_table_formats(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("\ufeffkode;nilai\r\nA;1,5\r\n\r\nB;2\r\n".encode("utf-8"))
    df = read_table(p)
    assert df.columns == ["kode", "nilai", "_row"]
    assert df["_row"].to_list() == [2, 4] and df["nilai"].to_list() == ["1,5", "2"]
    p.write_bytes("kode\tnilai\nA\t1\n".encode("utf-16"))  # Excel 'Unicode text'
    assert read_table(p)["kode"].to_list() == ["A"]
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\win.ini") == "win.ini"
    assert safe_filename("a\x00b\n.csv") == "ab.csv"
    assert safe_filename("..") == "file"


def test_number_parsing():
    from ilp.ingest.tabular import parse_number
    assert parse_number("1.234,5", True) == (1234.5, None)
    assert parse_number("1.234", True) == (1234, None)
    assert parse_number("1.234", False) == (1.234, None)
    assert parse_number("1.234", False, integer=True) == (1234, None)
    assert parse_number("12,5", False) == (12.5, None)
    assert parse_number("1,234.5", False) == (1234.5, None)
    assert parse_number("25,1%", True) == (25.1, None)
    assert parse_number("abc")[1] == "nan"
    assert parse_number("12,5", True, integer=True)[1] == "notint"


# ---------------------------------------------------------------- idempotence, accept_valid, cancel

def test_same_file_twice_doubles_nothing(con, tmp_path):
    p = tmp_path / "spm.csv"
    p.write_text(mbc.SPM_HEAD + "".join(f"2024,{m},{mbc.PKM},{mbc.DESA},spm0{k},{m * k},lap\n"
                                        for m in range(1, 4) for k in range(1, 4)))
    r1 = runner.run_import(con, "spm", p, p.name, "uji")
    after1 = data_checksums(con)
    assert r1.status == "berhasil" and r1.rows_imported == 9
    parsed = runner.preview(con, "spm", p, p.name)
    assert any("menggantikan" in n.text() and "9 baris" in n.text() for n in parsed.notes)
    assert any("9 rows will replace" in n.text("en") for n in parsed.notes)
    r2 = runner.run_import(con, "spm", p, p.name, "uji", parsed=parsed)
    assert r2.status == "berhasil"
    assert con.execute("select count(*), sum(jumlah) from fakta_spm").fetchall() == [(9, 36)]
    changed = {k for k, v in data_checksums(con).items() if after1[k] != v}
    assert changed <= {"fakta_spm"}  # only import_id differs
    kept = list(Path(runner.uploads_dir()).iterdir())
    assert len(kept) == 1, "the same bytes + name are kept once"
    log = con.execute("select status, baris_diimpor, sha256 from import_log order by waktu").fetchall()
    assert [r[0] for r in log] == ["berhasil", "berhasil"] and log[0][2] == log[1][2]


def test_accept_valid_imports_only_valid_rows(con, tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_text(mbc.SPM_HEAD + f"2024,1,{mbc.PKM},,spm01,5,lap\n2024,2,{mbc.PKM},,spm01,abc,lap\n"
                 f"2024,3,P0000,,spm01,7,lap\n2024,4,{mbc.PKM},,ibu hamil,8,lap\n")
    before = data_checksums(con)
    res = runner.run_import(con, "spm", p, p.name, "uji")
    assert res.status == "gagal" and res.rows_rejected == 2 and data_checksums(con) == before
    res = runner.run_import(con, "spm", p, p.name, "uji", accept_valid=True)
    assert res.status == "sebagian" and res.rows_imported == 2 and res.rows_rejected == 2
    assert con.execute("select bulan, jumlah from fakta_spm order by bulan").fetchall() == [(1, 5), (4, 8)]
    rep = runner.rejected_report(res.problems)
    assert rep.columns == ["baris", "kolom", "nilai", "pesan"]
    assert "bukan angka" in rep["pesan"][0]
    assert runner.rejected_report(res.problems, "en")["pesan"][0] == "'abc' is not a number"
    assert rep["baris"].to_list() == [3, 4] and rep["nilai"].to_list()[0] == "abc"
    log = con.execute("select status, baris_dibaca, baris_diimpor, baris_ditolak from import_log order by waktu").fetchall()
    assert log == [("gagal", 4, 0, 2), ("sebagian", 4, 2, 2)]


def test_cancel_changes_nothing(con, tmp_path):
    p = tmp_path / "spm.csv"
    p.write_text(mbc.SPM_HEAD + f"2024,1,{mbc.PKM},,spm01,5,lap\n")
    before = data_checksums(con)
    parsed = runner.preview(con, "spm", p, p.name)
    assert not parsed.problems and parsed.rows_valid == 1
    res = runner.cancel_log(con, "spm", p, p.name, "uji", parsed)
    assert res.status == "dibatalkan" and Path(res.kept_path).is_file()
    assert data_checksums(con) == before
    assert con.execute("select status from import_log").fetchall() == [("dibatalkan",)]


def test_failed_write_rolls_back(con, tmp_path, monkeypatch):
    p = tmp_path / "spm.csv"
    p.write_text(mbc.SPM_HEAD + f"2024,1,{mbc.PKM},,spm01,5,lap\n")
    before = data_checksums(con)

    def boom():
        raise RuntimeError("disk penuh (uji)")
    monkeypatch.setattr(runner, "_after_insert_hook", boom)
    res = runner.run_import(con, "spm", p, p.name, "uji")
    assert res.status == "gagal" and "database tidak berubah" in res.problems[-1].text()
    assert data_checksums(con) == before
    assert con.execute("select status, baris_diimpor from import_log").fetchall() == [("gagal", 0)]


def test_wide_spm_and_tenaga(con, tmp_path):
    p = tmp_path / "spm_wide.csv"
    p.write_text("tahun,bulan,kode_puskesmas,Ibu Hamil,Balita,SPM 8\n2024,Januari,P3523010101,10,20,\n2024,Feb,P3523010101,11,x,5\n")
    res = runner.run_import(con, "spm", p, p.name, "uji", accept_valid=True)
    assert res.status == "sebagian"
    assert [(q.row, q.column) for q in res.problems] == [(3, "Balita")]
    assert con.execute("select bulan, layanan, jumlah from fakta_spm order by 1, 2").fetchall() == [(1, "spm01", 10), (1, "spm04", 20)]
    p = tmp_path / "tenaga_wide.csv"
    p.write_text(f"kode_faskes,per_tanggal,perawat,bidan\n{mbc.PUSTU},2024-06-30,1,0\n")
    res = runner.run_import(con, "tenaga", p, p.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    assert con.execute("select jenis_tenaga, jumlah from tenaga order by 1").fetchall() == [("bidan", 0), ("perawat", 1)]


# ---------------------------------------------------------------- real public files

@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data tidak tersedia")
def test_real_survey_and_targets(con):
    f = SHARED / "stunting" / "stunting_5kab_survey_history.csv"
    res = runner.run_import(con, "survei", f, f.name, "uji")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    assert con.execute("select count(*) from survei_stunting where kode_wilayah <> '00'").fetchall() == [(19,)]
    assert con.execute("select prevalensi from survei_stunting where kode_wilayah = '35.23' and tahun = 2024").fetchall() == [(11.3,)]

    f = SHARED / "stunting" / "national_stunting_history.csv"
    res = runner.run_import(con, "survei", f, f.name, "uji")  # ilp.db may have seeded the same national rows
    assert res.status == "berhasil" and res.rows_imported == 4
    assert con.execute("select prevalensi, import_id from survei_stunting where kode_wilayah = '00' and tahun = 2024"
                       ).fetchall() == [(19.8, res.import_id)]

    f = SHARED / "stunting" / "stunting_targets_national.csv"
    before = data_checksums(con)
    res = runner.run_import(con, "target", f, f.name, "uji")
    assert res.status == "gagal" and data_checksums(con) == before
    dup = [p for p in res.problems if p.row == 3]
    assert dup and "baris duplikat" in dup[0].text() and "baris 2" in dup[0].text() and "20.1" in dup[0].text()
    assert "duplicate row" in dup[0].text("en") and "in row 2" in dup[0].text("en")
    res = runner.run_import(con, "target", f, f.name, "uji", accept_valid=True)
    assert res.status == "sebagian" and res.rows_imported == 3
    assert con.execute("select tahun, nilai, tingkat, kode_wilayah, dasar from target where import_id = $i order by tahun",
                       {"i": res.import_id}).fetchall() == [
        (2024, 14.0, "nasional", "", "RPJMN 2020-2024 / Perpres 72/2021"), (2025, 18.8, "nasional", "", "Kemenkes target after SSGI 2024"),
        (2029, 14.2, "nasional", "", "RPJMN 2025-2029")]
    assert con.execute("select count(*) from target where indikator = 'stunting_prevalensi'").fetchall() == [(3,)]


# ---------------------------------------------------------------- templates

@pytest.mark.parametrize("kind", sorted(runner.KIND_NAMES))
def test_template_opens(kind):
    data = runner.template_xlsx(kind)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    k = runner.REGISTRY[kind]
    assert list(rows[0]) == [c[0] for c in k.columns]
    assert len(rows) >= 3


@pytest.mark.parametrize("lang, desc", [("id", "Tahun laporan"), ("en", "Report year")])
def test_filled_template_skips_description_row(con, tmp_path, lang, desc):
    """A template downloaded in either language imports: its description row is recognised and skipped."""
    data = runner.template_xlsx("spm", lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=heads.index("tahun") + 1).value == desc
    row3 = dict(zip(heads, [c.value for c in ws[3]]))
    row3.update({"kode_puskesmas": mbc.PKM, "tahun": "2024", "bulan": "3", "kode_desa": ""})
    for j, h in enumerate(heads, start=1):
        ws.cell(row=3, column=j, value=row3[h])
    p = tmp_path / "isi_template.xlsx"
    wb.save(p)
    res = runner.run_import(con, "spm", p, p.name, "uji")
    assert res.status == "berhasil", [q.text() for q in res.problems]
    assert any("keterangan template" in n.text() for n in res.notes)
    assert con.execute("select bulan, layanan, jumlah from fakta_spm").fetchall() == [(3, "spm04", 812)]


@pytest.mark.parametrize("kind", sorted(runner.KIND_NAMES))
def test_english_layout_and_template_hold_no_indonesian_description(kind):
    """Issue 9: nothing Indonesian in the English UI. Every description of a kind's layout is a message key;
    in English it differs from the Indonesian text, and the English template's description row holds no
    Indonesian description either."""
    from ilp.i18n import catalog
    indonesian = {v for k, v in catalog("id").items() if k.startswith("impor.tata_letak.")}
    k = runner.REGISTRY[kind]
    descs = [d for _, d, _ in k.columns]
    assert descs and all(d is not None for d in descs), kind
    en = [d.text("en") for d in descs]
    assert all(e and e not in indonesian and e != d.text("id") for e, d in zip(en, descs)), (kind, en)
    assert not any("boleh" in e for e in en), en
    rows = list(openpyxl.load_workbook(io.BytesIO(runner.template_xlsx(kind, "en")), read_only=True)
                .worksheets[0].iter_rows(values_only=True))
    assert list(rows[1]) == en
    assert list(rows[1]) != list(openpyxl.load_workbook(io.BytesIO(runner.template_xlsx(kind)), read_only=True)
                                 .worksheets[0].iter_rows(values_only=True))[1]


def test_registry_holds_every_kind():
    assert set(runner.KIND_NAMES) <= set(runner.REGISTRY)


def test_cli_exit_codes(tmp_path, monkeypatch):
    from ilp import cli_import
    dbp = tmp_path / "cli.duckdb"
    c = db.connect(dbp)
    mbc.load_fixture(c)
    c.close()
    bad = tmp_path / "bad.csv"
    bad.write_text(mbc.SPM_HEAD + f"2024,1,{mbc.PKM},,spm01,abc,lap\n2024,2,{mbc.PKM},,spm01,3,lap\n")
    args = cli_import.build_parser().parse_args(["spm", str(bad), "--db", str(dbp)])
    assert cli_import.main(args) == 1
    args = cli_import.build_parser().parse_args(["spm", str(bad), "--db", str(dbp), "--accept-valid", "--lang", "en"])
    assert cli_import.main(args) == 0


def test_rejected_report_and_template_carry_no_formula(con, corpus, tmp_path):
    """Formula payloads from a file come back as text in the rejected-row report; the templates hold no formula."""
    import openpyxl
    folder, _ = corpus
    res = runner.run_import(con, "spm", folder / "formula_unused_column.xlsx", "f.xlsx", "uji")
    rep = runner.rejected_report(res.problems)
    hyper = [v for v in rep["nilai"].to_list() if v and "HYPERLINK" in v]
    assert hyper and all(v.startswith("'=") for v in hyper)
    assert not any(isinstance(v, str) and v[:1] in "=+-@\t\r" for c in ("kolom", "nilai", "pesan") for v in rep[c])
    for kind in runner.REGISTRY:
        p = tmp_path / f"{kind}.xlsx"
        p.write_bytes(runner.template_xlsx(kind))
        wb = openpyxl.load_workbook(p)
        assert not [c.coordinate for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"], kind
