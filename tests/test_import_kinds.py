"""The one declarative import path: a new kind is one declaration; files are read by their content
(.xls that is an HTML table, genuine BIFF .xls, .ods); options declared once reach the CLI."""
import argparse
import io
import zipfile

import openpyxl
import polars as pl
import pytest

from ilp.ingest import runner
from ilp.ingest.base import ImportKind, Msg, Option, Source
from ilp.ingest.columns import Col, template_columns
from ilp.ingest.readers import ReadError, read_table
from ilp.ingest.tabular import Wide, parse_tabular

# ---------------------------------------------------------------- a new kind, declared in one place

COLS = (
    Col("kode_desa", aliases=("desa_kode",), desc="impor.tata_letak.spm.kode_desa", example="35.23.01.2001"),
    Col("tahun", "int", min=2000, max=2100, desc="impor.tata_letak.spm.tahun", example="2025"),
    Col("jamban", "int", min=0, max=100_000, desc="impor.tata_letak.tenaga.jumlah", example="120"),
    Col("catatan", required=False, desc="impor.tata_letak.tenaga.sumber", example=""),
)
KATEGORI = {"jamban": "jamban", "jambansehat": "jamban", "airbersih": "air"}


def _build(df, ctx):
    return {"sanitasi": df.select("_row", "kode_desa", "tahun", "jamban")}


SANITASI = ImportKind(
    name="sanitasi", title_id="Sanitasi desa", title_en="Desa sanitation", tables=("sanitasi",),
    columns=template_columns(COLS), parse=lambda src, con: parse_tabular(src, con, COLS, _build),
    options=(Option("ambang", "text", "impor.opsi.sheet", "impor.opsi.sheet_bantuan", metavar="N"),),
)


@pytest.fixture
def sanitasi():
    runner.REGISTRY.register(SANITASI)
    yield SANITASI
    runner.REGISTRY.reload()


def _parse(path, name=None, **options):
    return SANITASI.parse(Source(path=path, name=name or path.name, options=options), None)


def test_new_kind_is_one_declaration_on_the_shared_parser(tmp_path, sanitasi):
    p = tmp_path / "sanitasi.csv"
    p.write_text("Desa Kode;TAHUN;Jamban;Catatan\n35.23.01.2001;2025;1.234;\n35.23.01.2002;2025;-3;x\n", encoding="utf-8")
    parsed = _parse(p)
    assert parsed.tables["sanitasi"].rows() == [("35.23.01.2001", 2025, 1234)]
    [prob] = parsed.problems
    assert (prob.row, prob.column, prob.nilai) == (3, "Jamban", "-3")
    assert prob.text("id") == "baris 3, kolom 'Jamban': -3 tidak boleh negatif"
    assert prob.text("en") == "row 3, column 'Jamban': -3 must not be negative"


def test_new_kind_header_override_from_the_user(tmp_path, sanitasi):
    p = tmp_path / "sanitasi.csv"
    p.write_text("kode;th;JML JAMBAN\n35.23.01.2001;2024;7\n", encoding="utf-8")
    missing = _parse(p)
    assert {q.column for q in missing.problems} == {"kode_desa", "tahun", "jamban"}
    assert "kolom 'kode_desa' (atau: desa_kode) tidak ada" in missing.problems[0].text("id")
    ok = _parse(p, kolom=["kode_desa=kode", "tahun=th", "jamban=JML JAMBAN"])      # CLI shape
    assert ok.tables["sanitasi"].rows() == [("35.23.01.2001", 2024, 7)]
    ok = _parse(p, kolom={"kode_desa": "kode", "tahun": "th", "jamban": "jml jamban"})  # widget shape
    assert ok.tables["sanitasi"].rows() == [("35.23.01.2001", 2024, 7)]
    bad = _parse(p, kolom=["nama=kode"])
    assert any(q.msg.key == "impor.kolom_tak_dikenal" for q in bad.problems)


def test_unreadable_optional_cell_is_a_note_not_a_rejection(tmp_path):
    cols = COLS[:3] + (Col("luas", "float", required=False, example=""),)
    p = tmp_path / "s.csv"
    p.write_text("kode_desa,tahun,jamban,luas\n35.23.01.2001,2025,4,abc\n35.23.01.2002,2025,5,1.5\n", encoding="utf-8")
    parsed = parse_tabular(Source(p, p.name), None, cols, lambda df, ctx: {"t": df.select("_row", "luas")})
    assert not parsed.problems
    assert parsed.tables["t"]["luas"].to_list() == [None, 1.5]
    note = [n for n in parsed.notes if n.key == "impor.sel_opsional_diabaikan"][0]
    assert note.text("id") == "1 sel kolom 'luas' tidak terbaca dan dibiarkan kosong (kolom tidak wajib; baris 2)"


def test_wide_layout_made_long_by_the_shared_step(tmp_path):
    long_cols = COLS[:2] + (Col("kategori", "choice", choices=KATEGORI), Col("jumlah", "int", min=0))
    wide = Wide(category="kategori", value=long_cols[-1], categories=KATEGORI)
    p = tmp_path / "w.csv"
    p.write_text("kode_desa,tahun,Jamban Sehat,Air Bersih\n35.23.01.2001,2025,3,\n35.23.01.2002,2025,4,9\n")
    parsed = parse_tabular(Source(p, p.name), None, long_cols,
                           lambda df, ctx: {"t": df.select("_row", "kode_desa", "kategori", "jumlah")}, wide=wide)
    assert parsed.tables["t"].rows() == [("35.23.01.2001", "jamban", 3), ("35.23.01.2002", "jamban", 4),
                                         ("35.23.01.2002", "air", 9)]
    assert Msg("impor.catatan.format_lebar", {"n": 2, "kolom": "Jamban Sehat, Air Bersih"}) in parsed.notes


def test_new_kind_gets_its_cli_flags_and_template(sanitasi):
    from ilp import cli_import
    opts = runner.kind_options("sanitasi")
    assert [o.name for o in opts] == ["sheet", "kolom", "ambang"]
    assert opts[1].type == "mapping" and opts[1].choices == ("kode_desa", "tahun", "jamban", "catatan")
    p = cli_import.build_parser()
    args = p.parse_args(["sanitasi", "f.csv", "--ambang", "5", "--kolom", "jamban=Jml", "--sheet", "2"])
    assert cli_import.options_for(args, "sanitasi") == ({"ambang": "5", "kolom": ["jamban=Jml"], "sheet": "2"}, [])
    # a flag of another kind is refused for this one
    args = p.parse_args(["sanitasi", "f.csv", "--kab", "35.23"])
    assert cli_import.options_for(args, "sanitasi") == ({}, ["kab"])
    wb = openpyxl.load_workbook(io.BytesIO(runner.template_xlsx("sanitasi")), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == ["kode_desa", "tahun", "jamban", "catatan"]
    assert rows[1][3] == "Sumber data (kosong = nama file) (boleh tidak ada)"


def test_cli_refuses_a_flag_the_kind_does_not_declare(tmp_path, capsys):
    from ilp import cli_import
    f = tmp_path / "t.csv"
    f.write_text("x\n1\n")
    args = cli_import.build_parser().parse_args(["target", str(f), "--kab", "35.23", "--db", str(tmp_path / "x.db")])
    assert cli_import.main(args) == 1
    err = capsys.readouterr().err
    assert "opsi --kab tidak berlaku untuk jenis impor 'target'" in err
    assert not (tmp_path / "x.db").exists()


def test_every_kind_declares_its_options_and_common_ones():
    assert [o.name for o in runner.kind_options("boundaries")][:1] == ["level"]   # geo files: no sheet/kolom
    assert {"sheet", "kolom", "kab", "xwalk"} <= {o.name for o in runner.kind_options("wilayah")}
    assert {"sheet", "kolom"} <= {o.name for o in runner.kind_options("spm")}
    for name in runner.REGISTRY:
        for o in runner.kind_options(name):
            assert o.type in ("text", "choice", "list", "mapping", "file", "flag")


# ---------------------------------------------------------------- files read by their content

EPPGBM_HEAD = ["NIK", "Nama", "JK", "Tgl Lahir", "Kec", "Desa/Kel", "Tanggal Pengukuran", "Berat", "Tinggi"]


def test_html_table_saved_as_xls_is_read(tmp_path):
    html = ("<html><head><meta charset='utf-8'><style>td{}</style></head><body><table border=1>"
            "<tr><th colspan='9'>Laporan e-PPGBM</th></tr>"
            "<tr>" + "".join(f"<th>{h}</th>" for h in EPPGBM_HEAD) + "</tr>"
            "<tr><td>9999011501240001</td><td>Anak &amp; Satu</td><td>L</td><td>15/01/2024</td><td>ALPHA</td>"
            "<td>SATU</td><td>10/02/2026</td><td>10,5</td><td>82,3</td></tr></table></body></html>")
    p = tmp_path / "export.xls"
    p.write_text(html, encoding="utf-8")
    df = read_table(p, {"expected": EPPGBM_HEAD})
    assert df.columns == [*EPPGBM_HEAD, "_row"]
    assert df.row(0) == ("9999011501240001", "Anak & Satu", "L", "15/01/2024", "ALPHA", "SATU", "10/02/2026",
                         "10,5", "82,3", 3)


def test_genuine_biff_xls_is_read_whatever_its_name(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    wb.add_sheet("Catatan").write(0, 0, "bukan data")
    ws = wb.add_sheet("Data")
    for j, h in enumerate(["tahun", "kode_desa", "jamban"]):
        ws.write(0, j, h)
    ws.write(1, 0, 2025)
    ws.write(1, 1, "35.23.01.2001")
    ws.write(1, 2, 12.0)
    p = tmp_path / "lama.xls"
    wb.save(str(p))
    opts = {"sheet": "data"}
    df = read_table(p, opts)
    assert opts["_sheet"] == "Data" and opts["_sheets"] == ["Catatan", "Data"]
    assert df.rows() == [("2025", "35.23.01.2001", "12", 2)]
    renamed = tmp_path / "lama.xlsx"                     # a wrong extension does not matter
    renamed.write_bytes(p.read_bytes())
    assert read_table(renamed, {"sheet": "2"}).rows() == df.rows()
    with pytest.raises(ReadError) as e:
        read_table(p, {"sheet": "Tidak Ada"})
    assert e.value.problem.msg.text("en") == "sheet 'Tidak Ada' not found; sheets: Catatan, Data"


def _ods(rows) -> bytes:
    cells = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        if isinstance(v, (int, float)) else
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in r)
        + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Lembar1">' + cells +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return buf.getvalue()


def test_ods_is_read(tmp_path):
    p = tmp_path / "sanitasi.ods"
    p.write_bytes(_ods([["kode_desa", "tahun", "jamban"], ["35.23.01.2001", 2025, 8]]))
    opts: dict = {}
    df = read_table(p, opts)
    assert opts["_sheet"] == "Lembar1"
    assert df.rows() == [("35.23.01.2001", "2025", "8", 2)]


def test_every_tabular_kind_accepts_xls_and_ods():
    for name in ("wilayah", "faskes", "tenaga", "sasaran", "spm", "survei", "target"):
        exts = runner.REGISTRY[name].extensions
        assert ".xls" in exts and ".ods" in exts, name


# ---------------------------------------------------------------- the zscore tool on the same path

def test_zscore_tool_reads_through_the_column_specs(tmp_path):
    from ilp.ingest.zscore_csv import ZscoreError, zscore_file
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (["Nama", "Jenis Kelamin", "Umur Hari", "TB", "BB"], ["A", "L", 411, 70.1, 8.4], ["B", "X", 411, 70.1, 8.4],
              ["C", "P", 300, None, None]):
        ws.append(r)
    p = tmp_path / "ukur.xlsx"
    wb.save(p)
    out = tmp_path / "hasil.csv"
    assert zscore_file(p, out, "en") == {"rows": 3, "scored": 1, "errors": 2}
    res = pl.read_csv(out, infer_schema=False)
    assert res.columns[:5] == ["Nama", "Jenis Kelamin", "Umur Hari", "TB", "BB"]
    assert res["haz"].to_list() == ["-3.01", None, None]   # as the WHO anthro value for 411 days, 70.1 cm, boy
    assert res["error"][1].startswith("row 3, column 'Jenis Kelamin': 'X' is not a valid choice")
    assert res["error"][2] == "row 4: height and weight are both empty"
    bad = tmp_path / "tanpa_umur.csv"
    bad.write_text("jk,tinggi\nL,70\n")
    with pytest.raises(ZscoreError) as e:
        zscore_file(bad, out)
    assert e.value.problems[0].text() == "kolom umur tidak ada: perlu umur_hari, atau tgl_lahir dan tgl_ukur"


# ---------------------------------------------------------------- faskes: Kemendagri codes, other kab/kota

@pytest.fixture
def fixture_con(corpus_con, tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))
    return corpus_con


def test_faskes_with_kemendagri_codes_needs_no_boundaries_and_skips_other_kabkota(fixture_con, tmp_path):
    con = fixture_con
    assert con.execute("select count(*) from batas_wilayah").fetchall() == [(0,)]
    f = tmp_path / "faskes.xls"      # saved by a web export: an HTML table named .xls
    rows = [("P3523010201", "PKM Kenduruan Dua", "PUSKESMAS", "", "352302", "", -6.9, 112.0),
            ("PST-9", "Pustu Sidohasri", "Pustu", "", "", "35.23.01.2001", "", ""),
            ("P3329040101", "PKM Brebes", "PUSKESMAS", "", "33.29.04", "", -6.9, 109.0),     # kab/kota not loaded
            ("P2172020202", "PKM Tanjungpinang", "PUSKESMAS", "", "", "", 0.9, 104.4),        # by its Kemenkes code
            ("X-1", "Apotek", "apotek", "", "35.23.01", "", "", "")]                          # rejected
    head = ["kode_faskes", "nama", "jenis", "kode_induk", "kode_kec", "kode_desa", "lat", "lon"]
    f.write_text("<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
                 + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows) + "</table>",
                 encoding="utf-8")
    res = runner.run_import(con, "faskes", f, f.name, "uji", accept_valid=True)
    assert res.status == "sebagian" and res.rows_rejected == 1
    [prob] = res.problems
    assert prob.row == 6 and prob.column == "jenis" and "'apotek' is not a valid choice" in prob.text("en")
    got = con.execute("select kode_faskes, kode_kec, kode_desa, aturan_lokasi from faskes where sumber = $s "
                      "order by 1", {"s": f.name}).fetchall()
    assert got == [("P3523010201", "35.23.02", None, "kode"), ("PST-9", "35.23.01", "35.23.01.2001", "kode")]
    skipped = [n for n in res.notes if n.key == "impor.faskes.kab_lain"]
    assert skipped and skipped[0].params["n"] == 2
    assert skipped[0].text("en").startswith("2 facilities of kab/kota not loaded were skipped")


def test_wilayah_list_and_crosswalk_are_column_specs_on_the_shared_parser(fixture_con, tmp_path):
    con = fixture_con
    f = tmp_path / "wil.ods"
    f.write_bytes(_ods([["Kode", "Nama Wilayah", "Tingkat"], ["35.23.03", "Kerek", "Kecamatan"],
                        ["3523032001", "Margomulyo", "Desa"], ["35.23.04", "Montong", "desa"],
                        ["33.29.01", "Salem", "kecamatan"]]))
    p = runner.preview(con, "wilayah", f, f.name, {"kab": "35.23"})
    assert p.tables["wilayah"]["kode"].to_list() == ["35.23.03", "35.23.03.2001"]
    [prob] = p.problems
    assert prob.row == 4 and prob.column == "Kode"
    assert prob.text("en") == "row 4, column 'Kode': code 35.23.04 has the format of kecamatan but level says 'desa'"
    assert Msg("impor.wilayah.di_luar_kab", {"n": 1, "kab": "35.23"}) in p.notes
    x = tmp_path / "bps_kec.csv"    # the same kind reads a crosswalk: the header decides
    x.write_text("kode_bps,nama_bps,kode_dagri,nama_dagri\n3523010,KENDURUAN,35.23.01,Kenduruan\n"
                 "35230,X,35.23.02,Jatirogo\n", encoding="utf-8")
    p = runner.preview(con, "wilayah", x, x.name)
    assert p.tables["xwalk_bps_dagri"].select("kode_bps", "level", "kode_dagri").rows() == [
        ("3523010", "kecamatan", "35.23.01")]
    assert p.problems[0].text() == "baris 3, kolom 'kode_bps': kode_bps harus 7 digit untuk kecamatan"


# ---------------------------------------------------------------- the shared column matcher

def test_matcher_keeps_percent_and_plus_apart_before_the_loose_key():
    """'% Stunting' is the prevalence, 'Stunting' the count: the strict pass keeps '%' and '+'; the loose pass
    never hands a header that is another column's strict spelling to a column it only loosely resembles."""
    from ilp.ingest.columns import match_columns
    cols = (Col("stunting", required=False, aliases=("jumlah stunting", "pendek + sangat pendek")),
            Col("prevalensi", required=False, aliases=("% stunting", "stunting (%)", "%")),
            Col("tahun", required=False))
    assert match_columns(["% Stunting", "Stunting", "Tahun"], cols) == (
        {"stunting": "Stunting", "prevalensi": "% Stunting", "tahun": "Tahun"}, [])
    assert match_columns(["STUNTING (%)", "Pendek + Sangat Pendek"], cols) == (
        {"stunting": "Pendek + Sangat Pendek", "prevalensi": "STUNTING (%)"}, [])
    # the prevalence taken by an exact spelling elsewhere: '% Stunting' still is not the count
    cols2 = cols[:1] + (Col("prevalensi", required=False, aliases=("prevalensi", "% stunting")),)
    assert match_columns(["Prevalensi", "% Stunting"], cols2) == ({"prevalensi": "Prevalensi"}, [])
    # loose key as before: spaces, case, underscores, hyphens, a count unit
    assert match_columns(["Jumlah-Stunting (anak)", "TAHUN"], cols)[0] == {"stunting": "Jumlah-Stunting (anak)",
                                                                          "tahun": "TAHUN"}
    # a lone '%' alias never matches a header whose loose key is empty
    assert match_columns(["(%)", "#"], cols[:1] + (Col("prevalensi", required=False, aliases=("%%",)),))[0] == {}
    # two headers on the same strict key: the first is taken and the repetition named
    mapping, problems = match_columns(["Stunting", "stunting (2)"], cols)
    assert mapping == {"stunting": "Stunting"} and [p.msg.key for p in problems] == ["impor.kolom_ganda"]
