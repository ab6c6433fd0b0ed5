"""Building the demo database: generate the stages in order, write them with ilp.db.upsert, move the file into place."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from ilp import config, db, fakta, reference
from ilp.demo.anak import _pengukuran, _rekap
from ilp.demo.faskes import _faskes, _ilp
from ilp.demo.geografi import _geografi
from ilp.demo.konstanta import DATA_PER, KODE_KAB, NAMA_KAB, VERSI
from ilp.demo.spm import _spm
from ilp.demo.survei import _survei_target
from ilp.demo.wilayah import _wilayah


Progress = Callable[[float, str], None]  # progress(fraction 0..1, i18n key of the stage)


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
    frames = generate(seed, progress=progress)
    _report(progress, 0.9, "demo.tahap.tulis")
    counts = write(db_path, frames, (("is_demo", "1"), ("kode_kab", KODE_KAB), ("nama_kab", NAMA_KAB),
                                     ("data_per", DATA_PER.isoformat()), ("wilayah_versi", VERSI),
                                     ("demo_seed", str(int(seed)))))
    _report(progress, 1.0, "demo.tahap.selesai")
    return counts


def write(db_path: str | Path | None, frames: dict[str, pl.DataFrame], meta: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Write generated frames and meta pairs into `db_path` in one transaction, with the facts computed at
    import (ilp.fakta), next to the target, then moved into place (a half-built database is never seen).
    Returns row counts per table."""
    final = config.db_path(db_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    for f in (tmp, Path(str(tmp) + ".wal")):
        if f.exists():
            f.unlink()
    try:
        con = db.connect(tmp)
        try:
            con.execute("begin transaction")
            for table, df in frames.items():
                db.upsert(con, table, df)
            reference.seed(con)
            for k, v in meta:
                db.set_meta(con, k, v)
            fakta.refresh(con)   # the facts computed at import (ilp/fakta.py), in the same transaction
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
    return counts


def _report(progress: Progress | None, fraction: float, key: str) -> None:
    if progress is not None:
        progress(fraction, key)


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
        "wilayah": w.wilayah,
        "batas_wilayah": w.batas,
        "faskes": fk.faskes,
        "wilayah_kerja": fk.wilayah_kerja,
        "tenaga": fk.tenaga,
        "ilp_puskesmas": ilp.ilp_puskesmas,
        "ilp_posyandu": ilp.ilp_posyandu,
        "sasaran": sas,
        "fakta_spm": fakta,
        "pengukuran": ukur,
        "rekap_stunting": rekap,
        "survei_stunting": survei,
        "target": target,
    }
