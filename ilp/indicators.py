"""The indicator registry (ilp/indicators.toml): names, numerator/denominator columns of one SQL file,
unit, direction, legend classes, target, cluster, official or project-defined."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

REGISTRY_FILE = Path(__file__).with_name("indicators.toml")
NO_DATA = "tidak_ada_data"


@dataclass(frozen=True)
class Indicator:
    id: str
    nama_id: str
    nama_en: str
    klaster: str
    query: str
    numerator: str
    denominator: str
    denominator_id: str
    denominator_en: str
    scale: float
    unit: str
    direction: str
    classes: tuple[float, ...]
    class_labels_id: tuple[str, ...]
    class_labels_en: tuple[str, ...]
    official: bool
    period_kind: str
    target: float | None = None
    target_indicator: str | None = None
    filter_layanan: str | None = None
    legend_source: str | None = None
    data_column: str | None = None  # the kab has no data for this indicator when this column sums to 0
    headline: bool = False  # a headline card on Ringkasan and in the briefing, and offered as its map
    ambang_kuning: float = 20.0  # status: within this many units short of the target = kuning ("dekat target")
    map: bool = True        # offered as a map layer on Peta Cakupan
    values_from: str | None = None  # "stunting_rutin": values per kecamatan come from ilp.stunting.routine
                                    # (e-PPGBM, else the recap), not straight from `query`

    def name(self, lang: str = "id") -> str:
        return self.nama_id if lang == "id" else self.nama_en

    def denominator_text(self, lang: str = "id") -> str:
        return self.denominator_id if lang == "id" else self.denominator_en

    def labels(self, lang: str = "id") -> tuple[str, ...]:
        return self.class_labels_id if lang == "id" else self.class_labels_en


PER_LAYANAN_SPM = "_per_layanan_spm"  # a template table: one indicator per SPM service of the reference list


def _indicator(key: str, v: dict) -> Indicator:
    v = dict(v)
    for k in ("classes", "class_labels_id", "class_labels_en"):
        v[k] = tuple(v[k])
    return Indicator(id=key, **v)


@lru_cache(maxsize=1)
def registry() -> dict[str, Indicator]:
    """Every indicator, in file order; the `_per_layanan_spm` template becomes one indicator per row of the
    SPM reference list (data/reference/layanan_spm.csv), its strings filled from that row."""
    with open(REGISTRY_FILE, "rb") as f:
        raw = tomllib.load(f)
    out = {}
    for key, v in raw.items():
        if key == PER_LAYANAN_SPM:
            from ilp import reference
            for r in reference.layanan_spm().sort("no").iter_rows(named=True):
                filled = {k: (x.format(**r) if isinstance(x, str) else x) for k, x in v.items()}
                out[r["layanan"]] = _indicator(r["layanan"], filled)
            continue
        out[key] = _indicator(key, v)
    return out


def get(ind_id: str) -> Indicator:
    return registry()[ind_id]


def map_choices() -> list[str]:
    """Indicator ids offered as map layers (registry flag `map`, default true), in registry order."""
    return [k for k, v in registry().items() if v.map]


def headline_ids() -> list[str]:
    """Indicator ids shown on Ringkasan and in the briefing (registry flag `headline`), in registry order."""
    return [k for k, v in registry().items() if v.headline]


def values(run, ind: Indicator, routine=None, **available) -> pl.DataFrame:
    """Values per kecamatan of one indicator: kode, nama, pembilang, penyebut, nilai. `run` is any callable
    (query_key, **params) -> DataFrame; `available` holds every parameter a query may need (kab, periode,
    tahun, bulan, sumber_sasaran); an indicator declared `values_from = "stunting_rutin"` reads the
    district's routine stunting source (pass `routine` to reuse one already built) at `periode` (default:
    its latest complete round)."""
    from ilp import db
    if ind.values_from == "stunting_rutin":
        from ilp import stunting
        r = routine if routine is not None else stunting.routine(run, available["kab"],
                                                                  available.get("sumber_sasaran", "PUSDATIN"))
        per = available.get("periode")
        return compute(ind, r.kecamatan_at(per if per in r.kecamatan["periode"].to_list() else None))
    df = run(ind.query, **{p: available[p] for p in db.query(ind.query).params})
    if "periode" in df.columns and available.get("periode"):
        df = df.filter(pl.col("periode") == available["periode"])
    return compute(ind, df)


def compute(ind: Indicator, frame: pl.DataFrame) -> pl.DataFrame:
    """frame: rows of ind.query (already restricted to one period). Returns kode, nama, numerator,
    denominator, nilai (not clipped; null where the denominator is 0 or missing)."""
    f = frame
    if ind.filter_layanan and "layanan" in f.columns:
        f = f.filter(pl.col("layanan") == ind.filter_layanan)
    no_data = bool(ind.data_column and ind.data_column in f.columns and not (f[ind.data_column].sum() or 0))
    out = f.select(
        "kode", "nama",
        pl.col(ind.numerator).cast(pl.Float64).alias("pembilang"),
        pl.col(ind.denominator).cast(pl.Float64).alias("penyebut"),
    ).with_columns(
        nilai=pl.when(pl.col("penyebut") > 0).then(pl.col("pembilang") / pl.col("penyebut") * ind.scale)
    )
    # e.g. a facility list without any Pustu says nothing about Pustu coverage: no data, not 0%
    return out.with_columns(nilai=pl.lit(None, dtype=pl.Float64)) if no_data else out


def classify(ind: Indicator, values: pl.Series) -> pl.Series:
    """Class index (0..k-1) per value on half-open breaks [b_i, b_{i+1}); -1 = no data."""
    b = ind.classes
    def one(v):
        if v is None:
            return -1
        idx = 0
        for i, lo in enumerate(b):
            if v >= lo:
                idx = i
        return idx
    return pl.Series(values.name, [one(v) for v in values.to_list()], dtype=pl.Int32)


def gap_to_target(ind: Indicator, value: float | None, target: float | None) -> float | None:
    """Positive = still to go (in the indicator's unit), taking the direction into account."""
    if value is None or target is None:
        return None
    return (target - value) if ind.direction == "naik" else (value - target)
