"""Page-level data: cached queries combined with the pure core. No layout here."""
from __future__ import annotations

import polars as pl
import streamlit as st

from ui.common import data_stamp, q


def spm_years() -> pl.DataFrame:
    """Years with SPM reports and their last month (queries/spm/periode_tersedia.sql)."""
    return q("spm/periode_tersedia")


def spm_last_month(years: pl.DataFrame, tahun: int) -> int:
    """Last month with SPM reports in the year (12 when unknown)."""
    bl = years.filter(pl.col("tahun") == tahun)["bulan_terakhir"]
    return int(bl[0]) if bl.len() else 12


def district_targets(kab: str) -> pl.DataFrame:
    """The district's own stunting targets (editable on Kelola Data)."""
    return q("stunting/target", kab=kab).filter(pl.col("tingkat") == "kabkota").select("tahun", "nilai", "dasar", "sumber")


def frame(rows: list[dict]) -> pl.DataFrame:
    """Rows of text (a layout description, a checklist) as a frame of strings for ui.common.table."""
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame([{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows],
                        schema={k: pl.String for k in rows[0]})


@st.cache_data(show_spinner=False, max_entries=16)
def _province(prov: str, sumber: str, lang: str, stamp: tuple):
    from ilp import provinsi
    return provinsi.kabkota(q, prov, sumber=sumber, lang=lang)


def province(prov: str, lang: str, sumber: str = "PUSDATIN"):
    """ilp.provinsi.kabkota (table, routines) of the province, kept per data version (ui.common.data_stamp), so a
    rerun of the province page (language switch, a part) does not redo every kab/kota's routine rules."""
    return _province(prov, sumber, lang, data_stamp())
