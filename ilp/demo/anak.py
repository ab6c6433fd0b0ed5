"""Stage anak: child measurements for every weighing round (z-scores by ilp.anthro) and the Puskesmas recaps."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import polars as pl

from ilp import anthro
from ilp.demo.konstanta import RONDE, SALT, SKALA_ANAK, SUMBER
from ilp.demo.tahap import Faskes, Wilayah


# ------------------------------------------------------------------------------------ children
def _lhfa_wfa() -> tuple[np.ndarray, ...]:
    """WHO length/height-for-age and weight-for-age LMS tables, shape (2, 1827) each (sex-1, day), from ilp.anthro."""
    t = anthro.tables()
    return t.lhfa_l, t.lhfa_m, t.lhfa_s, t.wfa_l, t.wfa_m, t.wfa_s


def _pengukuran(w: Wilayah, fk: Faskes, rng: np.random.Generator) -> pl.DataFrame:
    n_desa, n_kec = w.n_desa, w.n_kec
    desa_kec = w.desa_kec
    pop = w.pop2024.astype(float)
    LL, LM, LS, WL, WM, WS = _lhfa_wfa()

    # --- latent length-for-age by kecamatan and desa: baseline prevalence 8-29%, a few desa worse
    age_grid = np.arange(0, 60) + 0.5
    g_age = lambda a: -0.62 * np.minimum(a, 24) / 24 + 0.14 * np.clip((a - 24) / 36, 0, 1)  # noqa: E731
    sd_tot = math.sqrt(0.95 ** 2 + 0.2 ** 2 + 0.12 ** 2 + 0.15 ** 2)
    nd = NormalDist()
    # spread wide enough that a map with WHO's severity bands shows more than one class
    prev_k = rng.uniform(0.08, 0.29, n_kec)
    prev_k[w.town] = rng.uniform(0.085, 0.10)  # the town does better
    mu_k = np.empty(n_kec)
    for k in range(n_kec):
        lo, hi = -3.0, 1.0
        for _ in range(50):
            mid = (lo + hi) / 2
            p = np.mean([nd.cdf((-2 - mid - g) / sd_tot) for g in g_age(age_grid)])
            lo, hi = (mid, hi) if p > prev_k[k] else (lo, mid)
        mu_k[k] = (lo + hi) / 2
    slope_k = rng.uniform(0.025, 0.06, n_kec)  # z per year (~0.5-1.5 points of prevalence per year)
    u_d = rng.normal(0, 0.12, n_desa)
    hot = rng.choice(np.flatnonzero(~w.is_kel), size=int(rng.integers(4, 7)), replace=False)
    u_d[hot] -= rng.uniform(0.35, 0.6, len(hot))
    cov_d = rng.uniform(0.70, 0.92, n_desa)

    # --- children: every registered birth 2019-01-01 .. 2026-08-31 of each desa
    t0 = np.datetime64("2019-01-01")
    t1 = np.datetime64("2026-08-31")
    span = int((t1 - t0).astype(int)) + 1
    cbr = rng.normal(0.0158, 0.0015, n_desa) * rng.uniform(0.93, 0.99, n_desa)
    n_child = rng.poisson(pop * cbr * span / 365.25 * SKALA_ANAK)
    desa = np.repeat(np.arange(n_desa), n_child)
    n = len(desa)
    sex = np.where(rng.random(n) < 0.512, 1, 2).astype(np.int8)
    born = t0 + rng.integers(0, span, n).astype("timedelta64[D]")
    b_child = rng.normal(0, 0.95, n)
    prop = rng.normal(0, 0.10, n)
    b_waz = rng.normal(0, 0.75, n)
    # posyandu of each child: one of its desa's posyandu
    posy_desa = fk.posy_desa
    posy_kode = np.array(fk.posy_kode)
    order = np.argsort(posy_desa, kind="stable")
    posy_sorted_desa = posy_desa[order]
    first = np.searchsorted(posy_sorted_desa, np.arange(n_desa), side="left")
    count = np.searchsorted(posy_sorted_desa, np.arange(n_desa), side="right") - first
    pick = first[desa] + (rng.random(n) * count[desa]).astype(int)
    posy_of = order[pick]
    posy_day = np.array([fk.posy_day[k] for k in posy_kode])

    # fake NIK: 6-digit kecamatan code + DDMMYY (female DD+40) + serial within (kecamatan, date, sex)
    born_py = born.astype("datetime64[D]").astype(object)
    kec_digits = np.array([w.kec_kode[k].replace(".", "") for k in range(n_kec)])
    kid = pl.DataFrame({"kec": kec_digits[desa_kec[desa]], "born": born, "sex": sex})
    serial = kid.select((pl.int_range(pl.len()).over(["kec", "born", "sex"]) + 1).alias("s"))["s"].to_numpy()
    nik = [f"{kc}{(b.day + (40 if s == 2 else 0)):02d}{b.month:02d}{b.year % 100:02d}{q:04d}"
           for kc, b, s, q in zip(kec_digits[desa_kec[desa]].tolist(), born_py, sex.tolist(), serial.tolist())]
    id_anak = np.array([hashlib.sha256(f"{SALT}:{x}".encode()).hexdigest() for x in nik])

    # --- rounds
    parts = []
    for ri, (yy, mm) in enumerate(RONDE):
        first_day = np.datetime64(f"{yy}-{mm:02d}-01")
        day = posy_day[posy_of].copy()
        sweep = rng.random(n) < 0.08
        day = np.where(sweep, np.minimum(day + rng.integers(2, 9, n), 28), day)
        tgl = first_day + (day - 1).astype("timedelta64[D]")
        age = (tgl - born).astype(int)
        age_m = age / 30.4375
        p = cov_d[desa] + prop + (0.03 if mm == 8 else 0.0) + (0.02 if yy >= 2025 else 0.0) - 0.07 * (age_m >= 48)
        u = rng.random(n)
        e = rng.normal(0, 0.2, n)
        ew = rng.normal(0, 0.25, n)
        ok = (age >= 0) & (age_m < 60) & (u < np.clip(p, 0.05, 0.98))
        t_years = (yy + (mm - 0.5) / 12) - 2024.125
        k = desa_kec[desa]
        z = mu_k[k] + u_d[desa] + b_child + g_age(age_m) + slope_k[k] * t_years + e
        zw = 0.55 * z + b_waz + ew - 0.1
        parts.append(pl.DataFrame({
            "ci": np.flatnonzero(ok).astype(np.int32), "tgl": tgl[ok], "age": age[ok].astype(np.int32),
            "z": z[ok], "zw": zw[ok], "ronde": np.full(int(ok.sum()), ri, dtype=np.int8),
        }))
    m = pl.concat(parts)
    ci = m["ci"].to_numpy()
    age = m["age"].to_numpy()
    z = m["z"].to_numpy()
    zw = m["zw"].to_numpy()
    sx = sex[ci]
    nm = len(ci)
    salah = _kesalahan(w, fk, desa[ci], age, mu_k, rng.spawn(1)[0])
    z = z + salah.z_tambah

    # position: lying under 731 days, standing after; ~2% wrong (only from 9 months on), more where the
    # Puskesmas's kader measure babies standing (salah.berdiri)
    wrong = ((rng.random(nm) < 0.02) & (age > 280) & (age < 1300)) | salah.berdiri
    lying = (age < 731) ^ wrong
    pos = np.where(lying, "L", "H")
    l, mu, s = LL[sx - 1, age], LM[sx - 1, age], LS[sx - 1, age]
    true_len = mu * (1 + l * s * np.clip(z, -5.5, 5.5)) ** (1 / l)
    measured = true_len + np.where((age < 731) & ~lying, -0.7, 0.0) + np.where((age >= 731) & lying, 0.7, 0.0)
    measured = measured + rng.normal(0, 0.55, nm)
    heap = (rng.random(nm) < 0.08) | salah.bulat
    tinggi = np.where(heap, np.round(measured), np.round(measured, 1))
    tinggi = np.clip(tinggi, 40.0, 125.0)
    l, mu, s = WL[sx - 1, age], WM[sx - 1, age], WS[sx - 1, age]
    base = np.maximum(1 + l * s * np.clip(zw, -4.5, 4.5), 0.05)
    berat = mu * base ** (1 / l) + rng.normal(0, 0.08, nm)
    berat = np.clip(np.round(berat, 1), 1.6, 35.0)

    # ~0.3% implausible records: length typos (e.g. 45 cm for a 3-year-old) and weight typos (x10, /10)
    bad = rng.random(nm) < 0.003
    kind = rng.random(nm)
    bad_h = bad & (kind < 0.65)
    bad_w = bad & ~bad_h
    short = np.round(tinggi * rng.uniform(0.5, 0.62, nm), 1)
    tall = np.round(np.minimum(tinggi * 1.6, 138.0), 1)
    tinggi = np.where(bad_h, np.where(short > 35, short, tall), tinggi)
    heavy = np.round(berat * 10, 1)
    berat = np.where(bad_w, np.where(heavy < 59, heavy, np.round(berat / 10, 2)), berat)
    berat = np.where(berat <= 0, 0.5, berat)

    desa_m = desa[ci]
    tgl = m["tgl"].to_numpy()
    born_m = born[ci]
    df = pl.DataFrame({
        "id_anak": id_anak[ci],
        "jk": sx,
        "tgl_lahir": born_m,
        "tgl_ukur": tgl,
        "berat_kg": berat,
        "tinggi_cm": tinggi,
        "cara_ukur": pos,
        "kode_desa": np.array(w.desa_kode)[desa_m],
        "kode_posyandu": posy_kode[posy_of[ci]],
        "kode_puskesmas": np.array(fk.pkm_kode)[fk.catch[desa_m]],
    }).with_columns(pl.col("tgl_lahir").cast(pl.Date), pl.col("tgl_ukur").cast(pl.Date))
    # estimated birth dates where ages heap: the birth date written as the measuring date minus whole years
    df = df.with_columns(tgl_lahir=pl.when(pl.Series(salah.tahun_taksir) > 0)
                         .then(pl.col("tgl_ukur").dt.offset_by(pl.format("-{}y", pl.Series(salah.tahun_taksir))))
                         .otherwise(pl.col("tgl_lahir")))

    zs = anthro.zscores(df.select(
        pl.col("jk").alias("sex"), pl.col("tgl_lahir").alias("birth_date"), pl.col("tgl_ukur").alias("measure_date"),
        pl.col("tinggi_cm").alias("height_cm"), pl.col("berat_kg").alias("weight_kg"),
        pl.col("cara_ukur").alias("position")))
    basis = zs["haz"].to_numpy()
    cols = {
        "umur_hari": zs["age_days"].cast(pl.Int32),
        "haz": zs["haz"], "waz": zs["waz"], "whz": zs["whz"], "baz": zs["baz"],
        "flag_haz": zs["flag_haz"].cast(pl.Int8), "flag_waz": zs["flag_waz"].cast(pl.Int8),
        "flag_whz": zs["flag_whz"].cast(pl.Int8), "flag_baz": zs["flag_baz"].cast(pl.Int8),
    }
    # the export's own ZS TB/U: mostly equal, some off by a rounding step, ~1% disagreeing by > 0.5
    r = rng.random(nm)
    noise = np.where(r < 0.90, 0.0, rng.choice([-0.03, -0.02, -0.01, 0.01, 0.02, 0.03], size=nm))
    big = rng.random(nm) < 0.01
    noise = np.where(big, rng.choice([-1, 1], size=nm) * rng.uniform(0.6, 1.6, nm), noise)
    lapor = np.round(basis + noise, 2)
    return df.with_columns(zs_tbu_lapor=pl.Series(lapor)).with_columns(**cols).with_columns(sumber=pl.lit(SUMBER))


# ------------------------------------------------------------------------------------ data-quality faults
@dataclass(frozen=True)
class Kesalahan:
    """Realistic measuring faults of the demo (so the Mutu Data page has something to show), per measurement."""
    bulat: np.ndarray          # height read to the whole cm (one Puskesmas's kader)
    z_tambah: np.ndarray       # extra HAZ noise: imprecise measuring, HAZ SD ~1.5 (one Puskesmas)
    berdiri: np.ndarray        # baby (9-23 months) measured standing (one Puskesmas)
    tahun_taksir: np.ndarray   # > 0: birth date estimated as measuring date minus this many years (one kecamatan)
    pkm_bulat: int
    pkm_lebar: int
    pkm_berdiri: int
    kec_taksir: int


def _kesalahan(w: Wilayah, fk: Faskes, desa_m: np.ndarray, age: np.ndarray, mu_k: np.ndarray,
               rng: np.random.Generator) -> Kesalahan:
    """Choose the faulty units and rows with their own generator (spawned, so the main stream is unchanged).
    The too-wide spread goes to the Puskesmas of the best-off kecamatan, so no kecamatan's prevalence leaves
    the realistic range; the heaping kecamatan is not the town."""
    nm = len(desa_m)
    pkm_m = fk.catch[desa_m]
    kec_m = w.desa_kec[desa_m]
    n_pkm = len(fk.pkm_kode)
    kec_of_pkm = np.array([np.bincount(w.desa_kec[fk.catch == j], minlength=w.n_kec).argmax() for j in range(n_pkm)])
    pkm_lebar = int(np.argmax(mu_k[kec_of_pkm]))
    rest = [j for j in range(n_pkm) if j != pkm_lebar]
    pkm_bulat, pkm_berdiri = (int(x) for x in rng.choice(rest, size=2, replace=False))
    town = set(np.atleast_1d(np.flatnonzero(np.isin(np.arange(w.n_kec), w.town))).tolist())
    kec_pilihan = [k for k in range(w.n_kec) if k not in town
                   and k not in {kec_of_pkm[pkm_lebar], kec_of_pkm[pkm_bulat], kec_of_pkm[pkm_berdiri]}]
    kec_taksir = int(rng.choice(kec_pilihan))
    bulat = pkm_m == pkm_bulat
    z_tambah = np.where(pkm_m == pkm_lebar, rng.normal(0, 1.1, nm), 0.0)
    berdiri = (pkm_m == pkm_berdiri) & (age >= 270) & (age < 731) & (rng.random(nm) < 0.45)
    months = age / 30.4375
    near = np.rint(months / 12)
    tahun = np.where((kec_m == kec_taksir) & (near >= 1) & (near <= 3) & (np.abs(months - 12 * near) < 2.5)
                     & (rng.random(nm) < 0.35), near, 0).astype(np.int32)
    return Kesalahan(bulat, z_tambah, berdiri, tahun, pkm_bulat, pkm_lebar, pkm_berdiri, kec_taksir)


# ------------------------------------------------------------------------------------ recap
def _rekap(df: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    z = df.select(pl.col("kode_puskesmas"), pl.col("tgl_ukur"), pl.col("haz").alias("z"),
                  (pl.col("haz").is_not_null() & (pl.col("flag_haz") == 0)).alias("ok"))
    rk = (
        z.filter("ok")
        .group_by(pl.col("kode_puskesmas").alias("kode_unit"), pl.col("tgl_ukur").dt.strftime("%Y-%m").alias("periode"))
        .agg(diukur=pl.len().cast(pl.Int32),
             pendek=((pl.col("z") >= -3) & (pl.col("z") < -2)).sum().cast(pl.Int32),
             sangat_pendek=(pl.col("z") < -3).sum().cast(pl.Int32))
        .sort("periode", "kode_unit")
        .with_columns(stunting_lapor=(pl.col("pendek") + pl.col("sangat_pendek")).cast(pl.Int32))
        .with_columns(prevalensi_lapor=(100.0 * pl.col("stunting_lapor") / pl.col("diukur")).round(1))
    )
    stl = rk["stunting_lapor"].to_numpy().copy()
    prv = rk["prevalensi_lapor"].to_numpy().copy()
    flag: list[str | None] = [None] * rk.height
    pend, sp, diuk = rk["pendek"].to_numpy(), rk["sangat_pendek"].to_numpy(), rk["diukur"].to_numpy()
    bad = rng.choice(rk.height, size=3, replace=False)
    for j, i in enumerate(sorted(bad.tolist())):
        if j < 2:  # reported total does not add up
            stl[i] = stl[i] + int(rng.integers(3, 8)) * (1 if j == 0 else -1)
            stl[i] = max(stl[i], 0)
            prv[i] = round(100.0 * stl[i] / diuk[i], 1)
            flag[i] = f"pendek + sangat pendek ({pend[i] + sp[i]}) ≠ stunting dilaporkan ({stl[i]})"
        else:      # prevalence computed against the wrong denominator
            prv[i] = round(prv[i] * rng.uniform(0.55, 0.7), 1)
            calc = round(100.0 * stl[i] / diuk[i], 1)
            flag[i] = (f"prevalensi dilaporkan ({str(prv[i]).replace('.', ',')}%) ≠ stunting/diukur "
                       f"({str(calc).replace('.', ',')}%)")
    return rk.with_columns(
        stunting_lapor=pl.Series(stl, dtype=pl.Int32), prevalensi_lapor=pl.Series(prv, dtype=pl.Float64),
        flag_inkonsisten=pl.Series(flag, dtype=pl.String),
        jenis_unit=pl.lit("puskesmas"), sumber=pl.lit(SUMBER),
    )
