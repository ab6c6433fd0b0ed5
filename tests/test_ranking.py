"""Equal scores share a rank; a top-five cut keeps every row tied at the cut and says how many extra."""
import polars as pl
import pytest

from ilp import i18n, ranking


def test_equal_scores_share_the_lowest_rank():
    df = pl.DataFrame({"nama": list("ABCDE"), "skor": [30.0, 25.0, 25.0, 10.0, None]})
    r = ranking.rank_with_ties(df, "skor")
    assert r["nama"].to_list() == ["A", "B", "C", "D", "E"]
    assert r["peringkat"].to_list() == [1, 2, 2, 4, None]  # a missing score is not ranked


def test_later_columns_break_ties_and_directions_per_column():
    df = pl.DataFrame({"nama": list("ABCD"), "prev": [20.0, 20.0, 20.0, 15.0], "pustu": [50.0, 40.0, 50.0, 10.0]})
    # higher prevalence first; among equals, lower pustu coverage first (more need)
    r = ranking.rank_with_ties(df, ["prev", "pustu"], descending=[True, False])
    got = dict(zip(r["nama"], r["peringkat"]))
    assert got == {"B": 1, "A": 2, "C": 2, "D": 4}
    with pytest.raises(ValueError):
        ranking.rank_with_ties(df, ["prev", "pustu"], descending=[True])


def test_ascending_rank():
    df = pl.DataFrame({"x": [3, 1, 1, 2]})
    assert ranking.rank_with_ties(df, "x", descending=False)["peringkat"].to_list() == [1, 1, 3, 4]


def test_top_five_never_splits_a_tie():
    df = pl.DataFrame({"nama": list("ABCDEFGH"), "skor": [9, 8, 7, 6, 5, 5, 5, 1]})
    top = ranking.top_n_with_ties(ranking.rank_with_ties(df, "skor"), 5)
    assert top.rows["nama"].to_list() == ["A", "B", "C", "D", "E", "F", "G"]
    assert top.tambahan == 2 and top.peringkat_batas == 5 and top.diminta == 5
    assert top.rows["seri_di_batas"].to_list() == [False] * 4 + [True] * 3


def test_tie_that_starts_before_the_cut_is_kept_whole():
    df = pl.DataFrame({"skor": [9, 8, 7, 7, 7, 7, 7, 1]})
    top = ranking.top_n_with_ties(ranking.rank_with_ties(df, "skor"), 5)
    assert top.rows.height == 7 and top.tambahan == 2 and top.peringkat_batas == 3


def test_clean_cut_and_short_lists():
    df = pl.DataFrame({"skor": [9, 8, 7, 6, 5, 4]})
    top = ranking.top_n_with_ties(ranking.rank_with_ties(df, "skor"), 5)
    assert top.rows.height == 5 and top.tambahan == 0 and not top.rows["seri_di_batas"].any()
    short = ranking.top_n_with_ties(ranking.rank_with_ties(df.head(2), "skor"), 5)
    assert short.rows.height == 2 and short.tambahan == 0
    empty = ranking.top_n_with_ties(ranking.rank_with_ties(df.head(0), "skor"), 5)
    assert empty.rows.height == 0 and empty.peringkat_batas is None


def test_rule_is_a_sentence_in_both_languages():
    for lang in ("id", "en"):
        text = i18n.t(ranking.ATURAN_KEY, lang, n=5)
        assert "5" in text and text != ranking.ATURAN_KEY


def test_scores_equal_as_shown_share_a_rank():
    df = pl.DataFrame({"nama": list("ABC"), "skor": [25.04, 24.96, 20.0]})
    assert ranking.rank_with_ties(df, "skor")["peringkat"].to_list() == [1, 2, 3]
    r = ranking.rank_with_ties(df, "skor", decimals=1)
    assert r["peringkat"].to_list() == [1, 1, 3] and r["skor"].to_list() == [25.04, 24.96, 20.0]
