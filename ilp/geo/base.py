"""Shared constants of the boundary modules and GeoError (a boundary file that cannot be used)."""
from __future__ import annotations


LEVELS = ("kecamatan", "desa")
PARENT_LEVEL = {"kecamatan": "kabkota", "desa": "kecamatan"}

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # largest total uncompressed size accepted from a .zip
MAX_ZIP_MEMBERS = 1_000
COORD_DECIMALS = 5                           # ~1.1 m at the equator
MAP_TOLERANCE = {"kecamatan": 0.0005, "desa": 0.0003}   # degrees (~55 m / ~33 m), coverage simplification
MAP_BUDGET_BYTES = {"kecamatan": 300_000, "desa": 1_500_000}  # map payload per kab/kota
# a province-wide map (all its kab/kota at once): one budget for the whole layer, not one per kab/kota
MAP_BUDGET_PROVINSI_BYTES = {"kabkota": 150_000, "kecamatan": 500_000}
MAP_TOLERANCE_PROVINSI = {"kabkota": 0.002, "kecamatan": 0.001}
NEAREST_MAX_M = 2_000.0                      # place_points: nearest-polygon fallback radius
FUZZY_THRESHOLD = 90.0                       # rapidfuzz ratio (0-100) for 'nama_fuzzy'
EQUAL_AREA_CRS = "EPSG:6933"                 # for luas_km2


class GeoError(ValueError):
    """A boundary file that cannot be used; `msg` (an ilp.ingest.base.Msg, keys impor.geo.*) says why, rendered in
    the reader's language; `pesan` / `message` are its Indonesian / English text."""

    def __init__(self, msg):
        super().__init__(msg.key)
        self.msg = msg
