"""Stage geografi: an irregular district outline, Voronoi cells grouped into contiguous kecamatan and desa."""
from __future__ import annotations

import json

import numpy as np
import shapely

from ilp.demo.konstanta import LAT0, LON0, _KM_LAT, _KM_LON
from ilp.demo.tahap import Geografi


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


def _geografi(rng: np.random.Generator) -> Geografi:
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
    return Geografi(
        outline=outline_ll, cells=cells, desa_geom=desa_geom, desa_kec=desa_kec_arr,
        kec_geom=kec_geom, kec_seed_km=kec_seed, n_kec=n_kec, town_kec=0, second_kec=second,
    )


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
