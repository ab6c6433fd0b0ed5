"""Rankings a meeting can argue with: equal scores share a rank ('min' ranks: 1, 2, 2, 4), a top-N cut never
silently splits a tie, and the rule is a sentence (locale key `metode.aturan_peringkat`). Pure Polars."""
from __future__ import annotations

from typing import NamedTuple

import polars as pl

ATURAN_KEY = "metode.aturan_peringkat"  # the printed rule, with {n} for the cut


def rank_with_ties(df: pl.DataFrame, score_cols: str | list[str], descending: bool | list[bool] = True,
                   name: str = "peringkat", decimals: int | None = None) -> pl.DataFrame:
    """Adds `name`: 1 for the best row. Rows are ordered by `score_cols` in turn (the later columns break ties of
    the earlier ones); rows equal on every score column share the lowest rank of their block (1, 2, 2, 4).
    A row with a missing score is not ranked (null rank) and sorts last. With `decimals`, scores are compared as
    shown (rounded to that many decimals), so two rows that read 25,0% share a rank. Returns the frame sorted by rank."""
    cols = [score_cols] if isinstance(score_cols, str) else list(score_cols)
    desc = [descending] * len(cols) if isinstance(descending, bool) else list(descending)
    if len(desc) != len(cols):
        raise ValueError("descending needs one flag per score column")
    keys = [f"__skor{i}" for i in range(len(cols))]
    as_shown = [(pl.col(c).round(decimals) if decimals is not None else pl.col(c)).alias(k)
                for c, k in zip(cols, keys)]
    missing = pl.any_horizontal([pl.col(c).is_null() for c in cols])
    idx = "__urut"
    s = (df.with_columns(*as_shown, __kosong=missing)
           .sort(["__kosong", *keys], descending=[False, *desc], nulls_last=True, maintain_order=True)
           .with_row_index(idx, offset=1))
    # the first position of each block of equal scores is the block's rank
    first = pl.col(idx).min().over(keys)
    return (s.with_columns(pl.when(~pl.col("__kosong")).then(first).cast(pl.Int64).alias(name))
             .drop(idx, "__kosong", *keys))


class TopN(NamedTuple):
    rows: pl.DataFrame      # every row with rank <= n: all rows tied at the cut are in
    diminta: int            # n asked for
    tambahan: int           # rows beyond n because of a tie at the cut (0 when the cut is clean)
    peringkat_batas: int | None  # rank of the last row shown


def top_n_with_ties(df: pl.DataFrame, n: int = 5, rank_col: str = "peringkat") -> TopN:
    """The top `n` by an existing 'min' rank column, widened to keep every row tied at the cut.
    `rows` gets a boolean `seri_di_batas` marking the rows tied at the last rank shown when the cut was widened."""
    if n < 1:
        raise ValueError("n must be >= 1")
    ranked = df.filter(pl.col(rank_col).is_not_null()).sort(rank_col, maintain_order=True)
    top = ranked.filter(pl.col(rank_col) <= n)
    extra = max(0, top.height - n)
    last = top[rank_col].max() if top.height else None
    tied = (pl.col(rank_col) == last) if (extra > 0 and last is not None) else pl.lit(False)
    top = top.with_columns(seri_di_batas=tied)
    return TopN(rows=top, diminta=n, tambahan=extra, peringkat_batas=last)
