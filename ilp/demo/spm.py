"""Stage spm: SPM target populations (sasaran) and monthly numerators (fakta_spm)."""
from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from ilp import reference
from ilp.demo.konstanta import DATA_PER, SUMBER, TAHUN, _BOLEH_LEBIH_100, _CAPAIAN, _SASARAN_RATE
from ilp.demo.tahap import Faskes, Ilp, Wilayah


# ------------------------------------------------------------------------------------ SPM
def _spm(w: Wilayah, fk: Faskes, ilp: Ilp, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    pkm = fk.pkm_kode
    n_pkm = len(pkm)
    catch = fk.catch
    pop24 = w.pop2024.astype(float)
    layanan = list(reference.layanan_codes())
    growth = 1.009
    sas_rows = {"tahun": [], "kode_unit": [], "jenis_unit": [], "layanan": [], "sumber": [], "jumlah": []}

    def put(tahun, kode, jenis, lay, sumber, jumlah):
        sas_rows["tahun"].append(tahun)
        sas_rows["kode_unit"].append(kode)
        sas_rows["jenis_unit"].append(jenis)
        sas_rows["layanan"].append(lay)
        sas_rows["sumber"].append(sumber)
        sas_rows["jumlah"].append(float(jumlah))

    # Dukcapil differs from the Pusdatin estimate by 5-10% (registry mostly lower), per Puskesmas
    duk_sign = np.where(rng.random((n_pkm, 4)) < 0.7, -1.0, 1.0)
    duk_mag = rng.uniform(0.05, 0.10, (n_pkm, 4))
    sasaran_pus = {}  # (tahun, i, layanan) -> PUSDATIN
    desa_order = sorted(range(w.n_desa), key=lambda i: w.desa_kode[i])
    for y in TAHUN:
        f = growth ** (y - 2024)
        birth_trend = 0.99 ** (y - 2024)
        pop_pkm = np.bincount(catch, weights=pop24 * f, minlength=n_pkm)
        for i in range(n_pkm):
            for lay in layanan:
                rate = _SASARAN_RATE[lay] * (birth_trend if lay in ("spm01", "spm02", "spm03") else 1.0)
                v = round(pop_pkm[i] * rate)
                sasaran_pus[(y, i, lay)] = v
                put(y, pkm[i], "puskesmas", lay, "PUSDATIN", v)
            for j, lay in enumerate(("spm01", "spm02", "spm03", "spm04")):
                fac = 1 + duk_sign[i, j] * duk_mag[i, j] + rng.normal(0, 0.008)
                put(y, pkm[i], "puskesmas", lay, "DUKCAPIL", round(sasaran_pus[(y, i, lay)] * fac))
        # balita per desa (PUSDATIN and DUKCAPIL): sums to about the Puskesmas figure
        for d in desa_order:
            v = round(pop24[d] * f * _SASARAN_RATE["spm04"])
            put(y, w.desa_kode[d], "desa", "spm04", "PUSDATIN", v)
            i = catch[d]
            fac = 1 + duk_sign[i, 3] * duk_mag[i, 3] + rng.normal(0, 0.02)
            put(y, w.desa_kode[d], "desa", "spm04", "DUKCAPIL", round(v * fac))
    sasaran = pl.DataFrame(sas_rows, schema={"tahun": pl.Int32, "kode_unit": pl.String, "jenis_unit": pl.String,
                                             "layanan": pl.String, "sumber": pl.String, "jumlah": pl.Float64})

    # capaian per Puskesmas x service x year
    quality = rng.normal(0, 6, n_pkm)
    mulai = ilp.mulai
    over_ht = rng.choice(n_pkm, size=3, replace=False)       # these keep hypertension above 100%
    over_dm = rng.choice(n_pkm, size=2, replace=False)
    svc_eff = {lay: rng.normal(0, 4, n_pkm) for lay in layanan}
    months = np.arange(1, 13)
    base_w = 1 + 0.06 * np.sin(2 * np.pi * (months - 3) / 12)
    weights = {lay: base_w.copy() for lay in layanan}
    weights["spm04"] = base_w * np.where(np.isin(months, [2, 8]), 1.35, 1.0)
    weights["spm05"] = base_w * np.where(np.isin(months, [7, 8, 9]), 1.6, np.where(np.isin(months, [1, 2]), 1.15, 0.85))
    weights["spm07"] = base_w * np.where(months == 12, 0.8, 1.0)
    f_rows = {"tahun": [], "bulan": [], "kode_puskesmas": [], "layanan": [], "jumlah": []}
    for y in TAHUN:
        last_m = DATA_PER.month if y == DATA_PER.year else 12
        for lay in layanan:
            mean, sd = _CAPAIAN[lay]
            ilp_on = np.array([m is not None and m <= date(y, 6, 30) for m in mulai])
            c = mean + quality + svc_eff[lay] + 2.0 * (y - 2024) + 3.0 * ilp_on + rng.normal(0, sd * 0.35, n_pkm)
            if lay == "spm08":
                c[over_ht] = rng.uniform(108, 128, len(over_ht))
            if lay == "spm09":
                c[over_dm] = rng.uniform(102, 118, len(over_dm))
            if lay not in _BOLEH_LEBIH_100:
                c = np.minimum(c, rng.uniform(96, 100, n_pkm))
            c = np.maximum(c, 8.0)
            total = np.array([round(sasaran_pus[(y, i, lay)] * c[i] / 100.0) for i in range(n_pkm)])
            wm = weights[lay] * np.exp(rng.normal(0, 0.05, (n_pkm, 12)))
            pm = wm / wm.sum(axis=1, keepdims=True)
            counts = rng.multinomial(total, pm)
            for i in range(n_pkm):
                for m in range(last_m):
                    f_rows["tahun"].append(y)
                    f_rows["bulan"].append(m + 1)
                    f_rows["kode_puskesmas"].append(pkm[i])
                    f_rows["layanan"].append(lay)
                    f_rows["jumlah"].append(int(counts[i, m]))
    fakta = pl.DataFrame(f_rows, schema={"tahun": pl.Int32, "bulan": pl.Int32, "kode_puskesmas": pl.String,
                                         "layanan": pl.String, "jumlah": pl.Int32}).with_columns(
        kode_desa=pl.lit(""), sumber=pl.lit(SUMBER))
    return sasaran, fakta
