""""Provinsi Contoh": several demo kabupaten in one database, for the province office view (issue 14).

`build(db_path, n_kab=3)` generates the demo district `n_kab` times with different seeds, gives the k-th
copy the code 99.0k (99.01 stays the original Kabupaten Contoh) and the name "Kabupaten Contoh k", moves
its geometry and facility points east so the kabupaten lie side by side, and writes them into one database
(ilp.demo.pipeline.write: one transaction, facts computed, moved into place). Not the default demo:
`python -m ilp demo --provinsi`. The province questions are queries/provinsi/*.sql.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import shapely

from ilp.demo.konstanta import DATA_PER, KODE_KAB, KODE_PROV, NAMA_KAB, NAMA_PROV, VERSI
from ilp.demo.pipeline import Progress, generate, write

NAMA_KAB_K = "Kabupaten Contoh {k}"
GESER_DERAJAT = 0.75          # each further kabupaten lies this many degrees of longitude east of the previous
# columns that hold area or facility codes (dotted 99.01..., or undotted 9901 inside a facility code)
_KODE_COLS = ("kode", "parent", "kode_kab", "kode_kec", "kode_desa", "kode_faskes", "kode_induk", "kode_puskesmas",
              "kode_posyandu", "kode_unit", "kode_wilayah")


def kab_code(k: int) -> str:
    """1 -> '99.01', 2 -> '99.02', ..."""
    return f"{KODE_PROV}.{k:02d}"


def recode(frames: dict[str, pl.DataFrame], k: int) -> dict[str, pl.DataFrame]:
    """The demo frames as the k-th kabupaten of the province (k >= 2): codes, child ids, names, geometry."""
    new = kab_code(k)
    dotted_old, dotted_new = KODE_KAB.replace(".", r"\."), new
    plain_old, plain_new = KODE_KAB.replace(".", ""), new.replace(".", "")
    out = shift_codes(frames, ((f"^{dotted_old}", dotted_new), (f"(^|[^0-9]){plain_old}", f"${{1}}{plain_new}")),
                      f"-{k:02d}", GESER_DERAJAT * (k - 1))
    out["wilayah"] = out["wilayah"].filter(pl.col("level") != "provinsi").with_columns(
        nama=pl.when(pl.col("level") == "kabkota").then(pl.lit(NAMA_KAB_K.format(k=k))).otherwise("nama"))
    return out


def shift_codes(frames: dict[str, pl.DataFrame], rules: tuple[tuple[str, str], ...], id_suffix: str,
                dx: float) -> dict[str, pl.DataFrame]:
    """Every area/facility code column (_KODE_COLS) rewritten by the regex `rules` (pattern, replacement),
    applied in order; child ids given `id_suffix`; facility points and boundaries moved `dx` degrees east.
    Shared by `recode` (a further kabupaten) and ilp.demo.besar (a second half merged into one kabupaten)."""
    out: dict[str, pl.DataFrame] = {}
    for table, f in frames.items():
        cols = []
        for c in f.columns:
            if c in _KODE_COLS and f.schema[c] == pl.String:
                e = pl.col(c)
                for pattern, repl in rules:
                    e = e.str.replace(pattern, repl)
                cols.append(e)
        if "id_anak" in f.columns:
            cols.append(pl.col("id_anak") + pl.lit(id_suffix))
        if "lon" in f.columns:
            cols.append(pl.col("lon") + dx)
        f = f.with_columns(cols) if cols else f
        if table == "batas_wilayah":
            geoms = shapely.transform(shapely.from_wkb(f["geom_wkb"].to_list()), lambda xy: xy + [dx, 0.0])
            f = f.with_columns(geom_wkb=pl.Series(shapely.to_wkb(geoms).tolist(), dtype=pl.Binary),
                               geojson=pl.Series([_shift_geojson(g, dx) for g in f["geojson"].to_list()]))
        out[table] = f
    return out


def _shift_geojson(text: str, dx: float) -> str:
    """The stored (simplified, rounded) map geometry moved east by dx degrees, same rounding."""
    import json
    g = shapely.from_geojson(text)
    moved = shapely.transform(g, lambda xy: xy + [dx, 0.0])
    return json.dumps(json.loads(shapely.to_geojson(moved, indent=None)), separators=(",", ":"))


def frames(n_kab: int = 3, seed: int = 2024, progress: Progress | None = None) -> dict[str, pl.DataFrame]:
    parts = []
    for k in range(1, n_kab + 1):
        f = generate(seed + k - 1, progress=progress)
        parts.append(f if k == 1 else recode(f, k))
    return {t: pl.concat([p[t] for p in parts], how="vertical_relaxed") for t in parts[0]}


def build(db_path: str | Path | None = None, n_kab: int = 3, seed: int = 2024,
          progress: Progress | None = None) -> dict[str, int]:
    """Provinsi Contoh with `n_kab` kabupaten into `db_path`; returns row counts per table. The database's
    own district (meta kode_kab) stays 99.01, so every page works; meta kode_prov / tingkat say it is a
    province database."""
    return write(db_path, frames(n_kab, seed, progress),
                 (("is_demo", "1"), ("kode_kab", KODE_KAB), ("nama_kab", NAMA_KAB),
                  ("kode_prov", KODE_PROV), ("nama_prov", NAMA_PROV), ("tingkat", "provinsi"),
                  ("data_per", DATA_PER.isoformat()), ("wilayah_versi", VERSI), ("demo_seed", str(int(seed))),
                  ("n_kabkota", str(n_kab))))
