"""Stages faskes and ilp: Puskesmas, Pustu, Posyandu and others, catchments, staffing; ILP rollout."""
from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import shapely

from ilp.demo.geografi import _farthest, _lloyd
from ilp.demo.konstanta import NAMA_KAB, PER_TANGGAL, SUMBER, _DUSUN, _POSYANDU, _ROMAWI
from ilp.demo.tahap import Faskes, Geografi, Ilp, Wilayah


# ------------------------------------------------------------------------------------ faskes
def _points_in(poly, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random lon/lat points (rounded to 6 decimals) strictly inside poly, away from its border."""
    inner = shapely.buffer(poly, -0.0004)
    target = inner if (not inner.is_empty and inner.area > 0.05 * poly.area) else poly
    minx, miny, maxx, maxy = target.bounds
    got = np.empty((0, 2))
    while len(got) < k:
        c = np.round(rng.uniform([minx, miny], [maxx, maxy], size=(64, 2)), 6)
        c = c[shapely.contains_xy(target, c[:, 0], c[:, 1]) & shapely.contains_xy(poly, c[:, 0], c[:, 1])]
        got = np.concatenate([got, c])
    return got[:k]


def _faskes(geo: Geografi, w: Wilayah, rng: np.random.Generator) -> Faskes:
    n_kec, n_desa = w.n_kec, w.n_desa
    desa_kec, is_kel, rep_km = w.desa_kec, w.is_kel, w.rep_km
    kec_kode, desa_kode, desa_names, kec_names = w.kec_kode, w.desa_kode, w.desa_names, w.kec_names
    pop = w.pop2024
    kec_pop = np.bincount(desa_kec, weights=pop, minlength=n_kec)

    # --- Puskesmas per kecamatan: 1, plus extras for the most populous (at most 3)
    n_pkm = int(rng.integers(23, 28))
    n_per = np.ones(n_kec, dtype=int)
    wts = kec_pop / kec_pop.sum()
    while n_per.sum() < n_pkm:
        score = wts / n_per * np.exp(rng.normal(0, 0.25, n_kec))
        score[n_per >= 3] = -1
        n_per[int(np.argmax(score))] += 1

    pkm_rows = []          # (kec, seat desa idx)
    catch = np.full(n_desa, -1)
    for k in sorted(range(n_kec), key=lambda k: kec_kode[k]):
        idx = np.flatnonzero(desa_kec == k)
        cap = int(w.capital[k])
        seats = [cap]
        if n_per[k] > 1:
            init = rep_km[idx][_farthest(rep_km[idx], int(n_per[k]), int(np.flatnonzero(idx == cap)[0]))]
            centres = _lloyd(rep_km[idx], pop[idx].astype(float), init, iters=8)
            # the capital keeps the first Puskesmas; the others stand in the desa nearest the other centres
            first_c = int(np.argmin(np.linalg.norm(centres - rep_km[cap], axis=1)))
            for j, c in enumerate(centres):
                if j == first_c:
                    continue
                for t in np.argsort(np.linalg.norm(rep_km[idx] - c, axis=1), kind="stable"):
                    if int(idx[t]) not in seats:
                        seats.append(int(idx[t]))
                        break
        d = np.linalg.norm(rep_km[idx][:, None, :] - rep_km[seats][None, :, :], axis=2)
        near = np.argmin(d, axis=1)
        for j, s in enumerate(seats):
            near[np.flatnonzero(idx == s)[0]] = j
        base = len(pkm_rows)
        catch[idx] = base + near
        for s in seats:
            pkm_rows.append((k, int(s)))
    n_pkm = len(pkm_rows)
    pk_kec = np.array([r[0] for r in pkm_rows])
    pk_seat = np.array([r[1] for r in pkm_rows])

    # rawat inap: ~8, more likely the first Puskesmas of a kecamatan
    first = np.array([i == 0 or pk_kec[i] != pk_kec[i - 1] for i in range(n_pkm)])
    p = np.where(first, 2.0, 0.7)
    n_ranap = int(rng.integers(7, 10))
    ranap = np.zeros(n_pkm, dtype=bool)
    ranap[rng.choice(n_pkm, size=n_ranap, replace=False, p=p / p.sum())] = True

    rows: list[dict] = []

    def add(kode, nama, jenis, k, d, induk=None, rawat=None, dusun=None, lat=None, lon=None):
        rows.append({"kode_faskes": kode, "nama": nama, "jenis": jenis, "rawat_inap": rawat,
                     "kode_kec": kec_kode[k], "kode_desa": desa_kode[d] if d is not None else None,
                     "kode_induk": induk, "dusun_rw": dusun, "lat": lat, "lon": lon})

    # place every facility of a desa in one draw per desa (deterministic order: desa code)
    desa_order = sorted(range(n_desa), key=lambda i: desa_kode[i])

    # Pustu: ~80% of desa; rarely in a Puskesmas seat, less often in a kelurahan
    has_pustu = np.zeros(n_desa, dtype=bool)
    pw = np.where(is_kel, 0.35, 1.0)
    pw[pk_seat] = 0.12
    n_pustu = int(round(rng.uniform(0.77, 0.83) * n_desa))
    has_pustu[rng.choice(n_desa, size=n_pustu, replace=False, p=pw / pw.sum())] = True
    # Poskesdes / Polindes: village posts, more often where there is no Pustu
    r = rng.random(n_desa)
    has_poskesdes = ~is_kel & (r < np.where(has_pustu, 0.18, 0.55))
    has_polindes = ~is_kel & ~has_poskesdes & (rng.random(n_desa) < 0.07)
    # Posyandu: 1-3 per desa (kelurahan 2-3)
    n_posy = np.where(is_kel, rng.integers(2, 4, n_desa), rng.choice([1, 2, 3], size=n_desa, p=[0.25, 0.5, 0.25]))

    pkm_kode = [""] * n_pkm
    seq = {}
    for i in range(n_pkm):
        k = pk_kec[i]
        seq[k] = seq.get(k, 0) + 1
        pkm_kode[i] = f"P9901{w.kec_no[k] * 10:03d}{'1' if ranap[i] else '2'}{seq[k]:02d}"
    pkm_name = [""] * n_pkm
    for i in range(n_pkm):
        k = pk_kec[i]
        same = [j for j in range(n_pkm) if pk_kec[j] == k]
        if len(same) == 1:
            pkm_name[i] = f"Puskesmas {kec_names[k]}"
        elif len(same) == 2 and same.index(i) == 1 and rng.random() < 0.5:
            pkm_name[i] = f"Puskesmas {desa_names[pk_seat[i]]}"
        else:
            pkm_name[i] = f"Puskesmas {kec_names[k]} {_ROMAWI[same.index(i)]}"
    # two Puskesmas could share a name when a seat desa is named like its kecamatan: keep unique
    seen: set[str] = set()
    for i in range(n_pkm):
        if pkm_name[i] in seen:
            pkm_name[i] = f"Puskesmas {kec_names[pk_kec[i]]} {_ROMAWI[[j for j in range(n_pkm) if pk_kec[j] == pk_kec[i]].index(i)]}"
        seen.add(pkm_name[i])

    pusling_pkm = sorted(rng.choice(np.flatnonzero(~np.isin(pk_kec, [w.town, w.second])),
                                    size=int(rng.integers(1, 3)), replace=False).tolist())

    posy_day: dict[str, int] = {}
    posy_desa: list[int] = []
    posy_kode: list[str] = []
    for d in desa_order:
        k = desa_kec[d]
        dk = desa_kode[d].replace(".", "")
        seats_here = [i for i in range(n_pkm) if pk_seat[i] == d]
        n_pts = len(seats_here) + int(has_pustu[d]) + int(has_poskesdes[d]) + int(has_polindes[d]) + int(n_posy[d]) \
            + sum(1 for i in seats_here if i in pusling_pkm)
        pts = _points_in(w.desa_geom[d], n_pts, rng)
        it = iter(pts.tolist())
        induk = pkm_kode[catch[d]]
        for i in seats_here:
            lon, lat = next(it)
            add(pkm_kode[i], pkm_name[i], "puskesmas", k, d, rawat=bool(ranap[i]), lat=lat, lon=lon)
            if i in pusling_pkm:
                lon, lat = next(it)
                add(f"PSL-{pkm_kode[i]}", f"Pusling {pkm_name[i][len('Puskesmas '):]}", "pusling", k, d,
                    induk=pkm_kode[i], lat=lat, lon=lon)
        if has_pustu[d]:
            lon, lat = next(it)
            add(f"PST-{dk}", f"Pustu {desa_names[d]}", "pustu", k, d, induk=induk, lat=lat, lon=lon)
        if has_poskesdes[d]:
            lon, lat = next(it)
            add(f"PKD-{dk}", f"Poskesdes {desa_names[d]}", "poskesdes", k, d, induk=induk, lat=lat, lon=lon)
        if has_polindes[d]:
            lon, lat = next(it)
            add(f"PLD-{dk}", f"Polindes {desa_names[d]}", "polindes", k, d, induk=induk, lat=lat, lon=lon)
        names = rng.choice(len(_POSYANDU), size=int(n_posy[d]), replace=False)
        dusun = rng.choice(np.arange(1, len(_DUSUN)), size=int(n_posy[d]), replace=False)
        rws = np.sort(rng.choice(np.arange(1, 13), size=int(n_posy[d]), replace=False))
        for j in range(int(n_posy[d])):
            lon, lat = next(it)
            if is_kel[d]:
                dus = f"RW {rws[j]:02d}"
            else:
                dus = "Dusun " + (_DUSUN[0] if j == 0 else _DUSUN[int(dusun[j])])
            nm = _POSYANDU[int(names[j])]
            if rng.random() < 0.35:
                nm = f"{nm} {_ROMAWI[int(rng.integers(0, 3))]}"
            kode = f"PSY-{dk}-{j + 1:02d}"
            add(kode, f"Posyandu {nm}", "posyandu", k, d, induk=induk, dusun=dus, lat=lat, lon=lon)
            posy_day[kode] = int(rng.integers(3, 25))
            posy_desa.append(d)
            posy_kode.append(kode)

    # hospitals: RSUD + private in the town, sometimes a third in the second town
    n_rs = int(rng.integers(2, 4))
    town_units = sorted(np.flatnonzero(desa_kec == w.town).tolist(), key=lambda i: desa_kode[i])
    sec_units = sorted(np.flatnonzero((desa_kec == w.second) & is_kel).tolist(), key=lambda i: desa_kode[i]) \
        or sorted(np.flatnonzero(desa_kec == w.second).tolist(), key=lambda i: desa_kode[i])
    rs_spec = [(f"RSUD {NAMA_KAB}", town_units[int(rng.integers(len(town_units)))]),
               ("RS Bhakti Husada", town_units[int(rng.integers(len(town_units)))]),
               (f"RS Islam {kec_names[w.second]}", sec_units[int(rng.integers(len(sec_units)))])][:n_rs]
    for j, (nm, d) in enumerate(rs_spec):
        lon, lat = _points_in(w.desa_geom[d], 1, rng)[0]
        add(f"RS-9901-{j + 1:02d}", nm, "rumah_sakit", desa_kec[d], d, lat=float(lat), lon=float(lon))

    faskes = pl.DataFrame(rows, schema={
        "kode_faskes": pl.String, "nama": pl.String, "jenis": pl.String, "rawat_inap": pl.Boolean,
        "kode_kec": pl.String, "kode_desa": pl.String, "kode_induk": pl.String, "dusun_rw": pl.String,
        "lat": pl.Float64, "lon": pl.Float64,
    }).with_columns(aktif=pl.lit(True), aturan_lokasi=pl.lit("demo"), sumber=pl.lit(SUMBER))

    wilayah_kerja = pl.DataFrame({
        "kode_puskesmas": [pkm_kode[catch[d]] for d in desa_order],
        "kode_desa": [desa_kode[d] for d in desa_order],
    }).with_columns(sumber=pl.lit(SUMBER))

    # --- staffing: Pustu perawat + bidan (0-2 each, realistic gaps), Posyandu kader
    pustu = faskes.filter(pl.col("jenis") == "pustu")["kode_faskes"].to_list()
    n_pu = len(pustu)
    # ~31-39% of Pustu miss a perawat or a bidan (a few miss both); gaps cluster in hard-to-staff kecamatan
    remote = rng.normal(0, 0.6, n_kec)
    pu_kec = np.array([kec_kode.index(k) for k in faskes.filter(pl.col("jenis") == "pustu")["kode_kec"].to_list()])
    hard = np.argsort(-(remote[pu_kec] + rng.normal(0, 0.8, n_pu)), kind="stable")  # hardest first
    n_gap = int(round(rng.uniform(0.31, 0.39) * n_pu))
    n_both = max(1, int(round(rng.uniform(0.03, 0.06) * n_pu)))
    has_bidan = np.ones(n_pu, dtype=bool)
    has_perawat = np.ones(n_pu, dtype=bool)
    has_bidan[hard[:n_both]] = has_perawat[hard[:n_both]] = False
    rest = hard[n_both:n_gap]
    no_perawat = rng.random(len(rest)) < 0.62  # a missing nurse is more common than a missing midwife
    has_perawat[rest[no_perawat]] = False
    has_bidan[rest[~no_perawat]] = False
    bidan = np.where(has_bidan, rng.choice([1, 2], size=n_pu, p=[0.82, 0.18]), 0)
    perawat = np.where(has_perawat, rng.choice([1, 2], size=n_pu, p=[0.85, 0.15]), 0)
    posy = faskes.filter(pl.col("jenis") == "posyandu")["kode_faskes"].to_list()
    kader = rng.choice(np.arange(0, 9), size=len(posy),
                       p=[0.01, 0.02, 0.03, 0.05, 0.09, 0.32, 0.26, 0.14, 0.08])
    tenaga = pl.DataFrame({
        "kode_faskes": pustu + pustu + posy,
        "jenis_tenaga": ["perawat"] * n_pu + ["bidan"] * n_pu + ["kader"] * len(posy),
        "jumlah": np.concatenate([perawat, bidan, kader]).astype(np.int32),
    }).with_columns(per_tanggal=pl.lit(PER_TANGGAL), sumber=pl.lit(SUMBER))

    return Faskes(
        faskes=faskes, wilayah_kerja=wilayah_kerja, tenaga=tenaga,
        pkm_kode=pkm_kode, pk_kec=pk_kec, pk_seat=pk_seat, ranap=ranap, catch=catch,
        posy_kode=posy_kode, posy_desa=np.array(posy_desa), posy_day=posy_day,
    )


# ------------------------------------------------------------------------------------ ILP rollout
def _ilp(fk: Faskes, rng: np.random.Generator) -> Ilp:
    pkm = fk.pkm_kode
    n = len(pkm)
    ranap = fk.ranap
    tahap = np.full(n, 3)
    mulai: list[date | None] = [None] * n
    # pilot (lokus): 5 Puskesmas, rawat inap favoured
    p = np.where(ranap, 2.5, 1.0)
    lokus = rng.choice(n, size=5, replace=False, p=p / p.sum())
    tahap[lokus] = 1
    rest = np.flatnonzero(tahap == 3)
    t2 = rng.choice(rest, size=min(10, len(rest) - 3), replace=False)
    tahap[t2] = 2
    t3 = np.flatnonzero(tahap == 3)
    t3 = t3[rng.permutation(len(t3))]
    n_null = int(rng.integers(2, 4))
    for i in range(n):
        if tahap[i] == 1:
            mulai[i] = date(2024, 7, 1)
        elif tahap[i] == 2:
            mulai[i] = date(2025, 1, 1)
    for j, i in enumerate(t3.tolist()):
        if j < n_null:
            mulai[i] = None
        elif j == n_null:
            mulai[i] = date(2026, 1, 5)
        else:
            mulai[i] = date(2025, 7, 1)
    ilp_puskesmas = pl.DataFrame({
        "kode_puskesmas": pkm,
        "tahap": tahap.astype(np.int32),
        "mulai": mulai,
        "sk_klaster": [m is not None for m in mulai],
    }, schema_overrides={"mulai": pl.Date}).with_columns(sumber=pl.lit(SUMBER))

    # Posyandu status: share serving every life stage rises with the Puskesmas' phase
    faskes_posy = fk.posy_kode
    pkm_of_posy = fk.catch[fk.posy_desa]
    phase = np.array([0 if mulai[i] is None else (1 if tahap[i] == 1 else 2 if tahap[i] == 2 else 3)
                      for i in pkm_of_posy])
    p_ssh = np.array([0.15, 0.90, 0.72, 0.45])[phase]
    p_asik = np.array([0.35, 0.95, 0.85, 0.62])[phase]
    ssh = rng.random(len(faskes_posy)) < p_ssh
    asik = (rng.random(len(faskes_posy)) < p_asik) | (ssh & (rng.random(len(faskes_posy)) < 0.5))
    ilp_posyandu = pl.DataFrame({
        "kode_posyandu": faskes_posy, "semua_siklus_hidup": ssh, "lapor_asik": asik,
    }).with_columns(per_tanggal=pl.lit(PER_TANGGAL), sumber=pl.lit(SUMBER))
    return Ilp(ilp_puskesmas=ilp_puskesmas, ilp_posyandu=ilp_posyandu, tahap=tahap, mulai=mulai)
