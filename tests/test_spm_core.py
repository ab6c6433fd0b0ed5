"""ilp/spm.py: per-service totals, headline, matrix and heatmap with hand-computed answers (above 100% kept)."""
import polars as pl

from ilp import db, spm
from tests.conftest import KAB


def _cap(con, bulan=3, sumber="PUSDATIN"):
    return db.run(con, "spm/capaian_puskesmas", kab=KAB, tahun=2026, bulan=bulan, sumber_sasaran=sumber)


def test_services_and_headline_on_fixture(fixture_con):
    per = spm.services(_cap(fixture_con))
    got = dict(zip(per["layanan"].to_list(), per["capaian_pct"].to_list()))
    # PK1 spm01: (30 + 25 + 40) / 100 = 95%; PK2 spm08: 70 / 50 = 140% (not clipped)
    assert got["spm01"] == 95.0 and got["spm08"] == 140.0
    head = spm.headline(per, "id")
    # mean over services with a figure, each capped at 100 inside the mean: (95 + 100) / 2
    assert head["rata2_pct"] == 97.5
    assert head["terlemah"][0][1] == 95.0
    assert spm.headline(per, "en")["terlemah"][0][0] == per.filter(pl.col("layanan") == "spm01")["nama_en"][0]


def test_matrix_and_heatmap_keep_values_above_100(fixture_con):
    cap = _cap(fixture_con, bulan=1)
    mat = spm.matrix(cap)
    row = mat.filter(pl.col("puskesmas") == "Puskesmas Beta").row(0, named=True)
    assert row["8"] == 140.0
    fig = spm.heatmap(cap, "id")
    texts = [c for r in fig.data[0].text for c in r]
    assert "140" in texts and "–" in texts                   # shown, not clipped; missing is '–', not 0
    assert "8. " in spm.legend_text(spm.services(cap), "id")


def test_no_sasaran_and_trend(fixture_con):
    assert spm.no_sasaran(_cap(fixture_con, sumber="RIIL"))
    assert not spm.no_sasaran(_cap(fixture_con))
    tr = db.run(fixture_con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")
    assert spm.trend_figure(tr, [], "id") is None
    name = tr["nama_id"][0]
    fig = spm.trend_figure(tr, [name], "id")
    assert fig is not None and any(s.y is not None for s in fig.data)
    assert spm.name_col("en") == "nama_en" and spm.name_col("xx") == "nama_id"


def test_trend_by_service_number_in_the_readers_language(fixture_con):
    tr = db.run(fixture_con, "spm/capaian_kab_bulanan", kab=KAB, sumber_sasaran="PUSDATIN")
    no = int(tr["no"][0])
    fig = spm.trend_figure(tr, [no], "id")
    assert fig.layout.separators == ",."
    assert all(tt.split()[0] in ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                                 "September", "Oktober", "November", "Desember") for tt in fig.layout.xaxis.ticktext)
    assert ",.1f" in fig.data[0].hovertemplate
    en = spm.trend_figure(tr, [no], "en")
    assert en.layout.separators == ".," and en.data[0].name == tr["nama_en"][0]
    per = spm.services(_cap(fixture_con))
    assert spm.service_label(per, "en")(no).startswith(f"{no}. ")
    assert spm.heatmap(_cap(fixture_con), "id").layout.separators == ",."
