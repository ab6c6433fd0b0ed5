"""The stunting target path: official points, interpolation (labelled), trend projection."""
from __future__ import annotations

import math

import numpy as np
import polars as pl

RPJMN_2029 = 14.2
MIN_ROUNDS_TREND = 3  # no trend or projection from fewer weighing rounds


def target_path(points: pl.DataFrame, years: range | list[int] | None = None) -> pl.DataFrame:
    """points: tingkat, tahun, nilai, dasar (official rows, from queries/stunting/target.sql).

    Returns one row per tingkat x tahun between each level's first and last official year with
    `interpolasi` = True for years filled linearly between official points (not official).
    Where a level has several official rows for one year, the last one loaded wins (rows are unique by key).
    """
    rows = []
    for (tingkat,), g in points.sort("tahun").group_by(["tingkat"], maintain_order=True):
        g = g.unique("tahun", keep="last").sort("tahun")
        yrs = g["tahun"].to_list()
        vals = g["nilai"].to_list()
        dasar = g["dasar"].to_list()
        span = range(min(yrs), max(yrs) + 1) if years is None else [y for y in years if min(yrs) <= y <= max(yrs)]
        for y in span:
            if y in yrs:
                i = yrs.index(y)
                rows.append((tingkat, y, float(vals[i]), dasar[i], False, dasar[i]))
            else:
                # interpolated years belong to the path of the next official point (its legal basis)
                nxt = next(i for i, yy in enumerate(yrs) if yy > y)
                v = float(np.interp(y, yrs, vals))
                rows.append((tingkat, y, round(v, 2), "interpolasi linear (bukan angka resmi)", True, dasar[nxt]))
    return pl.DataFrame(rows, schema={"tingkat": pl.String, "tahun": pl.Int64, "nilai": pl.Float64,
                                      "dasar": pl.String, "interpolasi": pl.Boolean, "segmen": pl.String},
                        orient="row")


def target_for_year(path: pl.DataFrame, year: int) -> dict | None:
    """District target for the year if it has one, else the national one."""
    for tingkat in ("kabkota", "nasional"):
        hit = path.filter((pl.col("tingkat") == tingkat) & (pl.col("tahun") == year))
        if hit.height:
            return hit.row(0, named=True)
    return None


def periode_to_year(periode: str) -> float:
    """'2025-02' -> 2025.083 (the middle of the month as a fraction of the year)."""
    y, m = int(periode[:4]), int(periode[5:7])
    return y + (m - 0.5) / 12


def trend(series: pl.DataFrame, x: str = "periode", y: str = "prevalensi_pct",
          goal: float = RPJMN_2029, until: int = 2029) -> dict:
    """Least-squares line over the rounds; the projected value at the end of `until` and the year the
    line reaches `goal` at the current pace (None if the trend is flat or rising, or data too short)."""
    s = series.drop_nulls(y)
    if s.height < MIN_ROUNDS_TREND:
        return {"slope_per_year": None, "proj_value": None, "year_goal": None, "n_points": s.height}
    xs = np.array([periode_to_year(p) for p in s[x].to_list()])
    ys = s[y].to_numpy().astype(float)
    slope, intercept = np.polyfit(xs, ys, 1)
    proj = max(0.0, float(slope * (until + 0.99) + intercept))
    last = float(ys[-1])
    if last <= goal:
        year_goal = int(math.floor(xs[-1]))
    elif slope < 0:
        year_goal = int(math.floor((goal - intercept) / slope))
    else:
        year_goal = None
    return {"slope_per_year": float(slope), "intercept": float(intercept), "proj_value": proj,
            "year_goal": year_goal, "n_points": s.height, "last_value": last, "last_x": s[x][-1]}


def projection_line(tr: dict, start: str, until: int = 2029) -> pl.DataFrame:
    """Points of the projected trend from `start` ('YYYY-MM') to the end of `until` (for a dashed line)."""
    if tr.get("slope_per_year") is None:
        return pl.DataFrame({"x": [], "nilai": []}, schema={"x": pl.Float64, "nilai": pl.Float64})
    x0 = periode_to_year(start)
    xs = [x0, until + 0.99]
    # a prevalence cannot go below 0%
    return pl.DataFrame({"x": xs, "nilai": [max(0.0, tr["slope_per_year"] * v + tr["intercept"]) for v in xs]})
