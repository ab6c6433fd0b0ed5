"""The deterministic demo district "Kabupaten Contoh" (kode 99.01, Provinsi Contoh 99).

Everything here is invented (DATA CONTOH, fiktif) except the national reference rows (SPM services,
national targets and survey series), which are public figures seeded from data/reference by `ilp.reference`.

`build(db_path, seed)` generates a complete district (areas with irregular polygons, facility network,
staffing, ILP rollout, SPM numerators and denominators, child measurements, stunting recaps, survey
and target rows) into a DuckDB file. The same seed gives the same database content
(`ilp.db.table_checksums`). The file is written next to the target and moved into place with
`os.replace`, so a half-built demo is never seen.

A package with typed stages, run in this order by `pipeline.generate` (each stage a module; the outputs
are the dataclasses in `tahap`): geografi -> wilayah -> faskes (+ ilp) -> spm -> anak (measurements,
z-scores by ilp.anthro, recaps) -> survei. Constants are in `konstanta`.

Shapes follow the districts in DOMAIN.md section 9: 15-20 kecamatan, 200-300 desa/kelurahan,
~25 Puskesmas (about 8 rawat inap), a Pustu in ~80% of desa, 1-3 Posyandu per desa, a population of
~1 million. Child measurements are generated for every registered child of the district in the
February and August weighing rounds 2024-2026, so measurement coverage against the balita sasaran
looks like a real district's (~70-80%).
"""
from __future__ import annotations

from ilp.demo.pipeline import Progress, build, ensure_demo, generate
from ilp.demo.konstanta import (DATA_PER, KODE_KAB, KODE_PROV, NAMA_KAB, NAMA_PROV, PER_TANGGAL, RONDE, SALT,
                                SKALA_ANAK, SUMBER, SUMBER_FIKTIF, SUMBER_SURVEI_DEMO, TAHUN, TARGET_KAB_DEMO, VERSI)

__all__ = [
    "KODE_PROV", "NAMA_PROV", "KODE_KAB", "NAMA_KAB", "DATA_PER", "PER_TANGGAL", "RONDE", "TAHUN", "VERSI",
    "SUMBER", "SUMBER_FIKTIF", "SUMBER_SURVEI_DEMO", "TARGET_KAB_DEMO", "SALT", "SKALA_ANAK",
    "Progress", "build", "ensure_demo", "generate",
]
