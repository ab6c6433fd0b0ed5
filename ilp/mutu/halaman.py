"""What the Mutu Data page shows, as plain frames and figures (the page only lays them out). Aggregates only:
no child-level row ever reaches the page (viewer-safe)."""
from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from ilp.i18n import t
from ilp.mutu import TINGKAT, Run, rekap_checks, ringkas_text, tabel, verdicts
from ilp.mutu import charts
from ilp.mutu.report import cakupan_desa

# the levels with an age distribution and a HAZ histogram (queries mutu_umur, mutu_sebaran_haz)
TINGKAT_GRAFIK = ("kabkota", "kecamatan", "puskesmas")


@dataclass(frozen=True)
class Halaman:
    tab: pl.DataFrame
    periods: list[str]


def load(run: Run, kab: str) -> Halaman:
    tab = tabel(run, kab)
    return Halaman(tab, sorted(tab["periode"].unique().to_list(), reverse=True) if tab.height else [])


def tingkat_label(tingkat: str, lang: str) -> str:
    return t(f"mutu.tingkat_nama.{tingkat}", lang)


def units(h: Halaman, tingkat: str, periode: str) -> list[tuple[str, str]]:
    """(kode, nama) of the units of a level with data in the round, by name."""
    d = h.tab.filter((pl.col("tingkat") == tingkat) & (pl.col("periode") == periode)).sort("nama")
    return list(zip(d["kode"].to_list(), d["nama"].to_list()))


def row(h: Halaman, tingkat: str, kode: str, periode: str) -> dict | None:
    d = h.tab.filter((pl.col("tingkat") == tingkat) & (pl.col("kode") == kode) & (pl.col("periode") == periode))
    return d.row(0, named=True) if d.height else None


def flagged(h: Halaman, periode: str, lang: str) -> pl.DataFrame:
    """Kecamatan, Puskesmas and Posyandu of the round failing at least one check (child-level checks), worst first."""
    d = (h.tab.filter((pl.col("periode") == periode) & (pl.col("tingkat") != "kabkota")
                      & (pl.col("checks").list.len() > 0))
         .with_columns(n_gagal=pl.col("checks").list.len())
         .sort(pl.col("tingkat").replace_strict({k: i for i, k in enumerate(TINGKAT)}, return_dtype=pl.Int8),
               pl.col("n_gagal"), "nama", descending=[False, True, False]))
    return pl.DataFrame({
        "tingkat": [tingkat_label(x, lang) for x in d["tingkat"].to_list()],
        "kode": d["kode"].to_list(), "nama": d["nama"].to_list(), "n": d["n"].to_list(),
        "alasan": [ringkas_text(c, lang) for c in d["checks"].to_list()],
    }, schema={"tingkat": pl.String, "kode": pl.String, "nama": pl.String, "n": pl.Int64, "alasan": pl.String})


def verdict_table(r: dict, lang: str) -> pl.DataFrame:
    """One row per check: name, value, denominator, status, plain-language verdict, rule and source."""
    v = verdicts(r, lang)
    return pl.DataFrame({k: [x[k] for x in v] for k in ("cek", "nilai", "n", "status_teks", "putusan")},
                        schema={"cek": pl.String, "nilai": pl.String, "n": pl.Int64, "status_teks": pl.String,
                                "putusan": pl.String})


def rules(lang: str) -> list[tuple[str, str]]:
    """(check names, rule text) per rule, each rule once, in the order of CHECKS then the recap checks."""
    from ilp.mutu import CHECKS, REKAP_ATURAN, REKAP_CHECKS
    groups: dict[str, list[str]] = {}
    for c in CHECKS:
        groups.setdefault(c.aturan, []).append(t(f"mutu.cek.{c.id}.nama", lang))
    groups[REKAP_ATURAN] = [t(f"mutu.cek.{c}.nama", lang) for c in REKAP_CHECKS]
    return [(", ".join(names), t(f"mutu.aturan.{key}", lang)) for key, names in groups.items()]


def counts(r: dict) -> dict[str, int]:
    """How many checks pass, fail and are not judged for one unit."""
    from ilp.mutu import CHECKS, status
    out = {"baik": 0, "masalah": 0, "kurang_data": 0}
    for c in CHECKS:
        out[status(c, r)] += 1
    return out


def figures(run: Run, kab: str, tingkat: str, kode: str, periode: str, r: dict,
            lang: str) -> dict[str, go.Figure | None]:
    """The page's charts for one unit and round; age and HAZ charts only for kab/kota, kecamatan, Puskesmas."""
    out: dict[str, go.Figure | None] = {"digit_tinggi": charts.digit_figure(r, "tinggi", lang),
                                        "digit_berat": charts.digit_figure(r, "berat", lang),
                                        "umur": None, "haz": None}
    if tingkat in TINGKAT_GRAFIK:
        sel = (pl.col("tingkat") == tingkat) & (pl.col("kode") == kode) & (pl.col("periode") == periode)
        out["umur"] = charts.age_figure(run("quality/mutu_umur", kab=kab).filter(sel), lang)
        out["haz"] = charts.haz_figure(run("quality/mutu_sebaran_haz", kab=kab).filter(sel), lang, r.get("mean_haz"))
    return out


def coverage(run: Run, kab: str, periode: str, kode_kec: str | None = None) -> pl.DataFrame:
    """Measurement coverage per desa for the round (children measured ÷ sasaran balita), lowest first; the
    kecamatan's desa only when kode_kec is given."""
    d = cakupan_desa(run, kab).filter(pl.col("periode") == periode)
    if kode_kec:
        d = d.filter(pl.col("kode_kec") == kode_kec)
    return d.sort("cakupan_pct", nulls_last=True).select("nama_kec", "nama_desa", "diukur", "sasaran",
                                                         "cakupan_pct", "sumber_sasaran")


def recap(run: Run, kab: str, lang: str) -> pl.DataFrame:
    """Recap rows failing a check, newest first, with the reason in words."""
    d = rekap_checks(run("quality/mutu_rekap", kab=kab)).filter(pl.col("checks").list.len() > 0)
    return (d.with_columns(alasan=pl.Series([ringkas_text(c, lang) for c in d["checks"].to_list()],
                                            dtype=pl.String))
            .sort("periode", "kode_unit", descending=[True, False])
            .select("periode", "jenis_unit", "kode_unit", "diukur", "pendek", "sangat_pendek", "stunting_lapor",
                    "prevalensi_lapor", "prevalensi_hitung", "alasan"))
