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

from ilp import prevalence, rounds as rounds_mod, targets
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


def projection(series: pl.DataFrame) -> tuple[dict, pl.DataFrame | None]:
    """The one rule for the trend and its projection (page, Ringkasan and briefing): least squares over
    complete rounds; shown only with >= targets.MIN_ROUNDS_TREND rounds and a projected value."""
    tr = targets.trend(series)
    if tr.get("slope_per_year") is None or tr.get("proj_value") is None or series.height == 0:
        return {**tr, "slope_per_year": None, "proj_value": None, "year_goal": None}, None
    return tr, targets.projection_line(tr, series["periode"][-1])


def kecamatan_targets(r: Routine, periode: str, target: float | None) -> pl.DataFrame:
    """Per kecamatan: prevalence at `periode`, the target, the gap, and the trend over complete rounds
    (pace per year, projected 2029 value, year the 14.2% goal is reached). Largest gap first."""
    done = set(r.complete)
    rows = []
    for (kode, nm), g in r.kecamatan.group_by(["kode", "nama"], maintain_order=True):
        trk = targets.trend(g.filter(pl.col("periode").is_in(list(done))).sort("periode"))
        last = g.filter(pl.col("periode") == periode)
        v = last["prevalensi_pct"][0] if last.height else None
        rows.append({"kode": kode, "kecamatan": nm, "prevalensi_pct": v, "target": target,
                     "selisih": (v - target) if (v is not None and target is not None) else None,
                     "laju_per_tahun": trk.get("slope_per_year"), "proyeksi_2029": trk.get("proj_value"),
                     "tahun_capai_14_2": trk.get("year_goal")})
    schema = {"kode": pl.String, "kecamatan": pl.String, "prevalensi_pct": pl.Float64, "target": pl.Float64,
              "selisih": pl.Float64, "laju_per_tahun": pl.Float64, "proyeksi_2029": pl.Float64,
              "tahun_capai_14_2": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row").sort("selisih", descending=True, nulls_last=True)


def ranking(r: Routine, periode: str | None = None) -> pl.DataFrame:
    """Kecamatan of one round for the ranking charts and table, highest prevalence first."""
    k = r.kecamatan_at(periode)
    cols = [c for c in ("kode", "nama", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas", "stabil",
                        "cakupan_ukur_pct", "n_unit_lapor") if c in k.columns]
    return k.select(cols).sort("prevalensi_pct", descending=True, nulls_last=True)


def desa(run: Run, kec: str, periode: str, sumber: str = "PUSDATIN") -> pl.DataFrame:
    """Desa of one kecamatan (e-PPGBM), figures from fewer than MIN_TAMPIL_DESA children blanked."""
    d = prevalence.add_prevalence(run("stunting/prevalensi_desa", kec=kec, sumber_sasaran=sumber))
    return prevalence.suppress_small(d.filter(pl.col("periode") == periode))


def desa_map_values(d: pl.DataFrame) -> pl.DataFrame:
    """Map input for suppressed desa: a blanked desa shows as 'no data', never as 0%."""
    return d.select("kode", "nama",
                    pl.col("stunting").cast(pl.Float64).alias("pembilang"),
                    pl.col("diukur").cast(pl.Float64).alias("penyebut"),
                    nilai=pl.when(pl.col("disembunyikan")).then(None).otherwise(pl.col("prevalensi_pct")))


def puskesmas(run: Run, kab: str, periode: str) -> pl.DataFrame:
    pk = prevalence.add_prevalence(run("stunting/prevalensi_puskesmas", kab=kab).filter(pl.col("periode") == periode),
                                   sasaran=None)
    return pk.select("kode_puskesmas", "puskesmas", "diukur", "stunting", "prevalensi_pct", "ci_bawah", "ci_atas",
                     "stabil").sort("prevalensi_pct", descending=True, nulls_last=True)


def lokus_desa(run: Run, kab: str, periode: str, top: int = 10) -> pl.DataFrame:
    """Desa prioritas: rank by number of stunted children, then prevalence; only desa with >= 10 measured."""
    d = prevalence.add_prevalence(run("stunting/prevalensi_desa_kab", kab=kab, periode=periode), sasaran=None)
    d = d.filter(pl.col("diukur") >= prevalence.MIN_TAMPIL_DESA).sort(["stunting", "prevalensi_pct"], descending=True)
    return d.with_row_index("peringkat", offset=1).with_columns(usulan_lokus=pl.col("peringkat") <= top)


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
