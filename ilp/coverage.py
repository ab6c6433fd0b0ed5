"""Peta and Fasilitas figures (pure Polars/Plotly, no Streamlit): ILP network headline shares that say
'no data' (None) instead of 0 when nothing is loaded behind them, the inventory table, the rollout
timeline, ranking kecamatan by gap to target, and the desa Pustu layer."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ilp.i18n import t


@dataclass(frozen=True)
class Share:
    """n of `of`, as a percentage; pct is None (shown 'tidak ada data') when nothing stands behind it."""

    n: int | None
    of: int | None
    pct: float | None


def _share(n, of, has_data: bool = True) -> Share:
    if not has_data or not of:
        return Share(None if not has_data else n, of or None, None)
    return Share(int(n or 0), int(of), 100.0 * (n or 0) / of)


def _sum(net: pl.DataFrame, col: str) -> int:
    return int(net[col].sum() or 0) if col in net.columns and net.height else 0


def network_totals(net: pl.DataFrame) -> dict[str, Share | int | None]:
    """District totals from queries/ilp/jaringan_kecamatan.sql. Counts are None when the list behind them
    is empty (a district that loaded Puskesmas only has no Pustu or Posyandu data, not zero of them)."""
    s = {c: _sum(net, c) for c in ("n_puskesmas", "n_puskesmas_ranap", "desa_dengan_pustu", "n_desa", "n_pustu",
                                   "pustu_lengkap", "pustu_ada_data_tenaga", "n_posyandu", "n_kader",
                                   "posyandu_ada_data_kader", "puskesmas_ilp", "puskesmas_ada_status")}
    return {
        "puskesmas": s["n_puskesmas"] or None,
        "puskesmas_ranap": s["n_puskesmas_ranap"] if s["n_puskesmas"] else None,
        "pustu": s["n_pustu"] or None,
        "desa_pustu": _share(s["desa_dengan_pustu"], s["n_desa"], has_data=s["n_pustu"] > 0),
        "pustu_lengkap": _share(s["pustu_lengkap"], s["n_pustu"], has_data=s["pustu_ada_data_tenaga"] > 0),
        "posyandu": s["n_posyandu"] or None,
        "kader": s["n_kader"] if s["posyandu_ada_data_kader"] else None,
        "puskesmas_ilp": _share(s["puskesmas_ilp"], s["n_puskesmas"], has_data=s["puskesmas_ada_status"] > 0),
    }


def _ratio(num: str, den: str, scale: float = 1.0, has: str | None = None) -> pl.Expr:
    ok = pl.col(den) > 0
    if has is not None:
        ok = ok & (pl.col(has) > 0)
    return pl.when(ok).then(scale * pl.col(num) / pl.col(den))


def inventory(net: pl.DataFrame) -> pl.DataFrame:
    """Per kecamatan with the derived shares; a share is null (not 0, not inf) where nothing stands behind it."""
    any_pustu = _sum(net, "n_pustu") > 0
    any_posyandu = _sum(net, "n_posyandu") > 0
    none = pl.lit(None, dtype=pl.Float64)
    return net.with_columns(
        desa_pustu_pct=_ratio("desa_dengan_pustu", "n_desa", 100) if any_pustu else none,
        pustu_lengkap_pct=_ratio("pustu_lengkap", "n_pustu", 100, has="pustu_ada_data_tenaga"),
        posyandu_per_desa=_ratio("n_posyandu", "n_desa") if any_posyandu else none,
        kader_per_posyandu=_ratio("n_kader", "posyandu_ada_data_kader"),
    )


def pustu_gaps(pt: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Pustu below the standard (1 perawat + 1 bidan) and the number of Pustu in the list."""
    return pt.filter(~pl.col("lengkap")), pt.height


def rollout_split(ro: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(Puskesmas that started ILP, Puskesmas not started yet)."""
    return ro.filter(pl.col("mulai").is_not_null()), ro.filter(pl.col("mulai").is_null())


def rollout_figure(started: pl.DataFrame, lang: str = "id"):
    """ILP start date per Puskesmas, coloured by rollout phase; None when no Puskesmas has started."""
    if started.height == 0:
        return None
    import plotly.express as px
    tl = started.with_columns(tahap_label=pl.format("{} {}", pl.lit(t("fasilitas.tahap", lang)), pl.col("tahap")))
    fig = px.scatter(tl.to_pandas(), x="mulai", y="nama", color="tahap_label",
                     labels={"mulai": t("fasilitas.mulai", lang), "nama": "", "tahap_label": t("fasilitas.tahap", lang)},
                     height=max(320, 22 * tl.height + 80))
    fig.update_traces(marker=dict(size=12, symbol="diamond"))
    return fig


def rank_by_gap(vals: pl.DataFrame, direction: str, target: float | None) -> pl.DataFrame:
    """Kecamatan ordered by the distance still to go to the target (largest first); `selisih` is null
    (ranked last) where there is no value or no target. direction 'naik' = higher is better."""
    tgt = pl.lit(target, dtype=pl.Float64)
    gap = (tgt - pl.col("nilai")) if direction == "naik" else (pl.col("nilai") - tgt)
    return vals.with_columns(target=tgt, selisih=gap if target is not None else pl.lit(None, dtype=pl.Float64)).sort(
        "selisih", descending=True, nulls_last=True)


def desa_pustu_values(dtab: pl.DataFrame, district_pustu: int) -> pl.DataFrame:
    """Frame for indicators.compute('desa_dengan_pustu') at desa level from queries/ilp/jaringan_desa.sql:
    1 of 1 where the desa has a Pustu, 0 of 1 where it has none. `n_pustu` carries the district's Pustu count,
    so a district whose facility list holds no Pustu at all shows no data, not 0%."""
    return dtab.select("kode", "nama", (pl.col("n_pustu") > 0).cast(pl.Int64).alias("desa_dengan_pustu"),
                       pl.lit(1).alias("n_desa"), pl.lit(int(district_pustu)).alias("n_pustu"))


def faskes_in(fk: pl.DataFrame | None, kec: str) -> pl.DataFrame | None:
    return fk.filter(pl.col("kode_kec") == kec) if fk is not None else None


def round_choices(routine) -> tuple[list[str], str | None]:
    """Rounds offered on the map (newest first) and the default: the latest complete round (ilp.stunting)."""
    per = routine.series["periode"].sort(descending=True).to_list() if routine.series.height else []
    return per, routine.latest


def ind_target(ind, routine_target: dict | None) -> float | None:
    """The map indicator's target: its own fixed one, else (stunting) the district/national path's."""
    if ind.target_indicator:
        return routine_target["nilai"] if routine_target else None
    return ind.target


# ---------------------------------------------------------------- the planner's map (Peta)

SASARAN_COLUMNS = ("sasaran", "sasaran_balita")  # indicator columns that come from the chosen sasaran table


@dataclass(frozen=True)
class Controls:
    """Which period and denominator selectors change an indicator's map (the others are not shown)."""

    ronde: bool    # a weighing round (routine stunting)
    tahun: bool    # a year: the SPM year to date, or the year of the sasaran behind a denominator
    sasaran: bool  # the sasaran source (PUSDATIN, BPS, ...) behind a denominator


def controls(ind) -> Controls:
    """A snapshot indicator of the facility list has no period: no year or source selector changes it, unless
    one of its columns is a sasaran (e.g. Posyandu per 1,000 balita)."""
    uses_sasaran = ind.numerator in SASARAN_COLUMNS or ind.denominator in SASARAN_COLUMNS
    return Controls(ronde=ind.period_kind == "ronde", tahun=ind.period_kind == "tahun" or uses_sasaran,
                    sasaran=uses_sasaran)


def has_desa_layer(ind) -> bool:
    """Indicators with a value per desa: routine stunting (e-PPGBM rounds) and desa with a Pustu."""
    return ind.values_from == "stunting_rutin" or ind.id == "desa_dengan_pustu"


def rank_by_value(vals: pl.DataFrame, direction: str) -> pl.DataFrame:
    """Kecamatan from the worst value to the best (direction 'naik' = higher is better), no data last; for an
    indicator without a target, where a gap cannot be computed (no column of None)."""
    return vals.sort("nilai", descending=direction != "naik", nulls_last=True)


def ranking_columns(ind) -> dict:
    """How the ranking table (indicators.values + target/selisih) reads: numerator and denominator are counts
    (integers, never '1.121,0'), value and target in the indicator's unit, the gap in points."""
    kind = "pct" if ind.unit == "%" else "num"
    return {"pembilang": "int", "penyebut": "int", "nilai": kind, "target": kind, "selisih": "num"}


def ranking(vals: pl.DataFrame, direction: str, target: float | None) -> tuple[pl.DataFrame, str]:
    """(table, kind): ranked by gap to the target when there is one ('selisih'), else by value ('nilai')."""
    if target is None:
        return rank_by_value(vals, direction), "nilai"
    return rank_by_gap(vals, direction, target), "selisih"


def desa_pustu_layer(dtab: pl.DataFrame, district_pustu: int, lang: str = "id") -> tuple[pl.DataFrame, list]:
    """The desa Pustu map as a two-class layer (has a Pustu / has none): classed frame and its legend. A district
    whose facility list holds no Pustu at all shows every desa as no data (not 'no Pustu')."""
    from ilp import charts
    yes, no = t("peta.pustu_ada", lang), t("peta.pustu_belum", lang)
    v = dtab.select("kode", "nama", ada=pl.col("n_pustu").fill_null(0) > 0, n_pustu=pl.col("n_pustu").fill_null(0))
    v = v.with_columns(nilai=pl.when(pl.col("ada")).then(100.0).otherwise(0.0),
                       teks=pl.when(pl.col("ada")).then(pl.format("{} ({})", pl.lit(yes), pl.col("n_pustu")))
                       .otherwise(pl.lit(no)))
    has = bool(district_pustu)
    if not has:
        v = v.with_columns(nilai=pl.lit(None, dtype=pl.Float64), teks=pl.lit(None, dtype=pl.String))
    legend = [(no, charts.TWO_CLASS_COLORS[0]), (yes, charts.TWO_CLASS_COLORS[1])]
    return charts.two_classes(v, "ada", (no, yes), lang, has_data=has), legend


def faskes_counts(fk: pl.DataFrame | None, kode: str, level: str = "kecamatan") -> dict[str, int]:
    """Facilities of one kecamatan (or desa) per map kind (charts.faskes_key), e.g. {'puskesmas': 1, 'pustu': 3}."""
    from ilp import charts
    if fk is None or fk.height == 0:
        return {}
    col = "kode_kec" if level == "kecamatan" else "kode_desa"
    part = fk.filter(pl.col(col) == kode).with_columns(key=charts._faskes_key_expr())
    counts = dict(part.group_by("key").len().iter_rows())
    return {k: int(counts[k]) for k in charts.FASKES_STYLE if k in counts}


@dataclass(frozen=True)
class AreaPanel:
    """The side panel of one selected area: its value, the parts of it, its class, its place in the ranking
    ('k of n' among areas with a value; ties share a place), its gap to the target (None without a target)."""

    kode: str
    nama: str
    nilai: float | None
    pembilang: float | None
    penyebut: float | None
    kelas_label: str
    peringkat: int | None
    dari: int
    selisih: float | None


def area_panel(classed: pl.DataFrame, kode: str, direction: str, target: float | None) -> AreaPanel | None:
    """classed: charts.map_classes output (kode, nama, nilai, pembilang, penyebut, kelas_label)."""
    from ilp import ranking as ranking_mod
    row = classed.filter(pl.col("kode") == kode)
    if row.height == 0:
        return None
    r = row.row(0, named=True)
    with_val = classed.filter(pl.col("nilai").is_not_null())
    rank = None
    if r["nilai"] is not None:
        ranked = ranking_mod.rank_with_ties(with_val.select("kode", "nilai"), "nilai", descending=direction == "naik",
                                            decimals=1)
        rank = int(ranked.filter(pl.col("kode") == kode)["peringkat"][0])
    gap = None
    if target is not None and r["nilai"] is not None:
        gap = (target - r["nilai"]) if direction == "naik" else (r["nilai"] - target)
    return AreaPanel(kode, r.get("nama") or kode, r["nilai"], r.get("pembilang"), r.get("penyebut"),
                     r.get("kelas_label") or "", rank, with_val.height, gap)


def area_series(routine, kode: str) -> pl.DataFrame:
    """One kecamatan's routine stunting over the complete rounds (periode, prevalensi_pct, ci_bawah, ci_atas,
    diukur), for its small trend in the side panel; provisional rounds are not part of a trend."""
    k = routine.kecamatan
    if k.height == 0:
        return k
    done = set(routine.series["periode"].to_list()) if routine.series.height else set()
    cols = [c for c in ("periode", "prevalensi_pct", "ci_bawah", "ci_atas", "diukur") if c in k.columns]
    return k.filter((pl.col("kode") == kode) & pl.col("periode").is_in(list(done))).select(cols).sort("periode")


def indicator_details(ind, lang: str = "id", source: str | None = None, target: float | None = None) -> list[tuple[str, str]]:
    """The indicator panel (instead of 'Kueri: ...'): definition, numerator, denominator, source, official or
    defined by this project, legend rule, target. Texts from the registry (ilp/indicators.toml); a registry
    definition (`definisi_id`/`definisi_en`) is used when the entry has one."""
    from ilp.i18n import catalog, fmt_num
    cat = catalog(lang)
    num = cat.get(f"kol.{ind.numerator}", ind.numerator)
    den = ind.denominator_text(lang)
    own = getattr(ind, f"definisi_{lang}", None)
    scale = "" if ind.scale == 1 else f" × {fmt_num(ind.scale, 0, lang)}"
    rule = "; ".join(ind.labels(lang)) + (f" ({ind.legend_source})" if ind.legend_source else "")
    rows = [
        (t("peta.det_definisi", lang), own or t("peta.det_rumus", lang, pembilang=num, penyebut=den, skala=scale)),
        (t("peta.det_pembilang", lang), num),
        (t("peta.det_penyebut", lang), den),
        (t("peta.det_sumber", lang), source or cat.get(f"peta.sumber_kueri.{ind.query.replace('/', '_')}", ind.query)),
        (t("peta.det_status", lang), t("peta.det_resmi" if ind.official else "peta.det_proyek", lang)),
        (t("peta.det_arah", lang), t(f"peta.det_arah_{ind.direction}", lang)),
        (t("peta.det_legenda", lang), rule),
    ]
    if target is not None:
        rows.append((t("peta.det_target", lang), fmt_num(target, 1, lang) + ind.unit))
    else:
        rows.append((t("peta.det_target", lang), t("peta.det_tanpa_target", lang)))
    return rows


def stack(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Frames of one kind (e.g. each kecamatan's desa) as one district-wide frame; columns missing in some are null."""
    frames = [f for f in frames if f is not None and f.height]
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame(schema={"kode": pl.String})


def district_desa_pustu(run, kab: str, lang: str = "id") -> tuple[pl.DataFrame, pl.DataFrame, list, pl.DataFrame]:
    """The desa Pustu layer of a whole district: (classed, desa boundaries, legend, desa table), from
    queries/ilp/jaringan_desa_kab.sql and wilayah/batas_desa_kab.sql (two questions for the district, not two per
    kecamatan). The district's Pustu count is the sum over its desa, so a list without any Pustu shows every desa
    as no data."""
    dtab = run("ilp/jaringan_desa_kab", kab=kab) if kab else pl.DataFrame()
    dgeo = run("wilayah/batas_desa_kab", kab=kab) if kab else pl.DataFrame(schema={"kode": pl.String})
    if dtab.height == 0:
        dtab = pl.DataFrame(schema={"kode": pl.String, "nama": pl.String, "n_pustu": pl.Int64})
    n = int(dtab["n_pustu"].sum() or 0) if "n_pustu" in dtab.columns else 0
    classed, legend = desa_pustu_layer(dtab, n, lang)
    return classed, dgeo, legend, dtab
