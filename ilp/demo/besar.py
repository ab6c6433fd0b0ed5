"""A big kabupaten for the scale benchmark (issue 14): two demo districts merged into one Kabupaten Contoh.

`frames(seeds, salinan)` generates the demo district once per seed; the first stays kab 99.01 as it is, every
further one is merged INTO 99.01 as extra kecamatan: its kecamatan 99.01.xx become 99.01.(xx + 50 * i) (desa,
Puskesmas, Pustu, Posyandu, hospital and every other code built on them shift with them, through
`ilp.demo.provinsi.shift_codes`), its kecamatan are named "<name> Timur", its map and facility points lie
`GESER_DERAJAT` east of the first, its child ids get a suffix, and its kab/province rows, survey and target
rows (already given by the first) are dropped. The children are then replicated `salinan` times (each copy
its own child ids, same desa and Posyandu), so two seeds x 6 copies give 34 kecamatan, 519 desa and
4.61 M measurements. `build(path, ...)` writes it through ilp.demo.pipeline.write (facts computed as at import).
Not the default demo; used by benchmarks/scale.py.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ilp.demo.konstanta import DATA_PER, KODE_KAB, NAMA_KAB, VERSI
from ilp.demo.pipeline import Progress, generate, write
from ilp.demo.provinsi import GESER_DERAJAT, shift_codes

LANGKAH_KEC = 50                 # the i-th merged half's kecamatan xx becomes xx + 50 * i
AKHIRAN_NAMA_KEC = " Timur"      # its kecamatan names get this suffix (the name pools are shared by every seed)
_TANPA = ("survei_stunting", "target")   # kab-level rows: given once, by the first half


def merge_rules(i: int) -> tuple[tuple[str, str], ...]:
    """Regex rules moving kecamatan 99.01.xx to 99.01.(xx + 50 i), in dotted codes (99.01.03.2001) and in the
    undotted facility codes (P9901030101, PSY-9901032001-01, RS-9901-01 -> RS-9901-51). Demo kecamatan are
    numbered below 50 (at most 25), so only the tens digit changes; i must be 1 (one merged half: 50..99)."""
    if i != 1:
        raise ValueError("only one half can be merged (kecamatan codes are two digits)")
    dotted = KODE_KAB.replace(".", r"\.")
    plain = KODE_KAB.replace(".", "")
    rules = []
    for d in range(5):
        rules.append((f"^{dotted}\\.{d}", f"{KODE_KAB}.{d + 5}"))
        rules.append((f"(^|[^0-9]){plain}(-?){d}", f"${{1}}{plain}${{2}}{d + 5}"))
    return tuple(rules)


def merge_half(f: dict[str, pl.DataFrame], i: int = 1) -> dict[str, pl.DataFrame]:
    """A generated demo district as the i-th extra half of kab 99.01 (see the module docstring)."""
    f = {t: df for t, df in f.items() if t not in _TANPA}
    out = shift_codes(f, merge_rules(i), f"-b{i}", GESER_DERAJAT * i)
    out["wilayah"] = out["wilayah"].filter(pl.col("level").is_in(["kecamatan", "desa"])).with_columns(
        nama=pl.when(pl.col("level") == "kecamatan").then(pl.col("nama") + AKHIRAN_NAMA_KEC).otherwise("nama"))
    return out


def replicate(pengukuran: pl.DataFrame, salinan: int) -> pl.DataFrame:
    """The measurements `salinan` times, copy c >= 1 with child ids suffixed '-xNN' (copy 0 unchanged)."""
    return pl.concat([pengukuran] + [pengukuran.with_columns(pl.col("id_anak") + pl.lit(f"-x{c:02d}"))
                                     for c in range(1, salinan)])


def frames(seeds: tuple[int, ...] = (2024, 3031), salinan: int = 6,
           progress: Progress | None = None) -> dict[str, pl.DataFrame]:
    parts = [generate(seeds[0], progress=progress)]
    for i, s in enumerate(seeds[1:], start=1):
        parts.append(merge_half(generate(s, progress=progress), i))
    out = {t: pl.concat([p[t] for p in parts if t in p], how="vertical_relaxed") for t in parts[0]}
    out["pengukuran"] = replicate(out["pengukuran"], salinan)
    return out


def build(db_path: str | Path, seeds: tuple[int, ...] = (2024, 3031), salinan: int = 6,
          progress: Progress | None = None) -> dict[str, int]:
    """The big kabupaten into `db_path`; returns row counts per table (ilp.demo.pipeline.write)."""
    return write(db_path, frames(seeds, salinan, progress),
                 (("is_demo", "1"), ("kode_kab", KODE_KAB), ("nama_kab", NAMA_KAB),
                  ("data_per", DATA_PER.isoformat()), ("wilayah_versi", VERSI),
                  ("demo_seed", ",".join(str(int(s)) for s in seeds)), ("skala_bench", str(int(salinan)))))
