"""What a new district has loaded so far (Kelola Data checklist) and the 'data per' period.

Input is the frame of queries/quality/checklist_kab.sql (one row per item, in checklist order).
Texts are message keys (kelola_cek.<item>, kelola_cek.langkah_<item>), rendered by the page with t()."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ilp.ingest.base import Msg

# items whose periods are the data's own period (staff snapshots, targets and surveys are not)
DATA_PERIOD_ITEMS = ("spm", "stunting")


@dataclass(frozen=True)
class Item:
    item: str
    label: Msg
    rows: int
    period_from: str | None
    period_to: str | None
    loaded: object            # datetime of the latest successful import of this kind, or None
    done: bool
    next_step: Msg | None     # what to do when nothing is loaded yet


def items(df: pl.DataFrame) -> list[Item]:
    out = []
    for r in df.sort("urut").iter_rows(named=True):
        done = (r["baris"] or 0) > 0
        out.append(Item(r["item"], Msg(f"kelola_cek.{r['item']}"), int(r["baris"] or 0), r["periode_awal"],
                        r["periode_akhir"], r["dimuat"], done,
                        None if done else Msg(f"kelola_cek.langkah_{r['item']}")))
    return out


def first_missing(its: list[Item]) -> Item | None:
    return next((i for i in its if not i.done), None)


def latest_period(df: pl.DataFrame) -> str | None:
    """'YYYY-MM' of the newest SPM month or weighing round loaded; None when neither is loaded."""
    if df.height == 0:
        return None
    p = df.filter(pl.col("item").is_in(DATA_PERIOD_ITEMS))["periode_akhir"].drop_nulls()
    return max(p.to_list()) if p.len() else None
