"""The indicator registry: SPM entries come from the reference list, flags, values, classes."""
from __future__ import annotations

import polars as pl
import pytest

from ilp import indicators, reference


def test_spm_indicators_come_from_the_reference_list():
    reg = indicators.registry()
    ref = reference.layanan_spm().sort("no")
    spm = [k for k, v in reg.items() if v.klaster == "SPM"]
    assert spm == ref["layanan"].to_list() and len(spm) == 12
    r = ref.row(7, named=True)
    ind = reg[r["layanan"]]
    assert ind.nama_id == f"SPM {r['no']}: {r['nama_id']}" and ind.nama_en == f"SPM {r['no']}: {r['nama_en']}"
    assert ind.filter_layanan == r["layanan"] and r["sasaran"] in ind.denominator_id
    assert indicators.PER_LAYANAN_SPM not in reg


def test_flags():
    assert indicators.headline_ids()[0] == "stunting_prevalensi"
    assert set(indicators.headline_ids()) <= set(indicators.map_choices())
    assert "spm01" in indicators.map_choices() and "spm01" not in indicators.headline_ids()


def test_compute_not_clipped_and_missing_is_null():
    ind = indicators.get("spm01")
    f = pl.DataFrame({"kode": ["a", "b", "c", "a"], "nama": ["A", "B", "C", "A"], "layanan": ["spm01"] * 3 + ["spm02"],
                      "pembilang": [120, 30, 5, 99], "sasaran": [100, 60, 0, 1]})
    out = indicators.compute(ind, f)
    assert out["nilai"].to_list() == [pytest.approx(120.0), pytest.approx(50.0), None]


def test_classes_half_open():
    ind = indicators.get("stunting_prevalensi")  # [0, 2.5, 10, 20, 30)
    cls = indicators.classify(ind, pl.Series([2.4999, 2.5, 19.99, 20.0, 45.0, None]))
    assert cls.to_list() == [0, 1, 2, 3, 4, -1]


def test_values_from_routine_stunting_uses_the_recap():
    """stunting_prevalensi reads ilp.stunting.routine: a recap-only district has map values."""
    kec = pl.DataFrame({"kode": ["k1", "k2"], "nama": ["K1", "K2"], "periode": ["2025-08"] * 2,
                        "diukur": [200, 0], "stunting": [30, 0], "pendek": [20, 0], "sangat_pendek": [10, 0],
                        "n_unit_lapor": [2, 0], "jenis_unit": ["puskesmas"] * 2, "sumber": ["x"] * 2})
    kab = pl.DataFrame({"periode": ["2025-08"], "diukur": [200], "stunting": [30], "n_puskesmas_lapor": [2],
                        "n_puskesmas": [2], "n_unit_lapor": [2], "jenis_unit": ["puskesmas"], "sumber": ["x"],
                        "nama_file": ["r.xlsx"]})
    tables = {"stunting/rekap_kab": kab, "stunting/rekap_kecamatan": kec}

    def run(key, **p):
        if key in tables:
            return tables[key]
        return pl.DataFrame(schema={"periode": pl.String, "diukur": pl.Int64, "stunting": pl.Int64})
    v = indicators.values(run, indicators.get("stunting_prevalensi"), kab="99.02")
    assert dict(zip(v["kode"], v["nilai"])) == {"k1": pytest.approx(15.0), "k2": None}
