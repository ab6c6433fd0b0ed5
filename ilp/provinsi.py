"""A province office: several kab/kota of one province in one database (issue 14). Pure: never imports streamlit.

Per kab/kota the routine stunting figure is the district's own (ilp.stunting.routine: e-PPGBM when it has a
complete round, else the recap; only complete rounds, ilp.rounds), so the province page and the district pages
can never disagree. The latest survey figure (SSGI/SKI) stands beside it in its own columns, never mixed in.

- `kabkota(run, prov)`: one row per kab/kota: routine figure of its latest complete round (n, 95% interval,
  source label), the newest provisional round, the latest survey point, and `peringkat` (ilp.ranking: ties share
  a rank, highest prevalence first). Only kab/kota whose latest complete round is the province's ranking round
  (the newest complete round of any kab/kota) are ranked: a ranking compares one round.
- `series(routines, kodes)`: the province's routine series: per round, the sum of the kab/kota complete in that
  round; 'lengkap' only when every kab/kota of the province is complete in it.
- `map_values` (kab/kota layer) and `kecamatan_values` (drilling into one kab/kota) feed ilp.charts.
- `kabkota_geo`: the kab/kota layer dissolved from the province's kecamatan (ilp.geo).
`run` is any callable (query_key, **params) -> polars.DataFrame.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable

import polars as pl

from ilp import indicators, prevalence, ranking as ranking_mod, stunting
from ilp.i18n import fmt_periode, t

Run = Callable[..., pl.DataFrame]
INDICATOR = "stunting_prevalensi"


def province_of(kodes: list[str]) -> str | None:
    """The province whose kab/kota the database holds (code 'PP' of 'PP.KK'), when it holds at least two of one
    province (the province view is then meaningful); the province with the most kab/kota wins."""
    c = Counter(str(k)[:2] for k in kodes if k and "." in str(k))
    if not c:
        return None
    prov, n = c.most_common(1)[0]
    return prov if n >= 2 else None


def province_name(run: Run, prov: str, meta: dict | None = None, lang: str = "id") -> str:
    """The province's name: the code list's row, else the database setting nama_prov, else 'Provinsi PP'."""
    info = run("provinsi/info", prov=prov)
    if info.height and info["nama"][0]:
        return info["nama"][0]
    if meta and meta.get("kode_prov") == prov and meta.get("nama_prov"):
        return meta["nama_prov"]
    return t("provinsi.nama_bawaan", lang, kode=prov)


_SCHEMA = {"kode": pl.String, "nama": pl.String, "jenis": pl.String, "sumber": pl.String, "periode": pl.String,
           "diukur": pl.Int64, "stunting": pl.Int64, "prevalensi_pct": pl.Float64, "ci_bawah": pl.Float64,
           "ci_atas": pl.Float64, "stabil": pl.Boolean, "status": pl.String, "periode_sementara": pl.String,
           "survei": pl.String, "survei_tahun": pl.Int64, "survei_pct": pl.Float64}


# The per-district questions the province view asks of every kab/kota, and their province-wide form (queries/provinsi/
# semua_*.sql: the same rows with kode_kab beside them). With 27 kab/kota one question each instead of 27 each. Both
# forms read one rule, a staging view or table macro over every kab/kota (queries/staging/stg_{prevalensi_kab,
# prevalensi_kecamatan,ronde,rekap_kab,rekap_kecamatan,survei}.sql), and only filter it (by kab/kota or province).
SEMUA = {"stunting/prevalensi_kab": "provinsi/semua_prevalensi_kab", "stunting/ronde": "provinsi/semua_ronde",
         "stunting/prevalensi_kecamatan": "provinsi/semua_prevalensi_kecamatan",
         "stunting/rekap_kab": "provinsi/semua_rekap_kab", "stunting/rekap_kecamatan": "provinsi/semua_rekap_kecamatan",
         "stunting/survei": "provinsi/semua_survei"}


def batched(run: Run, prov: str) -> Run:
    """`run` for a province view: a per-district question of SEMUA is answered from its province-wide form (asked
    once; `run` caches it) filtered to the kab/kota; any other question goes to `run` unchanged. The district rules
    (ilp.stunting.routine, survey_latest) then run on the same rows as on the district pages."""
    def r(key: str, **params) -> pl.DataFrame:
        whole = SEMUA.get(key)
        if whole is None or "kab" not in params:
            return run(key, **params)
        kab = params.pop("kab")
        return run(whole, prov=prov, **params).filter(pl.col("kode_kab") == kab).drop("kode_kab")
    return r


def routines(run: Run, kodes: list[str], sumber: str = "PUSDATIN") -> dict[str, stunting.Routine]:
    """The routine source of each kab/kota (the same rule as the district pages)."""
    return {k: stunting.routine(run, k, sumber) for k in kodes}


def kabkota(run: Run, prov: str, sumber: str = "PUSDATIN", lang: str = "id",
            rts: dict[str, stunting.Routine] | None = None) -> tuple[pl.DataFrame, dict[str, stunting.Routine]]:
    """(table, routines): one row per kab/kota of the province, ranked; `status`: 'lengkap' (a complete round
    is shown), 'sementara' (only provisional rounds: no figure, not ranked) or 'tanpa_data'."""
    kab = run("provinsi/kabkota", prov=prov)
    kodes = kab["kode"].to_list()
    run = batched(run, prov)
    rts = rts if rts is not None else routines(run, kodes, sumber)
    rows = []
    for k, nama, jenis in zip(kodes, kab["nama"].to_list(), kab["jenis"].to_list()):
        r = rts[k]
        head = r.row() if r.source is not None else None
        prov_rows = r.provisional if r.source is not None else r.series
        _, sv = stunting.survey_latest(run, k)
        rows.append({
            "kode": k, "nama": nama, "jenis": jenis,
            "sumber": r.label(lang) if r.source is not None else None,
            "periode": head["periode"] if head else None,
            "diukur": head["diukur"] if head else None, "stunting": head["stunting"] if head else None,
            "prevalensi_pct": head["prevalensi_pct"] if head else None,
            "ci_bawah": head["ci_bawah"] if head else None, "ci_atas": head["ci_atas"] if head else None,
            "stabil": head["stabil"] if head else None,
            "status": stunting.LENGKAP if head else (stunting.SEMENTARA if r.source is not None else "tanpa_data"),
            "periode_sementara": max(prov_rows["periode"].to_list()) if prov_rows.height else None,
            "survei": sv["survei"] if sv else None, "survei_tahun": sv["tahun"] if sv else None,
            "survei_pct": sv["prevalensi"] if sv else None,
        })
    df = pl.DataFrame(rows, schema=_SCHEMA, orient="row")
    return rank(df), rts


def ranking_period(df: pl.DataFrame) -> str | None:
    """The round the ranking compares: the newest complete round of any kab/kota."""
    p = df.filter(pl.col("status") == stunting.LENGKAP)["periode"]
    return p.max() if p.len() else None


def rank(df: pl.DataFrame) -> pl.DataFrame:
    """`peringkat` (1 = highest prevalence, ties as shown with one decimal share a rank) among the kab/kota whose
    latest complete round is the ranking round; the others keep a null rank and sort last."""
    per = ranking_period(df)
    score = pl.when(pl.col("periode") == per).then(pl.col("prevalensi_pct")).alias("__skor") if per else \
        pl.lit(None, dtype=pl.Float64).alias("__skor")
    out = ranking_mod.rank_with_ties(df.with_columns(score), "__skor", descending=True, decimals=1).drop("__skor")
    return out.select("peringkat", *df.columns)


def keterangan(df: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """Adds `keterangan` in words: why a kab/kota has no figure or no rank, or that its figure is unstable."""
    per = ranking_period(df)
    out = []
    for r in df.iter_rows(named=True):
        if r["status"] == "tanpa_data":
            s = t("provinsi.ket_tanpa_data", lang)
        elif r["status"] == stunting.SEMENTARA:
            s = t("provinsi.ket_sementara", lang, periode=fmt_periode(r["periode_sementara"], lang))
        elif r["periode"] != per:
            s = t("provinsi.ket_ronde_lama", lang, periode=fmt_periode(r["periode"], lang),
                  ronde=fmt_periode(per, lang))
        elif r["stabil"] is False:
            s = t("metode.kecil.tidak_stabil", lang, n=prevalence.MIN_STABIL)
        else:
            s = ""
        out.append(s)
    return df.with_columns(keterangan=pl.Series(out, dtype=pl.String))


# columns shown in the province table and its downloads, with their locale labels
TABLE_LABELS = {"peringkat": "provinsi.kol_peringkat", "nama": "provinsi.kol_kabkota", "periode": ("provinsi.kol_ronde", "period"),
                "diukur": ("provinsi.kol_diukur", "int"), "stunting": ("provinsi.kol_stunting", "int"),
                "prevalensi_pct": ("provinsi.kol_prevalensi", "pct"), "ci_bawah": ("provinsi.kol_ci_bawah", "pct"),
                "ci_atas": ("provinsi.kol_ci_atas", "pct"), "sumber": "provinsi.kol_sumber",
                "survei": "provinsi.kol_survei", "survei_tahun": ("provinsi.kol_survei_tahun", "year"),
                "survei_pct": ("provinsi.kol_survei_pct", "pct"), "keterangan": "provinsi.kol_keterangan"}


def table(df: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """The ranking table as read: ranked kab/kota first, the reason beside every gap."""
    k = keterangan(df, lang)
    return k.select([c for c in TABLE_LABELS if c in k.columns])


def series(rts: dict[str, stunting.Routine], kodes: list[str] | None = None) -> pl.DataFrame:
    """The province's routine series: per round, the children measured and stunted summed over the kab/kota
    complete in that round (each kab/kota's own source), prevalence with 95% interval; n_kab_lengkap of n_kab,
    and status 'lengkap' only when every kab/kota is complete in that round (else 'sementara': the province
    figure would change with who reported)."""
    kodes = list(rts) if kodes is None else kodes
    parts = []
    for k in kodes:
        r = rts.get(k)
        if r is None or r.source is None or r.series.height == 0:
            continue
        parts.append(r.trend_series.select("periode", pl.col("diukur").cast(pl.Int64),
                                           pl.col("stunting").cast(pl.Int64)).with_columns(kode=pl.lit(k)))
    schema = {"periode": pl.String, "diukur": pl.Int64, "stunting": pl.Int64, "n_kab_lengkap": pl.UInt32,
              "n_kab": pl.Int64}
    if not parts:
        return prevalence.add_prevalence(pl.DataFrame(schema=schema), sasaran=None).with_columns(
            status=pl.lit(None, dtype=pl.String))
    agg = (pl.concat(parts).group_by("periode")
             .agg(pl.col("diukur").sum(), pl.col("stunting").sum(), n_kab_lengkap=pl.len())
             .with_columns(n_kab=pl.lit(len(kodes), dtype=pl.Int64)).sort("periode"))
    out = prevalence.add_prevalence(agg, sasaran=None)
    return out.with_columns(status=pl.when(pl.col("n_kab_lengkap") == pl.col("n_kab"))
                            .then(pl.lit(stunting.LENGKAP)).otherwise(pl.lit(stunting.SEMENTARA)))


def map_values(df: pl.DataFrame) -> pl.DataFrame:
    """Map input of the kab/kota layer (ilp.charts.map_classes): each kab/kota's latest complete round;
    a kab/kota without one is 'no data', never 0%."""
    return df.select("kode", "nama", pl.col("stunting").cast(pl.Float64).alias("pembilang"),
                     pl.col("diukur").cast(pl.Float64).alias("penyebut"), nilai=pl.col("prevalensi_pct"))


def kecamatan_values(r: stunting.Routine, periode: str | None = None) -> pl.DataFrame:
    """Map input of one kab/kota's kecamatan at `periode` (default its latest complete round)."""
    return indicators.compute(indicators.get(INDICATOR), r.kecamatan_at(periode))


def kabkota_geo(kec: pl.DataFrame, names: dict[str, str] | None = None) -> pl.DataFrame:
    """The kab/kota layer (kode, nama, geojson, lat/lon of a label point inside it) from the province's kecamatan polygons (rows of
    provinsi/batas_kecamatan): dissolved per kab/kota and simplified under the province budget. The dissolve
    takes seconds, so its result is kept per distinct input (a rerun with the same polygons reuses it)."""
    empty = pl.DataFrame(schema={"kode": pl.String, "nama": pl.String, "geojson": pl.String, "lat": pl.Float64,
                                 "lon": pl.Float64})
    if kec.height == 0:
        return empty
    kodes, geoms, lat, lon = _dissolved(tuple(kec["kode"].to_list()), tuple(kec["geojson"].to_list()))
    names = names or dict(zip(kec["kode_kab"].to_list(), kec["kabkota"].to_list()))
    return pl.DataFrame({"kode": list(kodes), "nama": [names.get(k, k) for k in kodes], "geojson": list(geoms),
                         "lat": list(lat), "lon": list(lon)}, schema=empty.schema)


@lru_cache(maxsize=4)
def _dissolved(kodes: tuple[str, ...], geojson: tuple[str, ...]) -> tuple[tuple, tuple, tuple, tuple]:
    """With shapely only (ilp.geo.coverage): the province page's first load does not import geopandas/pandas."""
    import shapely

    from ilp.geo.coverage import dissolve_by_kabkota, map_geojson, simplify_coverage_for_map
    kab, geoms = dissolve_by_kabkota(list(kodes), list(shapely.from_geojson(list(geojson))))
    geoms, _ = simplify_coverage_for_map(geoms, kab, "kabkota", scope="provinsi")
    pts = shapely.point_on_surface(geoms)
    return (tuple(kab), tuple(map_geojson(g) for g in geoms),
            tuple(float(v) for v in shapely.get_y(pts)), tuple(float(v) for v in shapely.get_x(pts)))


def source_text(df: pl.DataFrame, lang: str = "id") -> str:
    """Source, round and denominator of the province table and map, in one line."""
    per = ranking_period(df)
    ranked = df.filter(pl.col("peringkat").is_not_null())
    labels = sorted({s for s in df["sumber"].to_list() if s})
    return t("provinsi.sumber", lang, sumber="; ".join(labels) or "–", ronde=fmt_periode(per, lang) if per else "–",
             n_kab=ranked.height, total=df.height)


def complete(ser: pl.DataFrame) -> pl.DataFrame:
    """The province series over its complete rounds only (the trend line and the headline)."""
    return ser.filter(pl.col("status") == stunting.LENGKAP) if ser.height else ser


SERIES_LABELS = {"periode": ("provinsi.kol_ronde", "period"), "kabkota_lengkap": "provinsi.kol_kab_lengkap",
                 "diukur": ("provinsi.kol_diukur", "int"), "stunting": ("provinsi.kol_stunting", "int"),
                 "prevalensi_pct": ("provinsi.kol_prevalensi", "pct"), "ci_bawah": ("provinsi.kol_ci_bawah", "pct"),
                 "ci_atas": ("provinsi.kol_ci_atas", "pct"), "status": "provinsi.kol_status"}


def series_table(ser: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """The province series as read: 'k dari n' kab/kota complete, status in words, newest round first."""
    words = {stunting.LENGKAP: t("provinsi.status_lengkap", lang), stunting.SEMENTARA: t("provinsi.status_sementara", lang)}
    kn = [t("provinsi.k_dari_n", lang, k=k, n=n) for k, n in zip(ser["n_kab_lengkap"].to_list(), ser["n_kab"].to_list())]
    d = ser.with_columns(
        kabkota_lengkap=pl.Series(kn, dtype=pl.String),
        status=pl.col("status").replace_strict(words, default=None, return_dtype=pl.String))
    return d.sort("periode", descending=True).select(list(SERIES_LABELS))


def ranked(df: pl.DataFrame) -> pl.DataFrame:
    """The ranked kab/kota only (rank order)."""
    return df.filter(pl.col("peringkat").is_not_null()).sort("peringkat", maintain_order=True)


def highest(df: pl.DataFrame) -> pl.DataFrame:
    """The kab/kota at rank 1 (several when tied)."""
    return df.filter(pl.col("peringkat") == 1)


def map_height(geo: pl.DataFrame, width_px: int = 900, lo: int = 280, hi: int = 560, legend_px: int = 80) -> int:
    """A map height that fits the layer's shape (a row of kab/kota is wide and low; a tall province is tall):
    the layer's latitude/longitude extent ratio at `width_px` across, plus the legend, within [lo, hi]."""
    import shapely
    if geo.height == 0:
        return lo
    b = shapely.bounds(shapely.from_geojson(geo["geojson"].to_list()))
    dx = float(b[:, 2].max() - b[:, 0].min())
    dy = float(b[:, 3].max() - b[:, 1].min())
    if dx <= 0:
        return hi
    return int(min(hi, max(lo, width_px * dy / dx + legend_px)))
