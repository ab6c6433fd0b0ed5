"""ilp.fmt: the one formatting layer. Expected strings written by hand."""
import datetime as dt
import io
import math
import re

import polars as pl
import pytest

from ilp import fmt, i18n


def test_numbers_indonesian_and_english():
    assert fmt.num(1234.5, 1) == "1.234,5"
    assert fmt.num(1234.5, 1, "en") == "1,234.5"
    assert fmt.num(1234567.891, 2) == "1.234.567,89"
    assert fmt.num(-0.04, 1) == "0,0"          # no "-0,0"
    assert fmt.integer(62971) == "62.971"
    assert fmt.integer(62971, "en") == "62,971"
    assert fmt.integer(1121.0) == "1.121"      # a count never shows ",0"


def test_percent_not_clipped_and_missing_never_zero():
    assert fmt.pct(115.66) == "115,7%"
    assert fmt.pct(17.04, 1, "en") == "17.0%"
    assert fmt.pct(25.0, 0) == "25%"
    for bad in (None, math.nan, math.inf, -math.inf, "", "None", "nan"):
        assert fmt.pct(bad) == "–"
        assert fmt.num(bad) == "–"
        assert fmt.integer(bad) == "–"
    assert fmt.pct(None, missing=fmt.no_data()) == "Tidak ada data"
    assert fmt.no_data("en") == "No data"


def test_years_dates_periods():
    assert fmt.year(2031) == "2031"
    assert fmt.year(2031.0) == "2031"
    assert fmt.year(None) == "–"
    assert fmt.date(dt.date(2025, 2, 5)) == "5 Februari 2025"
    assert fmt.date("2025-02-05", "en") == "5 February 2025"
    assert fmt.date(None) == "–"
    assert fmt.period("2025-02") == "Februari 2025"
    assert fmt.period("2025-08", "en") == "August 2025"
    assert fmt.period("2025") == "2025"
    assert fmt.month_year(2025, 12) == "Desember 2025"
    assert fmt.suppressed() == "disembunyikan (n<10)"
    assert fmt.suppressed("en") == "hidden (n<10)"


def test_i18n_reexports_still_work():
    assert i18n.fmt_num(1234.5, 1) == "1.234,5"
    assert i18n.fmt_pct(115.66, 1) == "115,7%"
    assert i18n.fmt_date(dt.date(2025, 2, 5)) == "5 Februari 2025"
    assert i18n.fmt_periode("2025-08") == "Agustus 2025"


def test_plotly_separators_follow_layout_semantics():
    # layout.separators: first char = decimal mark, second = thousands mark
    assert fmt.plotly_separators("id") == ",."
    assert fmt.plotly_separators("en") == ".,"
    assert fmt.hover_number_format(1) == ",.1f"
    assert fmt.axis_tickformat("year") == "d"


def test_markdown_escaped_as_text():
    s = fmt.md("![](http://evil.example/x.png) <img src=x> **Desa** $x$ :red[a]")
    assert re.search(r"(?<!\\)[!\[\]()<>*$:]", s) is None   # every active character escaped
    assert s.replace("\\", "") == "![](http://evil.example/x.png) <img src=x> **Desa** $x$ :red[a]"
    assert fmt.md(None) == "–"
    assert fmt.md("a\nb") == "a b"


@pytest.mark.parametrize("bad", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_neutralised(bad):
    assert fmt.safe_cell(bad) == "'" + bad
    assert fmt.safe_cell("Desa A") == "Desa A"
    assert fmt.safe_cell(-1.5) == -1.5


DF = pl.DataFrame({
    "nama": ["=HYPERLINK(\"x\")", "Sukamaju"],
    "tahun": [2031, 2030],
    "prevalensi_pct": [25.71234567, None],
    "diukur": [1121, None],
    "haz_diflag": [3, 0],
    "disembunyikan": [False, True],
})


def test_frame_for_display_strings_readable_headers():
    out = fmt.frame_for_display(DF)
    assert out.columns == ["Nama", "Tahun", "Prevalensi (%)", "Balita diukur", "TB/U di luar batas WHO"]
    assert out.row(0) == ("=HYPERLINK(\"x\")", "2031", "25,7%", "1.121", "3")
    assert out.row(1) == ("Sukamaju", "2030", "disembunyikan (n<10)", "disembunyikan (n<10)", "0")
    en = fmt.frame_for_display(DF, {"haz_diflag": ("kol.stunting", "int")}, "en")
    assert en.columns[-1] == "Stunted" and en.row(0)[2] == "25.7%"
    text = " ".join(str(v) for r in out.rows() for v in r)
    for word in ("None", "nan", "inf", "null"):
        assert word not in text


def test_frame_for_download_rounds_and_neutralises():
    out = fmt.frame_for_download(DF)
    assert out["Prevalensi (%)"].to_list() == [25.7, None]
    assert out["Tahun"].dtype == pl.Int64
    assert out["Nama"][0].startswith("'=")
    csv = fmt.csv_bytes(out).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Nama;Tahun;Prevalensi (%)")
    assert ";2031;25,7;1121;" in csv.splitlines()[1]
    assert csv.splitlines()[2].startswith("Sukamaju;2030;;;")
    en = fmt.csv_bytes(fmt.frame_for_download(DF, lang="en"), "en").decode("utf-8-sig")
    assert ",2031,25.7,1121," in en.splitlines()[1]


def test_xlsx_has_table_and_about_sheet():
    openpyxl = pytest.importorskip("openpyxl")
    raw = fmt.xlsx_bytes(DF, "stunting_2025", {"Sumber": "e-PPGBM", "Periode": "Agustus 2025"})
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["stunting_2025", "Keterangan"]
    ws = wb["stunting_2025"]
    assert [c.value for c in ws[1]][:3] == ["Nama", "Tahun", "Prevalensi (%)"]
    assert ws["A2"].value.startswith("'=") and ws["A2"].data_type == "s"
    assert ws["B2"].value == 2031 and ws["B2"].number_format == "0"
    assert ws["C2"].value == 25.7
    assert wb["Keterangan"]["B2"].value == "Agustus 2025"


def test_file_stem_carries_period():
    assert fmt.file_stem("spm_capaian", "2025-08") == "spm_capaian_2025-08"
    assert fmt.file_stem("a b/c") == "a_b_c"


def test_counts_arriving_as_floats_read_as_integers():
    import polars as pl

    from ilp import fmt
    df = pl.DataFrame({"kader": [157.0], "penyebut": [4540.4], "n_desa": [3.0], "nilai": [2.5], "haz_diflag": [7]})
    out = fmt.frame_for_display(df, lang="id")
    assert out.row(0) == ("157", "4.540", "3", "2,5", "7")
    assert out.columns[-1] == "TB/U di luar batas WHO"
    assert fmt.frame_for_display(df, lang="en").row(0)[1] == "4,540"
