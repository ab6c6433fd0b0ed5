"""SPM achievement rules (pure Polars): the year-to-date path, status against it, per-service totals that leave
out Puskesmas without a sasaran (and count them), and the 12-service mean with each service capped at 100%
inside the mean. Per-service values are never clipped; no inf or NaN leaves this module."""
from __future__ import annotations

import math

import polars as pl

AMBANG_KUNING = 80.0   # % of the year-to-date path: at or above -> mendekati (kuning), below -> di_bawah (merah)
BATAS_RATA2 = 100.0    # each service counts at most this much inside the 12-service mean

STATUS_SPM = ("tercapai", "mendekati", "di_bawah", "tidak_ada_sasaran")
STATUS_LAMPU = {"tercapai": "hijau", "mendekati": "kuning", "di_bawah": "merah", "tidak_ada_sasaran": "abu"}


def ytd_target(bulan: int) -> float:
    """The even path to 100% by December: bulan/12 x 100 (Maret -> 25%, Desember -> 100%)."""
    if isinstance(bulan, bool) or not float(bulan).is_integer() or not 1 <= bulan <= 12:
        raise ValueError(f"bulan must be a whole month 1..12, not {bulan!r}")
    return int(bulan) / 12 * 100.0


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and not math.isfinite(v))


def status_ytd(value: float | None, bulan: int) -> str:
    """Status of a year-to-date achievement (%) against the path bulan/12 x 100 (against 100% in December):
    tercapai (>= the path), mendekati (>= AMBANG_KUNING % of the path), di_bawah, or tidak_ada_sasaran when
    there is no figure (no denominator)."""
    path = ytd_target(bulan)
    if _missing(value):
        return "tidak_ada_sasaran"
    if value >= path:
        return "tercapai"
    if value >= AMBANG_KUNING / 100 * path:
        return "mendekati"
    return "di_bawah"


def _finite(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64).is_finite()


def service_totals(df: pl.DataFrame, layanan: str = "layanan", pembilang: str = "pembilang",
                   sasaran: str = "sasaran", keep: tuple[str, ...] = ("no", "nama_id", "nama_en")) -> pl.DataFrame:
    """One row per service from rows per unit (Puskesmas) x service. Only units WITH a sasaran (> 0) count: their
    numerators and denominators are summed; units without one are left out of both and counted
    (`unit_tanpa_sasaran`, their numerator in `pembilang_tanpa_sasaran`). `capaian_pct` = 100 x numerator /
    denominator, not clipped, null (never inf/NaN) when no unit has a sasaran (`ada_sasaran` False)."""
    # a sasaran counts when it is a finite number above 0 (null, 0, NaN and inf do not)
    has = (_finite(sasaran) & (pl.col(sasaran) > 0)).fill_null(False)
    num = pl.when(_finite(pembilang).fill_null(False)).then(pl.col(pembilang)).otherwise(0)
    extra = [pl.col(c).first() for c in keep if c in df.columns and c != layanan]
    out = df.group_by(layanan, maintain_order=True).agg(
        *extra,
        pembilang=num.filter(has).sum(),
        sasaran=pl.col(sasaran).filter(has).sum(),
        unit_dengan_sasaran=has.sum().cast(pl.Int64),
        unit_tanpa_sasaran=(~has).sum().cast(pl.Int64),
        pembilang_tanpa_sasaran=num.filter(~has).sum(),
    )
    return out.with_columns(
        ada_sasaran=pl.col("unit_dengan_sasaran") > 0,
        capaian_pct=pl.when(pl.col("unit_dengan_sasaran") > 0)
                      .then(100.0 * pl.col("pembilang") / pl.col("sasaran")),
    ).with_columns(sasaran=pl.when(pl.col("ada_sasaran")).then(pl.col("sasaran")))


def add_status_ytd(df: pl.DataFrame, bulan: int, col: str = "capaian_pct") -> pl.DataFrame:
    """Adds target_ytd_pct (the path) and status (status_ytd) to each row."""
    path = ytd_target(bulan)
    kuning = AMBANG_KUNING / 100 * path
    v = pl.col(col)
    return df.with_columns(
        target_ytd_pct=pl.lit(path),
        status=pl.when(~_finite(col).fill_null(False)).then(pl.lit("tidak_ada_sasaran"))
                 .when(v >= path).then(pl.lit("tercapai"))
                 .when(v >= kuning).then(pl.lit("mendekati"))
                 .otherwise(pl.lit("di_bawah")),
    )


def mean_capped(per_service: pl.DataFrame, col: str = "capaian_pct", cap: float = BATAS_RATA2) -> dict:
    """The plain mean over services that have a figure, each service counted as min(value, 100) inside the mean
    (label it so: locale key `metode.spm.rata2_dibatasi`); per-service values stay unclipped. Services without a
    figure (no sasaran) are left out and counted. `rata2_pct` is None when no service has a figure."""
    vals = [v for v in per_service[col].to_list()]
    ok = [min(float(v), cap) for v in vals if not _missing(v)]
    return {"rata2_pct": sum(ok) / len(ok) if ok else None, "n_layanan": len(ok),
            "n_tanpa_sasaran": len(vals) - len(ok), "batas": cap, "label": "metode.spm.rata2_dibatasi"}
