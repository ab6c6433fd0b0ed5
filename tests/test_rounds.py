"""ilp.rounds: 'lengkap' or 'sementara' by the documented rule (setting round_min_share), hand-computed shares."""
import polars as pl
import pytest

from ilp import config, rounds


def _child(rows):
    return pl.DataFrame(rows, schema=["periode", "jenis", "n_desa_lapor", "n_desa", "n_puskesmas_lapor", "n_puskesmas"],
                        orient="row")


def test_default_setting_is_documented_in_the_registry(monkeypatch):
    monkeypatch.delenv("ILP_ROUND_MIN_SHARE", raising=False)
    assert config.SETTINGS["round_min_share"].env == "ILP_ROUND_MIN_SHARE"
    assert rounds.min_share() == 0.8


def test_three_of_328_desa_is_provisional(monkeypatch):
    monkeypatch.delenv("ILP_ROUND_MIN_SHARE", raising=False)
    df = _child([
        ("2025-02", "ronde", 3, 328, 1, 25),     # 3/328 = 0.0091 -> sementara
        ("2025-08", "ronde", 300, 328, 20, 25),  # 0.9146 and exactly 0.80 -> lengkap (the bound is included)
        ("2026-02", "ronde", 300, 328, 19, 25),  # desa fine, Puskesmas 0.76 -> sementara
        ("2026-08", "ronde", 262, 328, 25, 25),  # desa 0.7988 -> sementara
        ("2024-06", "kampanye", 328, 328, 25, 25),
    ])
    out = rounds.classify(df)
    assert out["share_desa"].to_list() == pytest.approx([3 / 328, 300 / 328, 300 / 328, 262 / 328, 1.0])
    assert out["share_puskesmas"].to_list() == pytest.approx([0.04, 0.8, 0.76, 1.0, 1.0])
    assert out["status"].to_list() == ["sementara", "lengkap", "sementara", "sementara", "lengkap"]
    # a campaign month is not a round: never listed as a complete round
    assert rounds.complete_periods(out) == ["2025-08"]
    assert rounds.complete_periods(df) == ["2025-08"]  # classifies when not yet classified


def test_no_denominator_is_provisional_not_an_error():
    out = rounds.classify(_child([("2026-02", "ronde", 0, 0, 0, 0), ("2026-08", "ronde", 2, None, 1, 1)]))
    assert out["share_desa"].to_list() == [None, None]
    assert out["status"].to_list() == ["sementara", "sementara"]


def test_recaps_by_puskesmas_reported():
    rekap = pl.DataFrame({"periode": ["2025-02", "2025-08"], "n_puskesmas_lapor": [20, 3], "n_puskesmas": [25, 25]})
    out = rounds.classify(rekap)
    assert out["status"].to_list() == ["lengkap", "sementara"]
    assert out["share_desa"].to_list() == [None, None]
    assert rounds.complete_periods(out) == ["2025-02"]


def test_setting_changes_the_rule(monkeypatch):
    monkeypatch.setenv("ILP_ROUND_MIN_SHARE", "0.9")
    rekap = pl.DataFrame({"periode": ["2025-02"], "n_puskesmas_lapor": [20], "n_puskesmas": [25]})
    assert rounds.classify(rekap)["status"].to_list() == ["sementara"]
    assert rounds.classify(rekap, threshold=0.5)["status"].to_list() == ["lengkap"]
