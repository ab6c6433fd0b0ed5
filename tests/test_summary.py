"""The Ringkasan content model (ilp.content, ilp.summary): one build for the page and the briefing;
a recap-only district gets its routine stunting figure, map, ranking and trend. Fixture database."""
from __future__ import annotations

import polars as pl
import pytest

from ilp import briefing, content, db, summary

KAB = "99.02"


def _run(con):
    return lambda key, **p: db.run(con, key, **p)


@pytest.fixture(scope="module")
def recap_only_db(fixture_db, tmp_path_factory):
    """The fixture district without child measurements: only its Puskesmas recap of Februari 2026
    (PK1 in Alpha: 12 measured, 3 pendek + 1 sangat pendek; PK2 in Beta: 5 measured, none stunted).
    Built once for the module; the tests only read it."""
    from tests.conftest import open_copy
    path = tmp_path_factory.mktemp("recap_only") / "db.duckdb"
    c = open_copy(fixture_db, path)
    c.execute("delete from pengukuran")
    c.close()
    return path


@pytest.fixture
def recap_only(recap_only_db):
    con = db.connect(recap_only_db, read_only=True)
    yield con
    con.close()


def _models(path):
    """content.build per language on a read-only database: the page's model, built once per module and read by
    several tests (a build asks ~20 questions)."""
    con = db.connect(path, read_only=True)
    try:
        return {lang: content.build(_run(con), KAB, lang) for lang in ("id", "en")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def recap_only_models(recap_only_db):
    return _models(recap_only_db)


@pytest.fixture(scope="module")
def fixture_models(fixture_db):
    return _models(fixture_db)


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


def test_recap_only_district_cards_map_ranking(recap_only_models):
    m = recap_only_models["id"]
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
    en = recap_only_models["en"]
    assert "Puskesmas recap" in next(c for c in en.cards if c["key"] == "stunting_rutin")["label"]


def test_briefing_reads_the_same_model(recap_only, recap_only_models):
    d = briefing.collect(recap_only, KAB, "id")
    m = recap_only_models["id"]
    assert [(c["key"], c["text"], c["source"]) for c in d["headlines"]] == \
        [(c["key"], c["text"], c["source"]) for c in m.cards]
    assert d["priority"].equals(m.ranking)
    assert d["periode"] == m.map.periode == "2026-02"
    assert "rekap Puskesmas" in d["routine_label"]
    # 'data per' is the latest period of the data when the database sets no date
    assert briefing.data_per_text({**d, "data_per": None}) == "Februari 2026"


def test_no_inf_nan_or_none_on_cards(fixture_models):
    for lang in ("id", "en"):
        for c in fixture_models[lang].cards:
            for k in ("text", "target_text", "source", "label"):
                s = str(c.get(k) or "")
                assert "nan" not in s.lower().split() and "inf" not in s.lower().split() and "None" not in s
                assert "–%" not in s


from ilp import stunting  # noqa: E402


def _net(rows):
    return pl.DataFrame(rows, schema=["kode", "nama", "n_desa", "desa_dengan_pustu", "n_pustu", "pustu_lengkap",
                                      "pustu_ada_data_tenaga"], orient="row")


def test_priority_ties_share_a_rank_and_the_cut_keeps_them():
    net = _net([("A", "Aa", 4, 2, 2, 1, 2), ("B", "Bb", 4, 2, 2, 1, 2), ("C", "Cc", 4, 2, 2, 1, 2),
                ("D", "Dd", 4, 4, 4, 4, 4)])
    kec = pl.DataFrame({"kode": ["A", "B", "C", "D"], "nama": ["Aa", "Bb", "Cc", "Dd"], "periode": ["2025-08"] * 4,
                        "diukur": [100] * 4, "stunting": [30, 30, 30, 10]}).with_columns(
        prevalensi_pct=pl.col("stunting") * 1.0)
    series = pl.DataFrame({"periode": ["2025-08"], "diukur": [400], "stunting": [100], "prevalensi_pct": [25.0],
                           "status": [stunting.LENGKAP]})
    r = stunting.Routine("rekap", series, kec, pl.DataFrame())
    tables = {"ilp/jaringan_kecamatan": net, "spm/periode_tersedia": pl.DataFrame(schema={"tahun": pl.Int64})}
    pr = summary.priority_kecamatan(lambda key, **p: tables[key], KAB, n=2, routine=r)
    # A, B, C: worst on stunting (30%), Pustu (50%) and staffing (50%): rank 1 on each, score 1; D: 4 on each
    assert pr["kode"].to_list() == ["A", "B", "C"]           # the top 2 holds all three tied at the cut
    assert pr["peringkat"].to_list() == [1, 1, 1] and pr["seri_di_batas"].all()
    assert pr["r_stunting"].to_list() == [1, 1, 1] and pr["skor"].to_list() == [1.0, 1.0, 1.0]
    full = summary.priority_kecamatan(lambda key, **p: tables[key], KAB, n=0, routine=r)
    assert full["peringkat"].to_list() == [1, 1, 1, 4]
    # on screen: each figure with its own rank beside it, the score with two decimals, no SPM data reads '–'
    view = content.priority_view(full, "id")
    assert view.row(3) == (4, "Dd", "10,0% (#4)", "100,0% (#4)", "100,0% (#4)", "–", "4,00")
    assert content.priority_tie_note(pr, "id", n=2) == "1 kecamatan tambahan karena seri di peringkat 1."
    # the quality mark sits right after the stunting figure; a kecamatan without a mark reads empty
    marks = pl.DataFrame({"tingkat": ["kecamatan", "puskesmas"], "kode": ["B", "D"], "mutu": ["tinggi dibulatkan", "x"]})
    mv = content.priority_view(full, "id", marks)
    assert mv.columns[3] == "Mutu data"
    assert mv["Mutu data"].to_list() == ["", "⚠ tinggi dibulatkan", "", ""]


def test_spm_card_capped_mean_ytd_path_and_missing_sasaran():
    cap = pl.DataFrame({
        "kode_puskesmas": ["PK1", "PK2", "PK1", "PK2", "PK1", "PK2"], "kode_kec": ["A", "B"] * 3,
        "layanan": ["spm01", "spm01", "spm02", "spm02", "spm03", "spm03"], "no": [1, 1, 2, 2, 3, 3],
        "nama_id": ["Satu", "Satu", "Dua", "Dua", "Tiga", "Tiga"], "nama_en": ["One", "One", "Two", "Two", "Three", "Three"],
        "pembilang": [30, 50, 150, 0, 5, 5], "sasaran": [100, None, 100, None, None, None]})
    card = summary.spm_card(lambda key, **p: cap, KAB, "id", "PUSDATIN", (2026, 3))
    # spm01: PK2 has no sasaran -> out of numerator and denominator: 30/100 = 30%; spm02: 150% (kept as is),
    # counted 100 inside the mean; spm03: no sasaran at all -> out of the mean. Mean = (30 + 100) / 2 = 65
    assert card["value"] == pytest.approx(65.0) and card["text"] == "65,0%"
    assert card["target"] == pytest.approx(25.0)            # March: 3/12 of the year
    assert card["status"] == "hijau" and card["status_text"] == "sesuai jalur"
    assert "1 Puskesmas tanpa sasaran" in " ".join(card["notes"])
    assert "1 layanan tanpa sasaran" in " ".join(card["notes"])
    assert "100%" in card["basis"]
    assert [w[0] for w in card["weakest"]][0] == "Satu"
    none = summary.spm_card(lambda key, **p: cap.with_columns(sasaran=pl.lit(None, pl.Int64)), KAB, "id", "PUSDATIN",
                            (2026, 3))
    assert none["value"] is None and none["text"] == "tidak ada sasaran" and none["status"] == "abu"


def test_routine_card_says_how_it_is_judged(fixture_models):
    card = next(c for c in fixture_models["id"].cards if c["key"] == "stunting_rutin")
    # the fixture has one complete round and no routine target: judged by its own pace, which needs 3 rounds
    assert card["status"] == "abu" and card["status_text"] == "data belum cukup"
    assert card["target"] is None and "laju penurunannya sendiri" in card["basis"]
    assert len(card["label"].split()) + len(card["text"].split()) + len(card["target_text"].split()) <= 14
    survey = next(c for c in fixture_models["id"].cards if c["key"] == "stunting_survei")
    assert survey["target"] == 14.0 and survey["status"] == "merah"   # 21.0 vs national 14.0 for 2024


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    c = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_status_colours_meet_wcag_aa_on_the_cards():
    # WCAG 2 relative luminance; status words and figures are text in these colours on the card backgrounds
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    for bg in (summary.CARD_BG, "#f6f7f8"):              # web card, PDF/slide card
        for key, (colour, _) in summary.STATUS_STYLE.items():
            assert _contrast(colour, bg) >= 4.5, (key, colour, bg)


def test_cards_are_short_with_a_footnote(fixture_models):
    for c in fixture_models["id"].cards:
        words = " ".join([c["label"], c["text"], c.get("status_text") or "", c.get("target_text") or ""]).split()
        assert len(words) <= 16, (c["key"], words)   # about a dozen words on the card itself
        assert c["source"] and c.get("status_text"), c["key"]


def test_headline_target_comes_from_the_target_table(fixture_copy):
    # a district target for 'desa_dengan_pustu' replaces the registry's default 100%
    fixture_copy.execute("insert into target values ('desa_dengan_pustu', 2026, 'kabkota', '99.02', 90.0, 'Renstra Uji', null, null)")
    cards = {c["key"]: c for c in content.build(_run(fixture_copy), KAB, "id").cards}
    c = cards["desa_dengan_pustu"]
    # 3 of 4 desa = 75%: 15 points short of 90 is within ambang_kuning (20) -> kuning, "Dekat target"
    assert c["value"] == pytest.approx(75.0) and c["target"] == 90.0
    assert c["status"] == "kuning" and c["status_text"] == "Dekat target"
    assert cards["pustu_lengkap"]["target"] == 100.0           # no row in the table: the registry's default
    # a district routine target is what the routine card is judged by
    fixture_copy.execute("insert into target values ('stunting_prevalensi_rutin', 2026, 'kabkota', '99.02', 30.0, 'Perbup Uji', null, null)")
    r = {c["key"]: c for c in content.build(_run(fixture_copy), KAB, "id").cards}["stunting_rutin"]
    assert r["target"] == 30.0 and r["status"] == "hijau" and r["status_text"] == "target tercapai"
    assert "target data rutin" in r["basis"]
