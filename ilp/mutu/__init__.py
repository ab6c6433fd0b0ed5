"""Mutu data: the anthropometric data-quality checks of issue 12, per kab/kota, kecamatan, Puskesmas and Posyandu
and per weighing round, and the quality marks shown beside prevalence.

Every figure is computed from the aggregates of queries/quality/mutu_*.sql (no child-level rows leave the
database), by the pure formulas of ilp.mutu.stats. Each check is declared once in CHECKS: the value it reads,
its denominator, the smallest denominator it judges, the rule (a key of mutu.aturan.* citing the source) and the
threshold. A unit whose data fail a check carries a mark (`marks`).

`run` is any callable (query_key, **params) -> pl.DataFrame: ilp.db.run bound to a connection, or the UI's q.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ilp.i18n import fmt_num, t
from ilp.mutu import stats

Run = Callable[..., pl.DataFrame]

TINGKAT = ("kabkota", "kecamatan", "puskesmas", "posyandu")
TINGKAT_TANDA = ("kecamatan", "puskesmas")  # units that carry a quality mark beside prevalence
DIGITS = tuple(range(10))


@dataclass(frozen=True)
class Cek:
    """One data-quality check: value column, denominator column, smallest denominator judged, rule, threshold."""
    id: str
    kolom: str
    n_kolom: str
    n_min: int
    aturan: str
    gagal: Callable[[dict], bool]
    desimal: int = 1


def _v(r: dict, k: str) -> float:
    return r[k]


CHECKS: tuple[Cek, ...] = (
    Cek("lengkap", "pct_tidak_lengkap", "n", 20, "who2019_lengkap", lambda r: _v(r, "pct_tidak_lengkap") > 5.0),
    Cek("tgl_lahir", "pct_lahir_1_15", "n", 100, "who2019_umur", lambda r: _v(r, "pct_lahir_1_15") > 20.0),
    Cek("rasio_jk", "rasio_jk", "n", 100, "who2019_jk", lambda r: r["p_jk"] is not None and r["p_jk"] < 0.001, 2),
    Cek("umur_bulat", "indeks_umur_bulat", "n", 100, "who2019_umur",
        lambda r: _v(r, "indeks_umur_bulat") > 1.5, 2),
    Cek("digit_tinggi", "dps_tinggi", "n_tinggi", 100, "smart_dps", lambda r: _v(r, "dps_tinggi") > 20.0, 0),
    Cek("digit_berat", "dps_berat", "n_berat", 100, "smart_dps", lambda r: _v(r, "dps_berat") > 20.0, 0),
    Cek("flag_haz", "pct_flag_haz", "n_haz", 100, "who2019_flag", lambda r: _v(r, "pct_flag_haz") > 1.0),
    Cek("flag_waz", "pct_flag_waz", "n_waz", 100, "who2019_flag", lambda r: _v(r, "pct_flag_waz") > 1.0),
    Cek("flag_whz", "pct_flag_whz", "n_whz", 100, "who2019_flag", lambda r: _v(r, "pct_flag_whz") > 1.0),
    Cek("sd_haz", "sd_haz", "n_haz", 100, "who2019_sd", lambda r: not 0.8 <= _v(r, "sd_haz") <= 1.2, 2),
    Cek("sd_waz", "sd_waz", "n_waz", 100, "who2019_sd", lambda r: not 0.8 <= _v(r, "sd_waz") <= 1.2, 2),
    Cek("sd_whz", "sd_whz", "n_whz", 100, "who2019_sd", lambda r: not 0.8 <= _v(r, "sd_whz") <= 1.2, 2),
    Cek("skew_haz", "skew_haz", "n_haz", 100, "smart_bentuk", lambda r: abs(_v(r, "skew_haz")) >= 0.6, 2),
    Cek("kurt_haz", "kurt_haz", "n_haz", 100, "smart_bentuk", lambda r: abs(_v(r, "kurt_haz")) >= 0.6, 2),
    Cek("posisi", "pct_posisi_salah", "n_posisi", 50, "who2019_posisi",
        lambda r: (r["pct_berdiri_bawah_24"] or 0) > 10.0 or (r["pct_telentang_24_plus"] or 0) > 10.0),
    Cek("zs_lapor", "pct_zs_beda", "zs_dibandingkan", 50, "zs_lapor", lambda r: _v(r, "pct_zs_beda") > 5.0),
)
CHECK = {c.id: c for c in CHECKS}
# recap checks (rows of quality/mutu_rekap): the import's own consistency flag, reported vs computed
# prevalence (more than 0.15 points apart after rounding to one decimal), counts copied down from the last period
REKAP_CHECKS = ("rekap_jumlah", "rekap_prevalensi", "rekap_salin")
REKAP_ATURAN = "rekap"
REKAP_SELISIH_PREVALENSI = 0.15


# ------------------------------------------------------------------------------------ figures
def indikator(ringkas: pl.DataFrame) -> pl.DataFrame:
    """The rows of quality/mutu_ringkas with the derived figures: percentages (null when the denominator is 0),
    sex ratio and its p-value, age-heaping index, DPS of the height and weight decimals."""
    if ringkas.height == 0:
        return ringkas.with_columns(*[pl.lit(None, dtype=pl.Float64).alias(c) for c in _DERIVED])

    def pct(num: str | pl.Expr, den: str) -> pl.Expr:
        num = pl.col(num) if isinstance(num, str) else num
        return pl.when(pl.col(den) > 0).then(100.0 * num / pl.col(den)).otherwise(None)

    d = ringkas.with_columns(
        n_tinggi=pl.sum_horizontal([f"tinggi_d{i}" for i in DIGITS]),
        n_berat=pl.sum_horizontal([f"berat_d{i}" for i in DIGITS]),
        n_posisi=pl.col("n_bawah_24") + pl.col("n_24_plus"),
    ).with_columns(
        pct_tidak_lengkap=pct(pl.max_horizontal("tanpa_jk", "tanpa_tgl_lahir", "tanpa_berat", "tanpa_tinggi",
                                                "tanpa_cara"), "n"),
        pct_tanpa_berat=pct("tanpa_berat", "n"), pct_tanpa_tinggi=pct("tanpa_tinggi", "n"),
        pct_tanpa_cara=pct("tanpa_cara", "n"),
        pct_lahir_1_15=pct("lahir_tgl_1_15", "n"),
        pct_flag_haz=pct("flag_haz", "n_haz"), pct_flag_waz=pct("flag_waz", "n_waz"),
        pct_flag_whz=pct("flag_whz", "n_whz"),
        pct_berdiri_bawah_24=pct("berdiri_bawah_24", "n_bawah_24"),
        pct_telentang_24_plus=pct("telentang_24_plus", "n_24_plus"),
        pct_posisi_salah=pct(pl.col("berdiri_bawah_24") + pl.col("telentang_24_plus"), "n_posisi"),
        pct_zs_beda=pct("zs_beda", "zs_dibandingkan"),
    )
    rows = d.select("laki", "perempuan", "umur_bulat", "umur_tetangga",
                    *[f"tinggi_d{i}" for i in DIGITS], *[f"berat_d{i}" for i in DIGITS]).rows(named=True)
    jk = [stats.rasio_jk(r["laki"], r["perempuan"]) for r in rows]
    return d.with_columns(
        rasio_jk=pl.Series([a for a, _ in jk], dtype=pl.Float64),
        p_jk=pl.Series([b for _, b in jk], dtype=pl.Float64),
        indeks_umur_bulat=pl.Series([stats.indeks_umur_bulat(r["umur_bulat"], r["umur_tetangga"]) for r in rows],
                                    dtype=pl.Float64),
        dps_tinggi=pl.Series([stats.dps([r[f"tinggi_d{i}"] for i in DIGITS]) for r in rows], dtype=pl.Float64),
        dps_berat=pl.Series([stats.dps([r[f"berat_d{i}"] for i in DIGITS]) for r in rows], dtype=pl.Float64),
    )


_DERIVED = ("n_tinggi", "n_berat", "n_posisi", "pct_tidak_lengkap", "pct_tanpa_berat", "pct_tanpa_tinggi",
            "pct_tanpa_cara", "pct_lahir_1_15", "pct_flag_haz", "pct_flag_waz", "pct_flag_whz",
            "pct_berdiri_bawah_24", "pct_telentang_24_plus", "pct_posisi_salah", "pct_zs_beda", "rasio_jk", "p_jk",
            "indeks_umur_bulat", "dps_tinggi", "dps_berat")


def status(cek: Cek, r: dict) -> str:
    """'baik' (passes), 'masalah' (fails) or 'kurang_data' (denominator below the check's minimum, or no value)."""
    n = r.get(cek.n_kolom) or 0
    if n < cek.n_min or r.get(cek.kolom) is None:
        return "kurang_data"
    return "masalah" if cek.gagal(r) else "baik"


def gagal(r: dict) -> list[str]:
    """Ids of the checks the row fails (in CHECKS order)."""
    return [c.id for c in CHECKS if status(c, r) == "masalah"]


def with_checks(ind: pl.DataFrame) -> pl.DataFrame:
    """Add `checks` (list of failed check ids) to the rows of `indikator`."""
    return ind.with_columns(checks=pl.Series([gagal(r) for r in ind.iter_rows(named=True)],
                                             dtype=pl.List(pl.String)))


def rekap_checks(rekap: pl.DataFrame) -> pl.DataFrame:
    """Rows of quality/mutu_rekap with `checks`: rekap_jumlah (the import found the totals inconsistent),
    rekap_prevalensi (reported prevalence more than 0.15 points from stunting / measured), rekap_salin (the
    counts are the same as the unit's previous period)."""
    out = []
    for r in rekap.iter_rows(named=True):
        c = []
        if r["flag_inkonsisten"] is not None:
            c.append("rekap_jumlah")
        if (r["prevalensi_lapor"] is not None and r["prevalensi_hitung"] is not None
                and abs(r["prevalensi_lapor"] - r["prevalensi_hitung"]) > REKAP_SELISIH_PREVALENSI):
            c.append("rekap_prevalensi")
        if r["sama_ronde_lalu"]:
            c.append("rekap_salin")
        out.append(c)
    return rekap.with_columns(checks=pl.Series(out, dtype=pl.List(pl.String)))


# ------------------------------------------------------------------------------------ the table
def tabel(run: Run, kab: str) -> pl.DataFrame:
    """One row per tingkat x kode x periode with names, every figure of the report and `checks`."""
    names = run("quality/mutu_unit", kab=kab).select("tingkat", "kode", "nama", "kode_kec")
    ind = with_checks(indikator(run("quality/mutu_ringkas", kab=kab)))
    return ind.join(names, on=["tingkat", "kode"], how="left").with_columns(
        nama=pl.coalesce("nama", "kode"))


def periods(tab: pl.DataFrame) -> list[str]:
    """Rounds present in the table, newest first."""
    return sorted(tab["periode"].unique().to_list(), reverse=True) if tab.height else []


# ------------------------------------------------------------------------------------ marks (API)
def ringkas_text(checks: list[str], lang: str) -> str:
    """Short reason: the short labels of the failed checks, joined."""
    return "; ".join(t(f"mutu.cek.{c}.singkat", lang) for c in checks)


def _empty_marks() -> pl.DataFrame:
    return pl.DataFrame(schema={"tingkat": pl.String, "kode": pl.String, "nama": pl.String, "periode": pl.String,
                                "checks": pl.List(pl.String), "ringkas_id": pl.String, "ringkas_en": pl.String})


def marks(run: Run, kab: str, periode: str | None = None) -> pl.DataFrame:
    """Quality marks: one row per kecamatan or Puskesmas whose data of `periode` fail at least one check.

    Columns tingkat ('kecamatan'|'puskesmas'), kode, nama, periode, checks (failed check ids), ringkas_id,
    ringkas_en (short reason). periode None = the latest round of the child-level data, else the latest recap
    period. Child-level checks and recap checks of the same unit and period are merged."""
    ringkas = run("quality/mutu_ringkas", kab=kab)
    rekap = rekap_checks(run("quality/mutu_rekap", kab=kab))
    if periode is None:
        ps = periods(ringkas) or sorted(rekap["periode"].unique().to_list(), reverse=True)
        if not ps:
            return _empty_marks()
        periode = ps[0]
    # the checks are per row: only the rows of this round and of the marked levels are computed (in a big
    # kabupaten the whole table is ~7,000 rows of per-row statistics in Python, ~0.8 s; these are ~100)
    child = with_checks(indikator(ringkas.filter((pl.col("periode") == periode)
                                                 & pl.col("tingkat").is_in(TINGKAT_TANDA)))).select(
        "tingkat", "kode", "checks")
    rk = rekap.filter((pl.col("periode") == periode) & (pl.col("checks").list.len() > 0))
    rec = pl.concat([
        rk.filter(pl.col("jenis_unit") == "puskesmas").select(pl.lit("puskesmas").alias("tingkat"),
                                                              pl.col("kode_unit").alias("kode"), "checks"),
        rk.filter(pl.col("jenis_unit") != "puskesmas").select(pl.lit("kecamatan").alias("tingkat"),
                                                              pl.col("kode_kec").alias("kode"), "checks"),
    ])
    both = pl.concat([child, rec]).filter(pl.col("kode").is_not_null())
    if both.height == 0:
        return _empty_marks()
    order = {c: i for i, c in enumerate([*CHECK, *REKAP_CHECKS])}
    merged = (both.explode("checks").drop_nulls("checks").unique()
              .group_by("tingkat", "kode").agg(pl.col("checks"))
              .with_columns(pl.col("checks").map_elements(lambda cs: sorted(cs, key=order.get),
                                                          return_dtype=pl.List(pl.String))))
    if merged.height == 0:
        return _empty_marks()
    names = run("quality/mutu_unit", kab=kab).select("tingkat", "kode", "nama")
    out = merged.join(names, on=["tingkat", "kode"], how="left").with_columns(
        nama=pl.coalesce("nama", "kode"), periode=pl.lit(periode))
    return out.with_columns(
        ringkas_id=pl.Series([ringkas_text(c, "id") for c in out["checks"].to_list()], dtype=pl.String),
        ringkas_en=pl.Series([ringkas_text(c, "en") for c in out["checks"].to_list()], dtype=pl.String),
    ).select("tingkat", "kode", "nama", "periode", "checks", "ringkas_id", "ringkas_en").sort("tingkat", "kode")


# ------------------------------------------------------------------------------------ verdicts
def nilai_text(cek: Cek, r: dict, lang: str) -> str:
    v = r.get(cek.kolom)
    return fmt_num(v, cek.desimal, lang) if v is not None else "–"


def verdicts(r: dict, lang: str) -> list[dict]:
    """For one row of `tabel`: each check with its value, denominator, status and a plain-language verdict and
    the rule it comes from (both in `lang`)."""
    out = []
    for c in CHECKS:
        s = status(c, r)
        val = nilai_text(c, r, lang)
        key = f"mutu.cek.{c.id}.{'kurang_data' if s == 'kurang_data' else s}"
        text = (t("mutu.kurang_data", lang, n=fmt_num(r.get(c.n_kolom) or 0, 0, lang), n_min=c.n_min)
                if s == "kurang_data" else t(key, lang, nilai=val))
        out.append({"id": c.id, "cek": t(f"mutu.cek.{c.id}.nama", lang), "nilai": val,
                    "n": r.get(c.n_kolom), "status": s, "status_teks": t(f"mutu.status.{s}", lang),
                    "putusan": text, "aturan": t(f"mutu.aturan.{c.aturan}", lang)})
    return out


def briefing_line(m: pl.DataFrame, lang: str = "id") -> str:
    """The briefing's one line on data quality, from the rows of `marks`: how many Puskesmas carry a mark and the
    most common reasons (or that none does)."""
    pkm = m.filter(pl.col("tingkat") == "puskesmas") if m.height else m
    if pkm.height == 0:
        return t("mutu.brief.baik", lang)
    order = {c: i for i, c in enumerate([*CHECK, *REKAP_CHECKS])}
    top = (pkm.explode("checks").group_by("checks").agg(n=pl.len())
           .with_columns(urutan=pl.col("checks").replace_strict(order, default=len(order), return_dtype=pl.Int32))
           .sort(["n", "urutan"], descending=[True, False]).head(3).select("checks", "n"))
    reasons = ", ".join(f"{t(f'mutu.cek.{c}.singkat', lang)} ({n})" for c, n in top.iter_rows())
    return t("mutu.brief.tanda", lang, n=pkm.height, alasan=reasons)


def link(tingkat: str, kode: str, periode: str | None = None) -> str:
    """The Mutu Data page's URL for one unit (a mark beside prevalence links here): /mutu?tingkat=..&unit=..[&periode=..]."""
    from urllib.parse import urlencode
    params = {"tingkat": tingkat, "unit": kode}
    if periode:
        params["periode"] = periode
    return "/mutu?" + urlencode(params)
