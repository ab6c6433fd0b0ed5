"""The data-quality report: CSV (one row per level, unit and round) and Excel (that table, a sheet per check and a
sheet of sources and rules). Used by `python -m ilp mutu` and the Mutu Data page's downloads."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import polars as pl

from ilp.i18n import t
from ilp.mutu import CHECKS, DIGITS, REKAP_CHECKS, REKAP_ATURAN, Run, rekap_checks, tabel

# the report's columns, in order (the minimum first)
CSV_COLUMNS = ("tingkat", "kode", "nama", "periode", "n", "pct_flag_haz", "sd_haz", "sd_waz", "sd_whz", "skew_haz",
               "kurt_haz", "rasio_jk", "dps_tinggi", "dps_berat",
               "ganda", "pct_tidak_lengkap", "pct_tanpa_berat", "pct_tanpa_tinggi", "pct_tanpa_cara",
               "pct_lahir_1_15", "laki", "perempuan", "p_jk", "indeks_umur_bulat", "pct_flag_waz", "pct_flag_whz",
               "mean_haz", "pct_berdiri_bawah_24", "pct_telentang_24_plus", "pct_zs_beda", "cek_gagal")

SHEETS: dict[str, tuple[str, ...]] = {
    "kelengkapan": ("n", "ganda", "tanpa_jk", "tanpa_tgl_lahir", "tanpa_berat", "tanpa_tinggi", "tanpa_cara",
                    "pct_tidak_lengkap", "lahir_tgl_1_15", "pct_lahir_1_15"),
    "jenis_kelamin": ("n", "laki", "perempuan", "rasio_jk", "p_jk"),
    "umur_bulat": ("n", "umur_bulat", "umur_tetangga", "indeks_umur_bulat"),
    "digit_tinggi": ("n_tinggi", *[f"tinggi_d{i}" for i in DIGITS], "dps_tinggi"),
    "digit_berat": ("n_berat", *[f"berat_d{i}" for i in DIGITS], "dps_berat"),
    "flag_who": ("n_haz", "flag_haz", "pct_flag_haz", "n_waz", "flag_waz", "pct_flag_waz", "n_whz", "flag_whz",
                 "pct_flag_whz"),
    "sd_zskor": ("n_haz", "mean_haz", "sd_haz", "skew_haz", "kurt_haz", "n_waz", "sd_waz", "n_whz", "sd_whz",
                 "skew_whz", "kurt_whz"),
    "posisi": ("n_bawah_24", "berdiri_bawah_24", "pct_berdiri_bawah_24", "n_24_plus", "telentang_24_plus",
               "pct_telentang_24_plus"),
    "zs_lapor": ("zs_dibandingkan", "zs_beda", "pct_zs_beda"),
}
KEY = ("tingkat", "kode", "nama", "periode")


def laporan(tab: pl.DataFrame) -> pl.DataFrame:
    """The CSV table from `ilp.mutu.tabel`: failed checks as a comma-separated `cek_gagal`."""
    return (tab.with_columns(pl.col(pl.Float64).round(4), cek_gagal=pl.col("checks").list.join(","))
            .select(CSV_COLUMNS).sort(pl.col("tingkat").replace_strict({k: i for i, k in enumerate(
                ("kabkota", "kecamatan", "puskesmas", "posyandu"))}, return_dtype=pl.Int8), "kode", "periode"))


def aturan(lang: str = "id") -> pl.DataFrame:
    """The sheet of sources and rules: each check with its value, threshold rule and smallest denominator."""
    rows = [{"cek": c.id, "nama": t(f"mutu.cek.{c.id}.nama", lang), "nilai": c.kolom, "penyebut": c.n_kolom,
             "n_minimal": c.n_min, "aturan": t(f"mutu.aturan.{c.aturan}", lang)} for c in CHECKS]
    rows += [{"cek": c, "nama": t(f"mutu.cek.{c}.nama", lang), "nilai": "", "penyebut": "diukur", "n_minimal": 1,
              "aturan": t(f"mutu.aturan.{REKAP_ATURAN}", lang)} for c in REKAP_CHECKS]
    return pl.DataFrame(rows)


def cakupan_desa(run: Run, kab: str) -> pl.DataFrame:
    """Measurement coverage per desa and round: children measured ÷ sasaran balita (null without sasaran)."""
    d = run("quality/mutu_cakupan_desa", kab=kab)
    return d.with_columns(cakupan_pct=pl.when(pl.col("sasaran") > 0)
                          .then(100.0 * pl.col("diukur") / pl.col("sasaran")).otherwise(None))


def umur_lebar(run: Run, kab: str) -> pl.DataFrame:
    """Age distribution by completed month (columns b00..b59) per unit and round (kab, kecamatan, Puskesmas)."""
    u = run("quality/mutu_umur", kab=kab)
    if u.height == 0:
        return u
    return (u.with_columns(b=pl.format("b{}", pl.col("umur_bulan").cast(pl.String).str.zfill(2)))
            .pivot(on="b", index=["tingkat", "kode", "periode"], values="n", sort_columns=True).fill_null(0))


def sheets(run: Run, kab: str, lang: str = "id", tab: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every sheet of the Excel report, by name."""
    tab = tabel(run, kab) if tab is None else tab
    out = {"ringkas": laporan(tab)}
    for name, cols in SHEETS.items():
        out[name] = tab.select(*KEY, *cols)
    out["umur_per_bulan"] = umur_lebar(run, kab)
    out["cakupan_desa"] = cakupan_desa(run, kab)
    out["rekap"] = rekap_checks(run("quality/mutu_rekap", kab=kab)).with_columns(
        pl.col("checks").list.join(",").alias("cek_gagal")).drop("checks")
    out["aturan_sumber"] = aturan(lang)
    return out


# the questions `sheets` asks beyond the per-unit table (quality/mutu_ringkas, given as `tab`)
SHEET_QUERIES = ("quality/mutu_umur", "quality/mutu_cakupan_desa", "quality/mutu_rekap")


def xlsx_on_click(run: Run, kab: str, lang: str = "id", tab: pl.DataFrame | None = None) -> Callable[[], bytes]:
    """The Excel report for a download button, built when it is clicked, not on every page run: the report's
    questions are asked now (on the page's own thread, where `run` is the page's cached reader, and cheap reads
    of the facts), the sheets and the workbook only when the returned function is called."""
    tab = tabel(run, kab) if tab is None else tab
    got = {key: run(key, kab=kab) for key in SHEET_QUERIES}

    def build() -> bytes:
        return xlsx_bytes(sheets(lambda key, **_: got[key], kab, lang, tab))
    return build


def xlsx_bytes(frames: dict[str, pl.DataFrame]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True})
    for name, df in frames.items():
        df.write_excel(wb, worksheet=name[:31], autofit=True, float_precision=3)
    wb.close()
    return buf.getvalue()


def write(run: Run, kab: str, out: str | Path, lang: str = "id") -> dict[str, int]:
    """Write the report to FILE.csv (the summary table) or FILE.xlsx (all sheets); returns rows per sheet."""
    out = Path(out)
    if out.suffix.lower() == ".csv":
        df = laporan(tabel(run, kab))
        df.write_csv(out)
        return {"ringkas": df.height}
    if out.suffix.lower() != ".xlsx":
        raise ValueError(t("mutu.cli.format", lang, path=str(out)))
    frames = sheets(run, kab, lang)
    out.write_bytes(xlsx_bytes(frames))
    return {k: v.height for k, v in frames.items()}
