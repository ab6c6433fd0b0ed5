"""Typed outputs of the demo generator's stages (geografi -> wilayah -> faskes -> ilp -> spm -> anak -> survei)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl


@dataclass(frozen=True)
class Geografi:
    """Stage 1: the district outline, fine Voronoi cells and their kecamatan/desa assignment (local km)."""
    outline: np.ndarray
    cells: np.ndarray
    desa_geom: np.ndarray
    desa_kec: np.ndarray
    kec_geom: np.ndarray
    kec_seed_km: np.ndarray
    n_kec: int
    town_kec: int
    second_kec: int


@dataclass(frozen=True)
class Wilayah:
    """Stage 2: kecamatan and desa (codes, names, polygons, population)."""
    wilayah: pl.DataFrame
    batas: pl.DataFrame
    kec_kode: list
    kec_no: Any
    kec_names: list
    desa_kode: list
    desa_names: list
    desa_kec: np.ndarray
    is_kel: np.ndarray
    desa_geom: np.ndarray
    rep_km: np.ndarray
    capital: Any
    pop2024: np.ndarray
    town: Any
    second: Any
    n_kec: int
    n_desa: int


@dataclass(frozen=True)
class Faskes:
    """Stage 3: the facility network, catchments and staffing."""
    faskes: pl.DataFrame
    wilayah_kerja: pl.DataFrame
    tenaga: pl.DataFrame
    pkm_kode: list
    pk_kec: Any
    pk_seat: Any
    ranap: Any
    catch: np.ndarray
    posy_kode: Any
    posy_desa: np.ndarray
    posy_day: Any


@dataclass(frozen=True)
class Ilp:
    """Stage 4: ILP rollout per Puskesmas and Posyandu status."""
    ilp_puskesmas: pl.DataFrame
    ilp_posyandu: pl.DataFrame
    tahap: Any
    mulai: Any
