"""The Ringkasan content model (ilp.content, ilp.summary): one build for the page and the briefing;
a recap-only district gets its routine stunting figure, map, ranking and trend. Fixture database."""
from __future__ import annotations

import polars as pl
import pytest

from ilp import briefing, content, db, summary

KAB = "99.02"


def _run(con):
    return lambda key, **p: db.run(con, key, **p)


@pytest.fixture
def recap_only(fixture_copy):
    """The fixture district without child measurements: only its Puskesmas recap of Februari 2026
    (PK1 in Alpha: 12 measured, 3 pendek + 1 sangat pendek; PK2 in Beta: 5 measured, none stunted)."""
    fixture_copy.execute("delete from pengukuran")
    return fixture_copy


def test_status_rule():
    assert summary.status(14.0, 14.0, "turun", 3.0) == "hijau"
    assert summary.status(16.9, 14.0, "turun", 3.0) == "kuning"
    assert summary.status(17.1, 14.0, "turun", 3.0) == "merah"
    assert summary.status(85.0, 100.0, "naik", 20.0) == "kuning"
    assert summary.status(None, 14.0, "turun", 3.0) == "abu"
    assert summary.status(20.0, None, "turun", 3.0) == "abu"


def test_one_status_colour_set():
    assert briefing.STATUS_RGB == {k: c for k, (c, _) in summary.STATUS_STYLE.items()}
    from ui import cards  # noqa: F401  (the web cards import the same set)
    assert cards.STATUS_STYLE is summary.STATUS_STYLE


def test_recap_only_district_cards_map_ranking(recap_only):
    m = content.build(_run(recap_only), KAB, "id")
    assert m.routine.source == "rekap"
    card = next(c for c in m.cards if c["key"] == "stunting_rutin")
    assert card["value"] == pytest.approx(100 * 4 / 17)
    assert card["text"] == "23,5%"
    assert "rekap Puskesmas" in card["label"] and "Februari 2026" in card["source"]
    assert m.map.periode == "2026-02"
    vals = dict(zip(m.map.classed["kode"], m.map.classed["nilai"]))
    assert vals["99.02.01"] == pytest.approx(100 * 4 / 12) and vals["99.02.02"] == pytest.approx(0.0)
    assert "rekap Puskesmas" in m.map.source
    prio = dict(zip(m.ranking["kode"], m.ranking["prevalensi_pct"]))
    assert prio["99.02.01"] == pytest.approx(100 * 4 / 12)
    assert m.trend.series["periode"].to_list() == ["2026-02"]
    assert m.trend.projection is None          # one round: no trend line, no projection
    en = content.build(_run(recap_only), KAB, "en")
    assert "Puskesmas recap" in next(c for c in en.cards if c["key"] == "stunting_rutin")["label"]


def test_briefing_reads_the_same_model(recap_only):
    d = briefing.collect(recap_only, KAB, "id")
    m = content.build(_run(recap_only), KAB, "id")
    assert [(c["key"], c["text"], c["source"]) for c in d["headlines"]] == \
        [(c["key"], c["text"], c["source"]) for c in m.cards]
    assert d["priority"].equals(m.ranking)
    assert d["periode"] == m.map.periode == "2026-02"
    assert "rekap Puskesmas" in d["routine_label"]
    # 'data per' is the latest period of the data when the database sets no date
    assert briefing.data_per_text({**d, "data_per": None}) == "Februari 2026"


def test_no_inf_nan_or_none_on_cards(fixture_con):
    for lang in ("id", "en"):
        for c in content.build(_run(fixture_con), KAB, lang).cards:
            for k in ("text", "target_text", "source", "label"):
                s = str(c.get(k) or "")
                assert "nan" not in s.lower().split() and "inf" not in s.lower().split() and "None" not in s
                assert "–%" not in s
