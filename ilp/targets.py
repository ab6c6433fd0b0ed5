"""The stunting target path: official points, interpolation (labelled), trend projection."""
from __future__ import annotations

import datetime as dt
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
    line reaches `goal` at the current pace (None if the trend is flat or rising, or data too short).
    Legacy: new code should read `["aarr"]` (the aarr_trend result), which is the method the dashboard documents."""
    s = series.drop_nulls(y)
    # the WHO/UNICEF reading of the same series (docs/metode.md); the straight-line keys below are kept for
    # callers that still draw the old line
    aarr = aarr_trend(series, x=x, y=y, target=goal, target_year=until)
    if s.height < MIN_ROUNDS_TREND:
        return {"slope_per_year": None, "proj_value": None, "year_goal": None, "n_points": s.height, "aarr": aarr}
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
            "year_goal": year_goal, "n_points": s.height, "last_value": last, "last_x": s[x][-1], "aarr": aarr}


def projection_line(tr: dict, start: str, until: int = 2029) -> pl.DataFrame:
    """Points of the projected trend from `start` ('YYYY-MM') to the end of `until` (for a dashed line)."""
    if tr.get("slope_per_year") is None:
        return pl.DataFrame({"x": [], "nilai": []}, schema={"x": pl.Float64, "nilai": pl.Float64})
    x0 = periode_to_year(start)
    xs = [x0, until + 0.99]
    # a prevalence cannot go below 0%
    return pl.DataFrame({"x": xs, "nilai": [max(0.0, tr["slope_per_year"] * v + tr["intercept"]) for v in xs]})


# ---------------------------------------------------------------------------------------------------------
# Trend as WHO and UNICEF track targets: average annual rate of reduction (AARR) from a weighted
# log-linear fit, the AARR required to reach the target, a status in words, and the year the target is
# reached only when that is a defensible statement. Every rule is a named constant; docs/metode.md explains.

AARR_NOL = 0.5               # |AARR| below this (% per year) counts as "about zero": no progress
FRAKSI_PUTARAN_LENGKAP = 0.5  # a round is complete when its n measured is at least this share of the median n
HORIZON_TAHUN_CAPAI = 20     # a reach year further than this many years after the last round is not printed
POSISI_DALAM_TAHUN = 0.5     # a year's target (and a survey year's figure) sits at mid-year on the time axis
ALPHA = 0.05                 # 95% intervals

# the four WHO/UNICEF-style words plus "too little data"; the traffic light each maps to (colour keys
# used by the summary: hijau / kuning / merah / abu)
STATUS_AARR = ("sesuai_jalur", "ada_kemajuan", "tidak_ada_kemajuan", "memburuk", "data_kurang")
STATUS_LAMPU = {"sesuai_jalur": "hijau", "ada_kemajuan": "kuning", "tidak_ada_kemajuan": "merah",
                "memburuk": "merah", "data_kurang": "abu",
                "tercapai": "hijau", "belum_tercapai": "merah"}

# two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (standard tables)
_T975 = (12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
         2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423)
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """Student's t 0.975 quantile (the multiplier of a 95% interval) for `df` degrees of freedom:
    the table for 1..30, the Cornish-Fisher expansion beyond (error < 1e-4)."""
    if df < 1:
        raise ValueError("df must be >= 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z, v = _Z975, float(df)
    return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3))


def _time_axis(values: list) -> list[float]:
    """'YYYY-MM' -> mid-month as a fraction of the year; an integer year -> mid-year; a date -> mid-day;
    a float as it is."""
    out = []
    for v in values:
        if isinstance(v, dt.date):
            start = dt.date(v.year, 1, 1)
            days = (dt.date(v.year + 1, 1, 1) - start).days
            out.append(v.year + ((v - start).days + 0.5) / days)
        elif isinstance(v, str):
            out.append(periode_to_year(v))
        elif isinstance(v, int):
            out.append(v + POSISI_DALAM_TAHUN)
        else:
            out.append(float(v))
    return out


def required_aarr(current: float, target: float, years_left: float) -> float | None:
    """AARR (% per year) needed to go from `current` to `target` in `years_left` years:
    (1 - (target/current)^(1/years_left)) x 100. Negative when the current value is already below the target.
    None when no time is left or a value is not positive."""
    if years_left is None or years_left <= 0 or not current or current <= 0 or target <= 0:
        return None
    return (1.0 - (target / current) ** (1.0 / years_left)) * 100.0


def aarr_trend(series: pl.DataFrame, x: str = "periode", y: str = "prevalensi_pct", n: str | None = "diukur",
               target: float = RPJMN_2029, target_year: int = 2029, bobot: str = "n",
               min_rounds: int = MIN_ROUNDS_TREND,
               fraksi_lengkap: float = FRAKSI_PUTARAN_LENGKAP) -> dict:
    """AARR of a prevalence series (in %) the way WHO and UNICEF track nutrition targets.

    Fit ln(p_t) = a + b.t by weighted least squares over the complete rounds (a round whose n measured is at
    least `fraksi_lengkap` x the median n; rounds with p <= 0 or p >= 100 cannot be logged and are left out too).
    Weights: `bobot="n"` the number measured; `"invers_varians"` n.p/(1-p), the inverse variance of ln p;
    `"sama"` equal (also used when the series has no `n` column). AARR = (1 - e^b) x 100 (% per year, positive =
    falling). 95% interval from the slope's standard error (residual-based; with inverse-variance weights never
    narrower than the sampling error alone) and a t quantile with (rounds - 2) degrees of freedom.

    The required AARR runs from the last complete round's observed value to `target` at mid-`target_year`.
    Status (in this order, see docs/metode.md):
      data_kurang         fewer than `min_rounds` complete rounds;
      memburuk            the interval lies wholly below 0 and AARR <= -AARR_NOL (prevalence rising, significantly);
      sesuai_jalur        the last value is already at or below the target and AARR > -AARR_NOL;
      tidak_ada_kemajuan  the interval includes 0, or |AARR| < AARR_NOL;
      sesuai_jalur        AARR >= required AARR (or no time left and the value is at or below the target);
      ada_kemajuan        significant decline, slower than required.
    The year the target is reached (`tahun_capai`) is given only for a significant decline from above the target,
    and only within HORIZON_TAHUN_CAPAI years; otherwise `alasan_tahun` names why not (a locale key suffix).
    Projections never leave [0, 100].
    """
    empty_reason = None
    cols = [c for c in (x, y, n) if c and c in series.columns]
    s = series.select(cols).sort(x, nulls_last=True)
    excluded: list[tuple[str, str]] = []
    rows = s.to_dicts()
    use_n = n is not None and n in s.columns and bobot != "sama"
    good = []
    for r in rows:
        p = r[y]
        if p is None or (isinstance(p, float) and not math.isfinite(p)):
            excluded.append((str(r[x]), "kosong"))
        elif p <= 0 or p >= 100:
            excluded.append((str(r[x]), "tak_bisa_log"))
        elif use_n and (r[n] is None or r[n] <= 0):
            excluded.append((str(r[x]), "kosong"))
        else:
            good.append(r)
    if use_n and good and fraksi_lengkap > 0:
        med = float(np.median([r[n] for r in good]))
        kept = []
        for r in good:
            if r[n] < fraksi_lengkap * med:
                excluded.append((str(r[x]), "tidak_lengkap"))
            else:
                kept.append(r)
        good = kept
    out: dict = {"n_rounds": len(good), "excluded": excluded, "bobot": bobot if use_n else "sama",
                 "target": float(target), "target_year": int(target_year), "aarr_pct": None,
                 "aarr_ci_bawah": None, "aarr_ci_atas": None, "signifikan": False, "aarr_perlu_pct": None,
                 "pp_per_tahun": None, "pp_perlu_per_tahun": None, "tahun_capai": None, "proj_value": None}
    if good:
        out.update(current=float(good[-1][y]), current_x=_time_axis([good[-1][x]])[0], current_periode=good[-1][x])
    if len(good) < min_rounds:
        out.update(status="data_kurang", alasan_tahun="data_kurang", min_rounds=min_rounds)
        return out

    t = np.array(_time_axis([r[x] for r in good]))
    p = np.array([float(r[y]) for r in good]) / 100.0
    ly = np.log(p)
    if not use_n:
        w = np.ones_like(t)
    elif bobot == "invers_varians":
        w = np.array([float(r[n]) for r in good]) * p / (1 - p)
    elif bobot == "n":
        w = np.array([float(r[n]) for r in good])
    else:
        raise ValueError(f"bobot must be 'n', 'invers_varians' or 'sama', not {bobot!r}")
    tw = float(np.sum(w * t) / np.sum(w))
    yw = float(np.sum(w * ly) / np.sum(w))
    sxx = float(np.sum(w * (t - tw) ** 2))
    if sxx <= 0:  # all rounds at one moment
        out.update(status="data_kurang", alasan_tahun="data_kurang", min_rounds=min_rounds)
        return out
    b = float(np.sum(w * (t - tw) * (ly - yw)) / sxx)
    a = yw - b * tw
    dof = len(good) - 2
    resid = ly - (a + b * t)
    s2 = float(np.sum(w * resid**2) / dof)
    if use_n and bobot == "invers_varians":
        s2 = max(s2, 1.0)  # weights are inverse variances: sampling error alone is the floor
    se = math.sqrt(s2 / sxx)
    tq = t_quantile_975(dof)
    aarr = (1 - math.exp(b)) * 100
    ci_lo, ci_hi = (1 - math.exp(b + tq * se)) * 100, (1 - math.exp(b - tq * se)) * 100
    signif = ci_lo > 0 or ci_hi < 0

    cur, cur_x = out["current"], out["current_x"]
    target_x = target_year + POSISI_DALAM_TAHUN
    years_left = target_x - cur_x
    perlu = required_aarr(cur, target, years_left)
    reached_now = cur <= target

    if ci_hi < 0 and aarr <= -AARR_NOL:
        status = "memburuk"
    elif reached_now and aarr > -AARR_NOL:
        status = "sesuai_jalur"
    elif not signif or abs(aarr) < AARR_NOL:
        status = "tidak_ada_kemajuan"
    elif perlu is None:
        status = "ada_kemajuan"  # the target year has passed and the value is still above the target
    elif aarr >= perlu:
        status = "sesuai_jalur"
    else:
        status = "ada_kemajuan"

    tahun_capai, alasan = None, None
    if reached_now:
        alasan = "sudah_di_bawah_target"
    elif status == "memburuk":
        alasan = "memburuk"
    elif status == "tidak_ada_kemajuan" or aarr <= 0:
        alasan = "tidak_signifikan"
    else:
        t_star = cur_x + math.log(target / cur) / b
        yr = int(math.floor(t_star))
        if yr - int(math.floor(cur_x)) > HORIZON_TAHUN_CAPAI:
            alasan = "terlalu_jauh"
        else:
            tahun_capai = yr

    out.update(
        status=status, alasan_tahun=alasan, tahun_capai=tahun_capai,
        aarr_pct=aarr, aarr_ci_bawah=ci_lo, aarr_ci_atas=ci_hi, signifikan=signif,
        slope_log=b, intercept_log=a, se_slope_log=se, t_quantile=tq, df=dof,
        aarr_perlu_pct=perlu, years_left=years_left,
        # the same paces in percentage points per year, at the current level (the first year's drop)
        pp_per_tahun=cur * aarr / 100, pp_perlu_per_tahun=(cur * perlu / 100) if perlu is not None else None,
        proj_value=project_aarr(out | {"slope_log": b}, target_x),
        min_rounds=min_rounds)
    return out


def project_aarr(tr: dict, at_x: float) -> float | None:
    """The prevalence (%) at time `at_x` continuing from the last complete round at the fitted rate, kept in [0, 100]."""
    if tr.get("slope_log") is None or tr.get("current") is None:
        return None
    v = tr["current"] * math.exp(tr["slope_log"] * (at_x - tr["current_x"]))
    return min(100.0, max(0.0, v))


def projection_line_aarr(tr: dict, until: int = 2029, steps: int = 12) -> pl.DataFrame:
    """Points of the AARR projection from the last complete round to mid-`until` (a dashed curve), with its
    95% band from the AARR interval; empty when there is no trend. Never below 0 nor above 100."""
    schema = {"x": pl.Float64, "nilai": pl.Float64, "bawah": pl.Float64, "atas": pl.Float64}
    if tr.get("slope_log") is None or tr.get("status") == "data_kurang":
        return pl.DataFrame(schema=schema)
    x0, x1 = tr["current_x"], until + POSISI_DALAM_TAHUN
    if x1 <= x0:
        return pl.DataFrame(schema=schema)
    xs = np.linspace(x0, x1, steps + 1)
    b, d = tr["slope_log"], tr["t_quantile"] * tr["se_slope_log"]
    clip = lambda v: min(100.0, max(0.0, float(v)))  # noqa: E731
    return pl.DataFrame({
        "x": xs.tolist(),
        "nilai": [clip(tr["current"] * math.exp(b * (v - x0))) for v in xs],
        "bawah": [clip(tr["current"] * math.exp((b - d) * (v - x0))) for v in xs],
        "atas": [clip(tr["current"] * math.exp((b + d) * (v - x0))) for v in xs],
    }, schema=schema)


def judge_routine(series: pl.DataFrame, district_target: float | None, x: str = "periode",
                  y: str = "prevalensi_pct", n: str | None = "diukur", national_target: float = RPJMN_2029,
                  target_year: int = 2029) -> dict:
    """How a ROUTINE (e-PPGBM) prevalence is judged. National targets are survey figures and are not applied
    to routine data directly. With a district routine target for the current year (`district_target`), the last
    complete round is compared with it (status tercapai / belum_tercapai, dasar "target_rutin_kabupaten").
    Without one, the series' own AARR is compared with the AARR required to reach the national target
    (aarr_trend status, dasar "laju_sendiri"). `kalimat` is the locale key of the sentence that says which."""
    tr = aarr_trend(series, x=x, y=y, n=n, target=national_target, target_year=target_year)
    cur = tr.get("current")
    if district_target is not None and cur is not None:
        status = "tercapai" if cur <= district_target else "belum_tercapai"
        dasar = "target_rutin_kabupaten"
    else:
        status = tr["status"]
        dasar = "laju_sendiri" if cur is not None else "data_kurang"
    return {"status": status, "dasar": dasar, "lampu": STATUS_LAMPU.get(status, "abu"),
            "kalimat": f"metode.dasar.{dasar}", "status_key": f"metode.status.{status}",
            "target": district_target if district_target is not None else national_target,
            "current": cur, "aarr": tr}


def target_points_at_year(path: pl.DataFrame, posisi: float = POSISI_DALAM_TAHUN) -> pl.DataFrame:
    """The target path with `x`: each year's target placed at mid-year (tahun + 0.5) on the same time axis
    as `periode_to_year`, so a target for 2029 is drawn where the 2029 survey figure sits (posisi=0 puts it on
    the year's tick)."""
    return path.with_columns(x=pl.col("tahun").cast(pl.Float64) + posisi)


def describe_aarr(tr: dict, lang: str = "id") -> list[str]:
    """The aarr_trend result as sentences in `lang` (status, pace as % per year and in percentage points, each
    labelled, the required pace, the reach year or why there is none, what the fit was made of)."""
    from ilp.i18n import fmt_num, t

    def f(v, d=1):
        return fmt_num(v, d, lang)

    out = [t("metode.kalimat_status", lang, status=t(f"metode.status.{tr['status']}", lang))]
    if tr.get("aarr_pct") is not None:
        out.append(t("metode.laju", lang, aarr=f(tr["aarr_pct"]), bawah=f(tr["aarr_ci_bawah"]),
                     atas=f(tr["aarr_ci_atas"]), pp=f(tr["pp_per_tahun"], 2)))
    perlu = tr.get("aarr_perlu_pct")
    if perlu is not None and perlu > 0:
        out.append(t("metode.laju_perlu", lang, target=f(tr["target"]), tahun=tr["target_year"],
                     aarr=f(perlu), pp=f(tr["pp_perlu_per_tahun"], 2)))
    if tr.get("tahun_capai") is not None:
        out.append(t("metode.tahun_capai", lang, target=f(tr["target"]), tahun=tr["tahun_capai"]))
    elif tr.get("alasan_tahun"):
        out.append(t(f"metode.alasan_tahun.{tr['alasan_tahun']}", lang, target=f(tr["target"]),
                     n=tr.get("min_rounds", MIN_ROUNDS_TREND), horizon=HORIZON_TAHUN_CAPAI))
    out.append(t("metode.dasar_fit", lang, n=tr["n_rounds"], bobot=t(f"metode.bobot.{tr['bobot']}", lang),
                 keluar=len(tr["excluded"])))
    return out
