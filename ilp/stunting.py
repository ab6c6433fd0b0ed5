"""Routine stunting figures for one district, whatever the district has: child-level e-PPGBM data
(the headline when present), else imported recaps (per desa, Puskesmas or kecamatan, per round), else none.

`routine(run, kab, sumber)` chooses the source and returns its district series over every round, the
kecamatan x periode table, the status of each round (ilp.rounds: only complete rounds are the headline,
in the trend, the ranking and the default map) and what to call it (source, file, period). Where both
e-PPGBM and a recap exist, the recap rides along as `crosscheck`, never spliced into the e-PPGBM line.
`run` is any callable (query_key, **params) -> polars.DataFrame (cached in the UI, ilp.db.run elsewhere).
Pure: never imports streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import polars as pl

from ilp import prevalence, ranking as ranking_mod, rounds as rounds_mod, targets
from ilp.i18n import fmt_num, fmt_periode, t

Run = Callable[..., pl.DataFrame]
EPPGBM = "eppgbm"
REKAP = "rekap"
LENGKAP = rounds_mod.LENGKAP
SEMENTARA = rounds_mod.SEMENTARA
KAMPANYE = "kampanye"  # a campaign month: its own series, never the headline, trend or default map


@dataclass(frozen=True)
class Routine:
    """Routine stunting data of one source. `series`: one row per periode (district) with prevalensi_pct,
    ci_bawah, ci_atas, stabil and `status`; `kecamatan`: kode, nama, periode, diukur, stunting,
    prevalensi_pct, ...; `rounds`: periode, status, share_desa, share_puskesmas (+ the counts)."""

    source: str | None
    series: pl.DataFrame
    kecamatan: pl.DataFrame
    rounds: pl.DataFrame
    jenis_unit: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    sumber: tuple[str, ...] = ()
    crosscheck: "Routine | None" = field(default=None)

    @property
    def complete(self) -> list[str]:
        """Periods fit for the headline, the trend, the ranking and the default map (oldest first)."""
        if self.series.height == 0:
            return []
        return self.series.filter(pl.col("status") == LENGKAP)["periode"].sort().to_list()

    @property
    def latest(self) -> str | None:
        c = self.complete
        return c[-1] if c else None

    @property
    def trend_series(self) -> pl.DataFrame:
        """The district series over complete rounds only (a provisional round is never in the trend)."""
        return self.series.filter(pl.col("status") == LENGKAP).sort("periode") if self.series.height else self.series

    @property
    def provisional(self) -> pl.DataFrame:
        return self.series.filter(pl.col("status") == SEMENTARA) if self.series.height else self.series

    def row(self, periode: str | None = None) -> dict | None:
        """The district row of `periode` (default: the latest complete round)."""
        p = periode or self.latest
        if p is None or self.series.height == 0:
            return None
        hit = self.series.filter(pl.col("periode") == p)
        return hit.row(0, named=True) if hit.height else None

    def kecamatan_at(self, periode: str | None = None) -> pl.DataFrame:
        p = periode or self.latest
        return self.kecamatan.filter(pl.col("periode") == p) if p else self.kecamatan.clear()

    def label(self, lang: str = "id") -> str:
        """'e-PPGBM' or 'rekap Puskesmas (file.xlsx)'."""
        if self.source == EPPGBM:
            return t("stunting2.label_eppgbm", lang)
        if self.source == REKAP:
            unit = "/".join(t(f"stunting2.unit_{u}", lang) for u in self.jenis_unit) or t("stunting2.unit_puskesmas", lang)
            base = t("stunting2.label_rekap", lang, unit=unit)
            return f"{base} ({', '.join(self.files)})" if self.files else base
        return t("umum.tidak_ada_data", lang)

    def source_text(self, lang: str = "id", periode: str | None = None) -> str:
        """Source, file, period and denominator of one round, for a card or a figure."""
        r = self.row(periode)
        if r is None:
            return t("stunting2.src_kosong", lang)
        return t("stunting2.src", lang, label=self.label(lang), periode=fmt_periode(r["periode"], lang),
                 k=fmt_num(r["stunting"], 0, lang), n=fmt_num(r["diukur"], 0, lang),
                 sumber=", ".join(self.sumber) or "–")

    def provisional_text(self, lang: str = "id") -> list[str]:
        """'Februari 2025: 3 dari 328 desa, sementara' per provisional round."""
        out = []
        for r in self.provisional.iter_rows(named=True):
            n_lapor, n_all, unit = _coverage(r)
            out.append(t("stunting2.sementara", lang, periode=fmt_periode(r["periode"], lang),
                         lapor=fmt_num(n_lapor, 0, lang), total=fmt_num(n_all, 0, lang),
                         unit=t(f"stunting2.unit_{unit}", lang)))
        return out


def _coverage(r: dict) -> tuple[int | None, int | None, str]:
    if r.get("n_desa") is not None:
        return r.get("n_desa_lapor"), r.get("n_desa"), "desa"
    return r.get("n_puskesmas_lapor"), r.get("n_puskesmas"), "puskesmas"


def _empty_series() -> pl.DataFrame:
    return pl.DataFrame(schema={"periode": pl.String, "diukur": pl.Int64, "stunting": pl.Int64,
                                "prevalensi_pct": pl.Float64, "ci_bawah": pl.Float64, "ci_atas": pl.Float64,
                                "stabil": pl.Boolean, "status": pl.String})


def _empty_kec() -> pl.DataFrame:
    return pl.DataFrame(schema={"kode": pl.String, "nama": pl.String, "periode": pl.String, "diukur": pl.Int64,
                                "stunting": pl.Int64, "prevalensi_pct": pl.Float64, "ci_bawah": pl.Float64,
                                "ci_atas": pl.Float64, "stabil": pl.Boolean})


def _with_status(series: pl.DataFrame, rounds: pl.DataFrame) -> pl.DataFrame:
    """Join each period's status (and completeness) onto the district series; a period the rounds table
    does not know is taken as complete (nothing says it is partial)."""
    if rounds.height == 0 or "status" not in rounds.columns:
        return series.with_columns(status=pl.lit(LENGKAP))
    if "jenis" in rounds.columns:  # one row per periode: a weighing round wins over a campaign month
        rounds = rounds.sort(pl.col("jenis") != "ronde").unique("periode", keep="first", maintain_order=True) \
            .with_columns(status=pl.when(pl.col("jenis") == KAMPANYE).then(pl.lit(KAMPANYE)).otherwise("status"))
    extra = [c for c in rounds.columns if c not in series.columns or c == "periode"]
    out = series.join(rounds.select(extra), on="periode", how="left")
    return out.with_columns(pl.col("status").fill_null(LENGKAP))


def _eppgbm(run: Run, kab: str, sumber: str) -> Routine | None:
    ser = run("stunting/prevalensi_kab", kab=kab, sumber_sasaran=sumber)
    if ser.height == 0:
        return None
    rnd = run("stunting/ronde", kab=kab)
    rnd = rounds_mod.classify(rnd) if rnd.height else rnd
    series = _with_status(prevalence.add_prevalence(ser), rnd).sort("periode")
    kec = prevalence.add_prevalence(run("stunting/prevalensi_kecamatan", kab=kab, sumber_sasaran=sumber))
    return Routine(EPPGBM, series, kec, rnd, sumber=("e-PPGBM",))


def _counts_int(df: pl.DataFrame) -> pl.DataFrame:
    """Recap sums arrive as DECIMAL: counts of children are integers."""
    cols = [c for c in ("diukur", "stunting", "pendek", "sangat_pendek") if c in df.columns]
    return df.with_columns([pl.col(c).cast(pl.Int64) for c in cols])


def _rekap(run: Run, kab: str) -> Routine | None:
    kab_df = _counts_int(run("stunting/rekap_kab", kab=kab))
    if kab_df.height == 0:
        return None
    rnd = rounds_mod.classify(kab_df)
    series = prevalence.add_prevalence(kab_df, sasaran=None)
    series = _with_status(series.drop([c for c in ("status", "share_desa", "share_puskesmas") if c in series.columns]),
                          rnd).sort("periode")
    kec = prevalence.add_prevalence(_counts_int(run("stunting/rekap_kecamatan", kab=kab)), sasaran=None)
    def uniq(col: str) -> tuple[str, ...]:
        if col not in kab_df.columns:
            return ()
        return tuple(sorted({v for v in kab_df[col].to_list() if v}))
    return Routine(REKAP, series, kec, rnd, jenis_unit=uniq("jenis_unit"), files=uniq("nama_file"),
                   sumber=uniq("sumber"))


def routine(run: Run, kab: str, sumber: str = "PUSDATIN") -> Routine:
    """The district's routine stunting source. Rule: e-PPGBM child data when it has a complete round (the
    recap rides beside it as a cross-check); else the recap when it has a complete round (e-PPGBM, all
    provisional, beside it); else whichever exists (its rounds all provisional); else an empty Routine."""
    ep = _eppgbm(run, kab, sumber)
    rk = _rekap(run, kab)
    def pair(main: Routine, other: Routine | None) -> Routine:
        return Routine(main.source, main.series, main.kecamatan, main.rounds, main.jenis_unit, main.files,
                       main.sumber, crosscheck=other)
    if ep is not None and (ep.complete or rk is None or not rk.complete):
        return pair(ep, rk)
    if rk is not None:
        return pair(rk, ep)
    return Routine(None, _empty_series(), _empty_kec(), pl.DataFrame())


ROUTINE_TARGET = "stunting_prevalensi_rutin"  # target table id of a district's own target for ROUTINE data


def projection(series: pl.DataFrame, target: float = targets.RPJMN_2029,
               until: int = 2029) -> tuple[dict, pl.DataFrame | None]:
    """The one rule for the trend and its projection (page, Ringkasan and briefing): the AARR of the complete
    rounds (targets.aarr_trend: weighted log-linear fit, 95% interval, status, reach year only when defensible)
    and its projection curve with band (targets.projection_line_aarr); no line with fewer than
    targets.MIN_ROUNDS_TREND complete rounds."""
    tr = targets.aarr_trend(series, target=target, target_year=until)
    line = targets.projection_line_aarr(tr, until)
    return tr, (line if line.height else None)


def routine_target(run: Run, kab: str, year: int) -> dict | None:
    """The district's own target for routine (e-PPGBM/recap) prevalence in `year` (target rows with indikator
    'stunting_prevalensi_rutin', interpolated between its official years), or None when the district set none.
    A district's 'stunting_prevalensi' target (RPJMD) is a survey figure like the national one: not used here."""
    tg = run("ilp/target_indikator", kab=kab)
    tg = tg.filter((pl.col("indikator") == ROUTINE_TARGET) & (pl.col("tingkat") == "kabkota")) if tg.height else tg
    if tg.height == 0:
        return None
    return targets.target_for_year(targets.target_path(tg.select("tingkat", "tahun", "nilai", "dasar")), year)


def judgement(run: Run, kab: str, r: Routine) -> dict:
    """How the routine figure is judged (targets.judge_routine): against the district's routine target for the
    year of the latest complete round when one is set, else by its own AARR against the AARR required to reach
    the national target. Adds `target_row` (the routine target used, or None)."""
    row = r.row()
    rt = routine_target(run, kab, int(row["periode"][:4])) if row is not None else None
    j = targets.judge_routine(r.trend_series, rt["nilai"] if rt else None)
    return {**j, "target_row": rt}


def trend_text(tr: dict, lang: str = "id") -> list[str]:
    """The AARR reading in sentences (status in words, pace in % per year and in points per year, each
    labelled, required pace, reach year or why not). One place for page, Ringkasan and briefing."""
    return targets.describe_aarr(tr, lang)


def kecamatan_targets(r: Routine, periode: str, target: float | None, lang: str = "id") -> pl.DataFrame:
    """Per kecamatan: prevalence at `periode`, the target, the gap, and the AARR over complete rounds
    (targets.aarr_trend: % per year with its 95% interval, points per year, status in words, the year the
    national 14.2% goal is reached only when defensible). Largest gap first."""
    done = set(r.complete)
    rows = []
    for (kode, nm), g in r.kecamatan.group_by(["kode", "nama"], maintain_order=True):
        trk = targets.aarr_trend(g.filter(pl.col("periode").is_in(list(done))).sort("periode"))
        last = g.filter(pl.col("periode") == periode)
        v = last["prevalensi_pct"][0] if last.height else None
        rows.append({"kode": kode, "kecamatan": nm, "prevalensi_pct": v, "target": target,
                     "selisih": (v - target) if (v is not None and target is not None) else None,
                     "aarr_pct": trk["aarr_pct"], "aarr_ci_bawah": trk["aarr_ci_bawah"],
                     "aarr_ci_atas": trk["aarr_ci_atas"], "poin_per_tahun": trk["pp_per_tahun"],
                     "status": t(f"metode.status.{trk['status']}", lang),
                     "tahun_capai_14_2": trk["tahun_capai"]})
    schema = {"kode": pl.String, "kecamatan": pl.String, "prevalensi_pct": pl.Float64, "target": pl.Float64,
              "selisih": pl.Float64, "aarr_pct": pl.Float64, "aarr_ci_bawah": pl.Float64,
              "aarr_ci_atas": pl.Float64, "poin_per_tahun": pl.Float64, "status": pl.String,
              "tahun_capai_14_2": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row").sort("selisih", descending=True, nulls_last=True)


def ranking(r: Routine, periode: str | None = None) -> pl.DataFrame:
    """Kecamatan of one round for the ranking charts and table, highest prevalence first; `peringkat` shares a
    rank between equal prevalences as shown (one decimal): ranking.rank_with_ties."""
    k = r.kecamatan_at(periode)
    cols = [c for c in ("kode", "nama", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "stabil",
                        "cakupan_ukur_pct", "n_unit_lapor") if c in k.columns]
    ranked = ranking_mod.rank_with_ties(k.select(cols), "prevalensi_pct", descending=True, decimals=1)
    return ranked.select("peringkat", *cols)


def desa(run: Run, kec: str, periode: str, sumber: str = "PUSDATIN") -> pl.DataFrame:
    """Desa of one kecamatan (e-PPGBM) at one round: n, prevalence, 95% interval, unstable marker (n < 30), the
    empirical-Bayes smoothed prevalence beside the raw one (prevalence.eb_smooth, shrunk toward the kecamatan),
    and small-area suppression (prevalence.suppress_small_areas: every figure of a desa from fewer than
    MIN_TAMPIL_DESA children, and of any desa whose figures would give it back by subtraction, is null)."""
    d = prevalence.add_prevalence(run("stunting/prevalensi_desa", kec=kec, sumber_sasaran=sumber))
    d = d.filter(pl.col("periode") == periode).with_columns(kode_kec=pl.lit(kec))
    d = prevalence.eb_smooth(d, group="kode_kec")
    return prevalence.suppress_small_areas(d)


def desa_map_values(d: pl.DataFrame) -> pl.DataFrame:
    """Map input for suppressed desa: a blanked desa shows as 'no data', never as 0%."""
    return d.select("kode", "nama",
                    pl.col("stunting").cast(pl.Float64).alias("pembilang"),
                    pl.col("diukur").cast(pl.Float64).alias("penyebut"),
                    nilai=pl.when(pl.col("disembunyikan")).then(None).otherwise(pl.col("prevalensi_pct")))


def hidden_text(d: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """Adds `keterangan`: 'disembunyikan (n<10)' for a suppressed desa (never 0), 'tidak stabil (n<30)' for an
    unstable one, else empty; for tables, tooltips and downloads."""
    hid = t("metode.kecil.disembunyikan", lang, n=prevalence.MIN_TAMPIL_DESA)
    uns = t("metode.kecil.tidak_stabil", lang, n=prevalence.MIN_STABIL)
    expr = pl.when(pl.col("disembunyikan")).then(pl.lit(hid))
    if "stabil" in d.columns:
        expr = expr.when(pl.col("stabil").not_()).then(pl.lit(uns))
    return d.with_columns(keterangan=expr.otherwise(pl.lit("")))


RECAP_LABELS = {"prevalensi_lapor": "pct", "mutu": "ringkasan3.kol_mutu"}  # recap_rows as read (the file's own %)
DESA_COLUMNS = ("kode", "nama", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "prevalensi_eb_pct",
                "cakupan_ukur_pct", "keterangan")


def desa_table(d: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """The desa of one kecamatan (desa()) as a table is read (with DESA_LABELS): counts, prevalence with its 95%
    interval, the smoothed value, measured coverage and the note; no working columns (weights, reasons)."""
    return hidden_text(d, lang).select(*DESA_COLUMNS)


def puskesmas(run: Run, kab: str, periode: str) -> pl.DataFrame:
    pk = prevalence.add_prevalence(run("stunting/prevalensi_puskesmas", kab=kab).filter(pl.col("periode") == periode),
                                   sasaran=None)
    return pk.select("kode_puskesmas", "puskesmas", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas",
                     "stabil").sort("prevalensi_pct", descending=True, nulls_last=True)


def lokus_desa(run: Run, kab: str, periode: str, top: int = 10, lang: str = "id") -> pl.DataFrame:
    """Desa prioritas: ranked by the empirical-Bayes smoothed prevalence (beta-binomial, each desa shrunk toward
    its kecamatan: prevalence.eb_smooth), the raw prevalence beside it. Desa from fewer than MIN_TAMPIL_DESA
    children (and their complementary desa) are suppressed and not ranked. Equal smoothed values as shown (one
    decimal) share a rank; `usulan_lokus` marks rank <= top, ties at the cut included."""
    d = prevalence.add_prevalence(run("stunting/prevalensi_desa_kab", kab=kab, periode=periode), sasaran=None)
    d = prevalence.suppress_small_areas(prevalence.eb_smooth(d, group="kode_kec"))
    d = ranking_mod.rank_with_ties(d, "prevalensi_eb_pct", descending=True, decimals=1)
    # 'min' ranks: every desa tied at the cut has a rank <= top, so the cut never splits a tie
    d = d.with_columns(usulan_lokus=(pl.col("peringkat") <= top).fill_null(False))
    return hidden_text(d, lang)


# readable headers of the desa and lokus tables (screen and downloads)
DESA_LABELS = {"prevalensi_eb_pct": "stunting3.kol_eb", "prevalensi_mentah_pct": "stunting3.kol_mentah",
               "keterangan": "stunting3.kol_keterangan", "usulan_lokus": "stunting3.kol_usulan",
               "cakupan_ukur_pct": "stunting3.kol_cakupan"}
TARGET_LABELS = {"aarr_pct": ("kol.aarr_pct", "num"), "aarr_ci_bawah": ("kol.aarr_ci_bawah", "num"),
                 "aarr_ci_atas": ("kol.aarr_ci_atas", "num"), "poin_per_tahun": ("kol.poin_per_tahun", "num2"),
                 "tahun_capai_14_2": ("kol.tahun_capai_14_2", "year")}  # how kecamatan_targets reads
LOKUS_COLUMNS = ("peringkat", "kode", "nama", "kecamatan", "diukur", "stunting", "prevalensi_eb_pct",
                 "prevalensi_mentah_pct", "ci_bawah", "ci_atas", "keterangan", "usulan_lokus")


def lokus_table(lok: pl.DataFrame, n: int | None = None) -> pl.DataFrame:
    """The ranked desa of lokus_desa (suppressed desa are not ranked and not listed), smoothed value beside the
    raw one; the first `n` rows (all when None) plus any row tied with the last one."""
    ranked = lok.filter(pl.col("peringkat").is_not_null()).select(LOKUS_COLUMNS)
    if n is None or ranked.height <= n:
        return ranked
    return ranking_mod.top_n_with_ties(ranked, n).rows.drop("seri_di_batas")


def quality_marks(run: Run, kab: str, periode: str | None, lang: str = "id") -> pl.DataFrame:
    """The data-quality marks of one round (ilp.mutu.marks): tingkat, kode, mutu (the short reason in `lang`)."""
    from ilp import mutu
    m = mutu.marks(run, kab, periode)
    col = f"ringkas_{lang}" if f"ringkas_{lang}" in m.columns else "ringkas_id"
    return m.select("tingkat", "kode", pl.col(col).alias("mutu"))


def add_quality(df: pl.DataFrame, marks: pl.DataFrame, tingkat: str, key: str = "kode") -> pl.DataFrame:
    """Adds `mutu` beside the figures of a kecamatan or Puskesmas table: '⚠ reason' for a unit whose data fail a
    check of the Mutu Data page, empty otherwise."""
    mk = (marks.filter(pl.col("tingkat") == tingkat).unique("kode", keep="first")
          .select(pl.col("kode").alias(key), ("⚠ " + pl.col("mutu")).alias("mutu")))
    out = df.drop("mutu") if "mutu" in df.columns else df
    return out.join(mk, on=key, how="left").with_columns(pl.col("mutu").fill_null(""))


def quality_text(marks: pl.DataFrame, periode: str | None, lang: str = "id") -> str:
    """One line on data quality for the briefing: how many kecamatan and Puskesmas have a quality mark."""
    n_kec = marks.filter(pl.col("tingkat") == "kecamatan").height
    n_pk = marks.filter(pl.col("tingkat") == "puskesmas").height
    per = fmt_periode(periode, lang) if periode else "–"
    if n_kec + n_pk == 0:
        return t("ringkasan3.mutu_bersih", lang, periode=per)
    return t("ringkasan3.mutu_baris", lang, kec=n_kec, pk=n_pk, periode=per)


def target_path(run: Run, kab: str) -> pl.DataFrame:
    pts = run("stunting/target", kab=kab)
    return targets.target_path(pts) if pts.height else pts


def target_for(run: Run, kab: str, periode: str | None) -> dict | None:
    """The target of the year of `periode` (district if it has one, else national), with its basis."""
    if not periode:
        return None
    path = target_path(run, kab)
    return targets.target_for_year(path, int(periode[:4])) if path.height else None


def gap(value: float | None, target: dict | None) -> float | None:
    """Points above the target (positive = still to go); None when either is missing, never 0."""
    if value is None or target is None:
        return None
    return value - target["nilai"]


def has_unstable(df: pl.DataFrame) -> bool:
    """True when some figure rests on fewer than prevalence.MIN_STABIL children."""
    return "stabil" in df.columns and df.filter(pl.col("stabil").not_()).height > 0


def recap_rows(run: Run, kab: str, periode: str | None = None) -> tuple[pl.DataFrame, int]:
    """The imported recap rows (per unit) of one period (all periods when None) and how many of them
    have counts that disagree (flag_inkonsisten)."""
    rek = run("stunting/rekap", kab=kab)
    if periode is not None and rek.height:
        rek = rek.filter(pl.col("periode") == periode)
    n_bad = rek.filter(pl.col("flag_inkonsisten").is_not_null()).height if rek.height else 0
    return rek, n_bad


def survey_latest(run: Run, kab: str) -> tuple[pl.DataFrame, dict | None]:
    """All survey points (SSGI/SKI, district and national) and the district's latest one."""
    sv = run("stunting/survei", kab=kab)
    kabsv = sv.filter(pl.col("tingkat") == "kabkota").sort("tahun") if sv.height else sv
    return sv, (kabsv.row(-1, named=True) if kabsv.height else None)
