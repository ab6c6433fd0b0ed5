"""The Ringkasan content model: one pure function builds the cards, the ranking, the map and the trend,
and both the Ringkasan page and the briefing (PDF, slides) only render it, so they cannot diverge.
`run` is any callable (query_key, **params) -> polars.DataFrame. Never imports streamlit."""
from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from ilp import charts, indicators, stunting, summary
from ilp.i18n import fmt_periode, t

Run = summary.Run
N_PRIORITY = 5  # the kecamatan most in need: the top five, widened to keep ties at the cut
# the priority table on the page: each dimension's figure with its rank beside it ('22,7% (4)'), then the score
PRIORITY_DIMENSIONS = (("prevalensi_pct", "r_stunting", "ringkasan3.kol_k_stunting"),
                       ("desa_pustu_pct", "r_pustu", "ringkasan3.kol_k_pustu"),
                       ("pustu_lengkap_pct", "r_tenaga", "ringkasan3.kol_k_tenaga"),
                       ("spm_rata2_pct", "r_spm", "ringkasan3.kol_k_spm"))
PRIORITY_LABELS: dict = {}


@dataclass(frozen=True)
class MapSpec:
    indicator: indicators.Indicator
    classed: pl.DataFrame        # kode, nama, pembilang, penyebut, nilai, kelas, kelas_label, warna
    geo: pl.DataFrame            # kode, nama, geojson (+ lat, lon)
    periode: str | None          # the round shown (ronde indicators), else None
    source: str                  # source, denominator and period, in the reader's language

    def figure(self, lang: str = "id", height: int = 480, labels: bool = False,
               names: bool = False) -> go.Figure | None:
        """The map; `labels` prints each kecamatan's value on it (paper has no hover); `names` prints each
        kecamatan's name and value (charts.choropleth labels, the screen's map)."""
        if self.geo.height == 0:
            return None
        fig = charts.choropleth(self.indicator, self.classed, self.geo, lang, height=height, labels=names)
        if labels and not names:
            charts.add_value_labels(fig, self.geo, self.classed, lang)
        return fig


@dataclass(frozen=True)
class TrendSpec:
    series: pl.DataFrame          # complete rounds of the routine source
    survey: pl.DataFrame          # SSGI/SKI points, never joined to the routine line
    path: pl.DataFrame            # target path
    trend: dict                   # targets.aarr_trend over `series` (status, AARR with interval, reach year)
    projection: pl.DataFrame | None  # targets.projection_line_aarr: x, nilai, bawah, atas (None: no trend)
    crosscheck: pl.DataFrame | None  # the recap series beside e-PPGBM, when both exist

    def text(self, lang: str = "id") -> list[str]:
        """The trend in sentences: status in words, pace (% per year and points per year, each labelled),
        required pace, reach year or why not, what the fit used (targets.describe_aarr)."""
        return stunting.trend_text(self.trend, lang)

    @property
    def empty(self) -> bool:
        kab_survey = self.survey.filter(pl.col("tingkat") == "kabkota").height if self.survey.height else 0
        return self.series.height == 0 and kab_survey == 0

    def figure(self, lang: str = "id", height: int = 380) -> go.Figure | None:
        if self.empty:
            return None
        return charts.trend_figure(self.series, self.survey, self.path, self.projection, lang, height=height,
                                   crosscheck=self.crosscheck)


@dataclass(frozen=True)
class Content:
    kab: str
    cards: list[dict]             # see summary.headlines
    ranking: pl.DataFrame         # summary.priority_kecamatan (top n)
    map: MapSpec
    trend: TrendSpec
    routine: stunting.Routine
    lang: str


def map_spec(run: Run, kab: str, ind_id: str, lang: str = "id", sumber: str = summary.SUMBER_DEFAULT,
             routine: stunting.Routine | None = None) -> MapSpec:
    """The map of one indicator on its default period: routine stunting at the latest complete round
    (e-PPGBM or recap), SPM for the latest month with data, facility indicators as last loaded."""
    ind = indicators.get(ind_id)
    r = routine if routine is not None else stunting.routine(run, kab, sumber)
    sp = summary.latest_spm(run)
    periode = r.latest if ind.period_kind == "ronde" else None
    vals = indicators.values(run, ind, routine=r, kab=kab, sumber_sasaran=sumber, periode=periode,
                             tahun=sp[0] if sp else 0, bulan=sp[1] if sp else 12)
    geo = run("wilayah/batas_kecamatan", kab=kab)
    if ind.values_from == "stunting_rutin":
        label = r.label(lang)
        per = fmt_periode(periode, lang)
    else:
        label = ind.query
        per = fmt_periode(f"{sp[0]}-{sp[1]:02d}", lang) if (sp and ind.period_kind == "tahun") else t(
            "peta.snapshot", lang, tahun="")
    source = t("ringkasan2.peta_sumber", lang, label=label, denom=ind.denominator_text(lang), periode=per)
    return MapSpec(ind, charts.map_classes(ind, vals, lang), geo, periode, source)


def trend_spec(run: Run, kab: str, routine: stunting.Routine) -> TrendSpec:
    ser = routine.trend_series
    tr, proj = stunting.projection(ser)
    x = routine.crosscheck
    cross = x.trend_series if x is not None and x.trend_series.height else None
    return TrendSpec(ser, run("stunting/survei", kab=kab), stunting.target_path(run, kab), tr, proj, cross)


def build(run: Run, kab: str, lang: str = "id", sumber: str = summary.SUMBER_DEFAULT,
          map_indicator: str | None = None, n_priority: int = N_PRIORITY) -> Content:
    """Everything Ringkasan and the briefing show, computed once."""
    r = stunting.routine(run, kab, sumber)
    ind_id = map_indicator or indicators.headline_ids()[0]
    return Content(
        kab=kab,
        cards=summary.headlines(run, kab, lang, sumber, routine=r),
        ranking=summary.priority_kecamatan(run, kab, n_priority, sumber, routine=r),
        map=map_spec(run, kab, ind_id, lang, sumber, routine=r),
        trend=trend_spec(run, kab, r),
        routine=r,
        lang=lang,
    )


def priority_tie_note(ranking: pl.DataFrame, lang: str = "id", n: int = N_PRIORITY) -> str | None:
    """'2 more kecamatan because of a tie at rank 5' when the top-n cut was widened to keep a tie, else None."""
    extra = ranking.height - n
    if extra <= 0 or "seri_di_batas" not in ranking.columns:
        return None
    return t("ringkasan3.seri", lang, tambahan=extra, peringkat=int(ranking["peringkat"].max()))


def priority_view(ranking: pl.DataFrame, lang: str = "id", marks: pl.DataFrame | None = None) -> pl.DataFrame:
    """The priority table as read on screen: rank, name, each dimension as 'figure (its rank)' under a header
    that says so, and the score (mean of the four ranks). Formatted by ilp.fmt; missing reads '–', never 0.
    `marks` (stunting.quality_marks of the round shown): the quality mark beside the stunting figure."""
    from ilp import fmt
    cols = [pl.col("peringkat").alias(t("ringkasan3.kol_r", lang)), pl.col("nama").alias(t("kol.nama", lang))]
    for val, rank, key in PRIORITY_DIMENSIONS:
        text = [f"{fmt.pct(v, 1, lang)} (#{fmt.integer(r, lang)})" if v is not None else fmt.MISSING
                for v, r in zip(ranking[val].to_list(), ranking[rank].to_list())]
        cols.append(pl.Series(t(key, lang), text, dtype=pl.String))
        if val == "prevalensi_pct" and marks is not None:
            mk = stunting.add_quality(ranking.select("kode"), marks, "kecamatan")["mutu"]
            cols.append(mk.alias(t("ringkasan3.kol_mutu", lang)))
    skor = pl.Series(t("ringkasan3.kol_skor", lang), [fmt.num(v, 2, lang) for v in ranking["skor"].to_list()],
                     dtype=pl.String)  # mean ranks are quarters: two decimals, so 3,75 and 4,25 do not both read 4
    return ranking.select(*cols).with_columns(skor)
