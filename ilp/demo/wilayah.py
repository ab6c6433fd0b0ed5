"""Stage wilayah: codes, invented names, polygons and population of kecamatan and desa."""
from __future__ import annotations

import numpy as np
import polars as pl
import shapely

from ilp.demo.geografi import _geojson, _ll_to_km, _luas_km2
from ilp.demo.konstanta import KODE_KAB, KODE_PROV, NAMA_KAB, NAMA_PROV, SUMBER, VERSI, _AKHIRAN, _AWALAN, _KEC_KOTA, _KEC_LAIN, _KELURAHAN, _NAMA_TERLARANG, _PISAH
from ilp.demo.tahap import Geografi, Wilayah


# ------------------------------------------------------------------------------------ wilayah
def _nama_desa(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    out = []
    while len(out) < n:
        a = _AWALAN[int(rng.integers(len(_AWALAN)))]
        b = _AKHIRAN[int(rng.integers(len(_AKHIRAN)))]
        if a.lower().startswith(b) or a.lower().endswith(b):
            continue
        if a in _PISAH and rng.random() < 0.35:
            name = f"{a} {b.capitalize()}"
        else:
            name = a + b
        key = name.replace(" ", "").lower()
        if key in taken or key in _NAMA_TERLARANG:
            continue
        taken.add(key)
        out.append(name)
    return out


def _wilayah(geo: Geografi, rng: np.random.Generator, rng_pop: np.random.Generator) -> Wilayah:
    n_kec = geo.n_kec
    town, second = geo.town_kec, geo.second_kec
    # kecamatan names: the two towns + a seeded choice of the others
    others = list(_KEC_LAIN)
    rng.shuffle(others)
    kec_names = [""] * n_kec
    kec_names[town] = _KEC_KOTA[0]
    kec_names[second] = _KEC_KOTA[1]
    it = iter(others)
    for k in range(n_kec):
        if not kec_names[k]:
            kec_names[k] = next(it)
    taken = {n.replace(" ", "").lower() for n in kec_names} | {n.lower() for n in _KELURAHAN}
    # numbering of kecamatan: alphabetical
    kec_order = sorted(range(n_kec), key=lambda k: kec_names[k])
    kec_no = np.empty(n_kec, dtype=int)
    kec_no[kec_order] = np.arange(1, n_kec + 1)
    kec_kode = [f"{KODE_KAB}.{kec_no[k]:02d}" for k in range(n_kec)]

    desa_kec = geo.desa_kec
    n_desa = len(desa_kec)
    rep = shapely.point_on_surface(geo.desa_geom)
    rep_ll = shapely.get_coordinates(rep)
    rep_km = _ll_to_km(rep_ll)

    # kelurahan: every unit of the town kecamatan, the units nearest the centre of the second town
    is_kel = np.zeros(n_desa, dtype=bool)
    is_kel[desa_kec == town] = True
    idx2 = np.flatnonzero(desa_kec == second)
    near = idx2[np.argsort(np.linalg.norm(rep_km[idx2] - geo.kec_seed_km[second], axis=1), kind="stable")]
    is_kel[near[: min(3, len(near) - 2)]] = True
    kel_pool = list(_KELURAHAN)
    rng.shuffle(kel_pool)
    desa_names = [""] * n_desa
    kel_iter = iter(kel_pool)
    # the unit nearest the kecamatan centre (ibu kota kecamatan) carries the kecamatan name
    capital = np.empty(n_kec, dtype=int)
    for k in range(n_kec):
        idx = np.flatnonzero(desa_kec == k)
        capital[k] = idx[np.argmin(np.linalg.norm(rep_km[idx] - geo.kec_seed_km[k], axis=1))]
        desa_names[capital[k]] = kec_names[k]
    for i in range(n_desa):
        if not desa_names[i] and is_kel[i]:
            nm = next(kel_iter, None)
            if nm is None:
                nm = _nama_desa(rng, 1, taken)[0]
            desa_names[i] = nm
    rest = [i for i in range(n_desa) if not desa_names[i]]
    for i, nm in zip(rest, _nama_desa(rng, len(rest), taken)):
        desa_names[i] = nm

    # codes: per kecamatan, kelurahan 1001.. then desa 2001.., each alphabetical
    desa_kode = [""] * n_desa
    for k in range(n_kec):
        idx = np.flatnonzero(desa_kec == k)
        for prefix, sel in ((1, [i for i in idx if is_kel[i]]), (2, [i for i in idx if not is_kel[i]])):
            for j, i in enumerate(sorted(sel, key=lambda i: desa_names[i])):
                desa_kode[i] = f"{kec_kode[k]}.{prefix}{j + 1:03d}"

    # population 2024: lognormal per desa, denser kelurahan, scaled to ~1 million
    pop = np.exp(rng_pop.normal(np.log(3600), 0.42, n_desa))
    pop[is_kel] *= 1.9
    total = rng_pop.uniform(0.95e6, 1.06e6)
    pop = np.round(pop / pop.sum() * total).astype(np.int64)

    wil_rows = [
        (KODE_PROV, "provinsi", NAMA_PROV, None, None, None, "provinsi"),
        (KODE_KAB, "kabkota", NAMA_KAB, KODE_PROV, KODE_KAB, None, "kabupaten"),
    ]
    for k in kec_order:
        wil_rows.append((kec_kode[k], "kecamatan", kec_names[k], KODE_KAB, KODE_KAB, None, "kecamatan"))
    for i in sorted(range(n_desa), key=lambda i: desa_kode[i]):
        k = desa_kec[i]
        wil_rows.append((desa_kode[i], "desa", desa_names[i], kec_kode[k], KODE_KAB, kec_kode[k],
                         "kelurahan" if is_kel[i] else "desa"))
    wilayah = pl.DataFrame(
        wil_rows, orient="row",
        schema={"kode": pl.String, "level": pl.String, "nama": pl.String, "parent": pl.String,
                "kode_kab": pl.String, "kode_kec": pl.String, "jenis": pl.String},
    ).with_columns(versi=pl.lit(VERSI))

    # boundaries
    geoms = np.concatenate([geo.kec_geom, geo.desa_geom])
    kodes = kec_kode + desa_kode
    levels = ["kecamatan"] * n_kec + ["desa"] * n_desa
    rp = shapely.get_coordinates(shapely.point_on_surface(geoms))
    batas = pl.DataFrame({
        "kode": kodes,
        "level": levels,
        "geom_wkb": [bytes(b) for b in shapely.to_wkb(geoms)],
        "geojson": [_geojson(g) for g in geoms],
        "luas_km2": np.round(_luas_km2(geoms), 3),
        "lat": np.round(rp[:, 1], 6),
        "lon": np.round(rp[:, 0], 6),
        "aturan_cocok": ["demo"] * len(kodes),
        "sumber": [SUMBER] * len(kodes),
    }, schema_overrides={"geom_wkb": pl.Binary}).sort("kode")

    return Wilayah(
        wilayah=wilayah, batas=batas,
        kec_kode=kec_kode, kec_no=kec_no, kec_names=kec_names,
        desa_kode=desa_kode, desa_names=desa_names, desa_kec=desa_kec, is_kel=is_kel,
        desa_geom=geo.desa_geom, rep_km=rep_km, capital=capital,
        pop2024=pop, town=town, second=second, n_kec=n_kec, n_desa=n_desa,
    )
