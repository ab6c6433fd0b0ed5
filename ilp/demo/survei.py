"""Stage survei: invented district survey series and district targets."""
from __future__ import annotations

import numpy as np
import polars as pl

from ilp.demo.konstanta import KODE_KAB, NAMA_KAB, SUMBER_FIKTIF, SUMBER_SURVEI_DEMO, TARGET_KAB_DEMO


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
