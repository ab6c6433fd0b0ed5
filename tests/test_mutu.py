"""Mutu data (issue 12): the check formulas with hand-computed answers, the per-unit table and marks on a small
synthetic district with known faults, the report files, and the demo district's own faults."""
from __future__ import annotations

import datetime as dt
import math
from functools import partial
from statistics import NormalDist

import polars as pl
import pytest

from ilp import db, mutu
from ilp.mutu import report, stats

KAB = "98.01"


# ------------------------------------------------------------------------------------ formulas
def test_dps_all_on_one_digit_is_100_and_even_is_0():
    assert stats.dps([120] + [0] * 9) == pytest.approx(100.0)
    assert stats.dps([0, 0, 0, 7, 0, 0, 0, 0, 0, 0]) == pytest.approx(100.0)
    assert stats.dps([12] * 10) == pytest.approx(0.0)
    assert stats.dps([0] * 10) is None


def test_dps_by_hand():
    # n = 100, E = 10: chi2 = (20-10)^2/10 + (0-10)^2/10 = 20; DPS = 100 * sqrt(20 / (100 * 9)) = 14.907
    assert stats.dps([20, 10, 10, 10, 10, 10, 10, 10, 10, 0]) == pytest.approx(100 * math.sqrt(20 / 900))
    assert stats.dps([20, 10, 10, 10, 10, 10, 10, 10, 10, 0]) == pytest.approx(14.9071, abs=1e-4)


def test_sex_ratio_chi_square_by_hand():
    # 60 boys, 40 girls, expected 1.05: E = 51.2195 / 48.7805; chi2 = 8.7805^2 (1/51.2195 + 1/48.7805) = 3.0857
    ratio, p = stats.rasio_jk(60, 40)
    assert ratio == pytest.approx(1.5)
    assert p == pytest.approx(math.erfc(math.sqrt(3.08571 / 2)), abs=1e-4)
    assert p == pytest.approx(0.0790, abs=5e-4)
    r2, p2 = stats.rasio_jk(105, 100)
    assert r2 == pytest.approx(1.05) and p2 == pytest.approx(1.0)
    assert stats.rasio_jk(0, 0) == (None, None)


def test_heaping_index_and_percent():
    assert stats.indeks_umur_bulat(40, 20) == pytest.approx(4.0)  # 40 at 12 months vs (10 + 10) / 2
    assert stats.indeks_umur_bulat(5, 0) is None
    assert stats.persen(3, 0) is None and stats.persen(1, 4) == 25.0
    assert stats.sd_sampel([1.0, -1.0]) == pytest.approx(math.sqrt(2))


# ------------------------------------------------------------------------------------ a small district
def _child(i, pkm, posy, desa, *, jk=1, lahir=dt.date(2024, 8, 10), ukur=dt.date(2026, 2, 10), tinggi=80.3,
           berat=10.4, cara="L", haz=0.0, flag=0, lapor=None):
    return dict(id_anak=f"{pkm}-{i}", jk=jk, tgl_lahir=lahir, tgl_ukur=ukur, berat_kg=berat, tinggi_cm=tinggi,
                cara_ukur=cara, kode_desa=desa, kode_posyandu=posy, kode_puskesmas=pkm,
                zs_tbu_lapor=haz if lapor is None else lapor, umur_hari=(ukur - lahir).days, haz=haz, waz=haz,
                whz=haz, baz=0.0, flag_haz=flag, flag_waz=0, flag_whz=0, flag_baz=0, sumber="DEMO", import_id=None)


def _months_before(d: dt.date, m: int, day: int) -> dt.date:
    y, mo = divmod(d.year * 12 + d.month - 1 - m, 12)
    return dt.date(y, mo + 1, day)


# 120 symmetric normal quantiles (mean 0, skewness 0, near-normal kurtosis) and a scaling to an exact sample SD
_Q = [NormalDist().inv_cdf((k + 0.5) / 120) for k in range(120)]


def _scaled(sd: float) -> list[float]:
    return [q * sd / stats.sd_sampel(_Q) for q in _Q]


def build_mutu(con) -> None:
    """Kab 98.01: kecamatan 01 (Puskesmas PA, digit-heaped and age-heaped) and 02 (Puskesmas PB, HAZ SD 1.6
    and babies measured standing); every child in round 2026-02."""
    w = pl.DataFrame({
        "kode": ["98", KAB, "98.01.01", "98.01.02", "98.01.01.2001", "98.01.02.2001"],
        "level": ["provinsi", "kabkota", "kecamatan", "kecamatan", "desa", "desa"],
        "nama": ["Prov", "Kab Mutu", "Satu", "Dua", "Desa A", "Desa B"],
        "parent": [None, "98", KAB, KAB, "98.01.01", "98.01.02"],
        "kode_kab": [None, KAB, KAB, KAB, KAB, KAB],
        "kode_kec": [None, None, None, None, "98.01.01", "98.01.02"],
        "jenis": ["provinsi", "kabupaten", "kecamatan", "kecamatan", "desa", "desa"], "versi": ["UJI"] * 6})
    con.execute("insert into wilayah by name select * from w")
    fk = pl.DataFrame({"kode_faskes": ["PA", "PB", "YA", "YB"], "nama": ["Puskesmas A", "Puskesmas B",
                                                                         "Posyandu A", "Posyandu B"],
                       "jenis": ["puskesmas", "puskesmas", "posyandu", "posyandu"],
                       "kode_kec": ["98.01.01", "98.01.02", "98.01.01", "98.01.02"],
                       "kode_desa": ["98.01.01.2001", "98.01.02.2001"] * 2, "kode_induk": [None, None, "PA", "PB"],
                       "aturan_lokasi": ["kode"] * 4, "sumber": ["uji"] * 4})
    con.execute("insert into faskes by name select * from fk")
    ukur = dt.date(2026, 2, 10)
    rows = []
    # PA: 120 children, every height x.0 (DPS 100), weights with even decimals (12 per digit, DPS 0);
    # ages: 10 at 11 months, 40 at 12 months, 10 at 13 months, 60 at 30 months -> heaping index 40 / 10 = 4.0;
    # 60 boys, 60 girls; all lying under 24 months, standing from 24; z-scores normal quantiles with SD 1.0
    ages = [11] * 10 + [12] * 40 + [13] * 10 + [30] * 60
    z_pa = _scaled(1.0)
    for i, m in enumerate(ages):
        rows.append(_child(i, "PA", "YA", "98.01.01.2001", jk=1 if i % 2 == 0 else 2,
                           lahir=_months_before(ukur, m, 5), tinggi=70.0 + (i % 5), berat=9.0 + (i % 10) / 10,
                           cara="L" if m < 24 else "H", haz=z_pa[i]))
    # PB: 120 children aged 18 months, z-scores normal quantiles scaled to a sample SD of exactly 1.6;
    # heights with even decimals (DPS 0); 36 of the 120 measured standing (30%); 2 flagged HAZ of the 120
    # (1.67%, kept out of the SD)
    z_pb = _scaled(1.6)
    for i in range(120):
        rows.append(_child(i, "PB", "YB", "98.01.02.2001", jk=1 if i % 2 == 0 else 2,
                           lahir=_months_before(ukur, 18, 3), tinggi=78.0 + (i % 10) / 10,
                           berat=10.0 + (i % 10) / 10, cara="H" if i < 36 else "L", haz=z_pb[i]))
    rows.append(_child(200, "PB", "YB", "98.01.02.2001", lahir=_months_before(ukur, 18, 3), haz=-7.0, flag=1,
                       tinggi=60.5, berat=10.5))
    rows.append(_child(201, "PB", "YB", "98.01.02.2001", jk=2, lahir=_months_before(ukur, 18, 3), haz=6.5, flag=1,
                       tinggi=99.5, berat=10.5))
    # one child of PA measured twice in the round: the earlier measurement is a duplicate (ganda), not counted
    rows.append(_child(0, "PA", "YA", "98.01.01.2001", lahir=_months_before(ukur, 11, 5), ukur=dt.date(2026, 2, 1),
                       tinggi=70.0))
    pg = pl.DataFrame(rows)
    con.execute("insert into pengukuran by name select * from pg")
    con.execute("""insert into rekap_stunting values
        ('2025-08', 'puskesmas', 'PA', 100, 10, 5, 15, 15.0, null, 'uji', null),
        ('2026-02', 'puskesmas', 'PA', 100, 10, 5, 15, 15.0, null, 'uji', null),
        ('2026-02', 'puskesmas', 'PB', 100, 10, 5, 16, 16.0, 'pendek + sangat pendek (15) ≠ stunting dilaporkan (16)', 'uji', null),
        ('2025-08', 'puskesmas', 'PB', 80, 8, 2, 10, 12.5, null, 'uji', null),
        ('2025-02', 'puskesmas', 'PB', 50, 5, 5, 10, 12.5, null, 'uji', null)""")


@pytest.fixture(scope="module")
def mutu_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("mutu") / "mutu.duckdb"
    con = db.connect(path)
    build_mutu(con)
    con.close()
    ro = db.connect(path, read_only=True)
    yield partial(db.run, ro)
    ro.close()


def _row(tab, tingkat, kode, periode="2026-02") -> dict:
    r = tab.filter((pl.col("tingkat") == tingkat) & (pl.col("kode") == kode) & (pl.col("periode") == periode))
    assert r.height == 1, (tingkat, kode, periode)
    return r.row(0, named=True)


def test_table_digit_heaped_puskesmas(mutu_run):
    tab = mutu.tabel(mutu_run, KAB)
    pa = _row(tab, "puskesmas", "PA")
    assert pa["n"] == 120 and pa["ganda"] == 1 and pa["nama"] == "Puskesmas A"
    assert pa["dps_tinggi"] == pytest.approx(100.0)
    assert pa["dps_berat"] == pytest.approx(0.0)
    assert "digit_tinggi" in pa["checks"] and "digit_berat" not in pa["checks"]


def test_table_age_heaping_and_sex_ratio(mutu_run):
    pa = _row(mutu.tabel(mutu_run, KAB), "puskesmas", "PA")
    assert (pa["umur_bulat"], pa["umur_tetangga"]) == (40, 20)
    assert pa["indeks_umur_bulat"] == pytest.approx(4.0)
    assert "umur_bulat" in pa["checks"]
    assert pa["rasio_jk"] == pytest.approx(1.0) and "rasio_jk" not in pa["checks"]
    assert pa["pct_posisi_salah"] == pytest.approx(0.0) and "posisi" not in pa["checks"]


def test_table_wide_sd_wrong_positions_and_flags(mutu_run):
    pb = _row(mutu.tabel(mutu_run, KAB), "puskesmas", "PB")
    assert pb["n"] == 122 and pb["n_haz"] == 122
    assert pb["sd_haz"] == pytest.approx(1.6, abs=1e-9)  # flagged values left out
    assert pb["mean_haz"] == pytest.approx(0.0, abs=1e-12) and pb["skew_haz"] == pytest.approx(0.0, abs=1e-9)
    assert pb["pct_flag_haz"] == pytest.approx(100 * 2 / 122)
    # 36 standing of the 122 under 24 months with a position (the two flagged children lie)
    assert pb["berdiri_bawah_24"] == 36 and pb["n_bawah_24"] == 122
    assert pb["pct_berdiri_bawah_24"] == pytest.approx(100 * 36 / 122)
    # heights 78.0 .. 78.9 twelve times each, the flagged two on .5: chi2 = (9 * 0.2^2 + 1.8^2) / 12.2 = 0.29508,
    # DPS = 100 * sqrt(0.29508 / (122 * 9)) = 1.639
    assert pb["dps_tinggi"] == pytest.approx(stats.dps([12] * 5 + [14] + [12] * 4))
    assert pb["dps_tinggi"] == pytest.approx(1.6393, abs=1e-4)
    assert {"sd_haz", "posisi", "flag_haz"} <= set(pb["checks"])
    assert "digit_tinggi" not in pb["checks"]


def test_table_levels_and_posyandu(mutu_run):
    tab = mutu.tabel(mutu_run, KAB)
    assert set(tab["tingkat"]) == {"kabkota", "kecamatan", "puskesmas", "posyandu"}
    kab = _row(tab, "kabkota", KAB)
    assert kab["n"] == 242 and kab["nama"] == "Kab Mutu"
    assert _row(tab, "posyandu", "YB")["n"] == 122
    assert _row(tab, "kecamatan", "98.01.01")["dps_tinggi"] == pytest.approx(100.0)


def test_small_units_are_not_judged():
    r = {"n_haz": 30, "sd_haz": 2.5}
    assert mutu.status(mutu.CHECK["sd_haz"], r) == "kurang_data"
    assert mutu.status(mutu.CHECK["sd_haz"], {"n_haz": 100, "sd_haz": 2.5}) == "masalah"
    assert mutu.status(mutu.CHECK["sd_haz"], {"n_haz": 100, "sd_haz": 1.0}) == "baik"
    assert mutu.status(mutu.CHECK["sd_haz"], {"n_haz": 100, "sd_haz": None}) == "kurang_data"


def test_recap_checks(mutu_run):
    rk = mutu.rekap_checks(mutu_run("quality/mutu_rekap", kab=KAB))
    by = {(r["periode"], r["kode_unit"]): r["checks"] for r in rk.iter_rows(named=True)}
    assert by[("2026-02", "PA")] == ["rekap_salin"]               # same as 2025-08
    assert by[("2025-08", "PA")] == []
    assert by[("2026-02", "PB")] == ["rekap_jumlah", "rekap_prevalensi"]  # 16 reported vs 15 computed: 16.0 vs 15.0
    assert by[("2025-02", "PB")] == ["rekap_prevalensi"]          # 12.5 reported vs 10 / 50 = 20.0
    assert by[("2025-08", "PB")] == []


def test_marks_api(mutu_run):
    m = mutu.marks(mutu_run, KAB, "2026-02")
    assert m.columns == ["tingkat", "kode", "nama", "periode", "checks", "ringkas_id", "ringkas_en"]
    rows = {(r["tingkat"], r["kode"]): r for r in m.iter_rows(named=True)}
    assert set(rows) == {("kecamatan", "98.01.01"), ("kecamatan", "98.01.02"), ("puskesmas", "PA"),
                         ("puskesmas", "PB")}
    pa = rows[("puskesmas", "PA")]
    assert pa["checks"] == ["umur_bulat", "digit_tinggi", "rekap_salin"]
    assert pa["ringkas_id"] == "umur menumpuk di 12/24/36/48 bulan; tinggi dibulatkan; rekap: angka sama dengan periode lalu"
    assert "heights rounded" in pa["ringkas_en"] and pa["periode"] == "2026-02"
    pb = rows[("puskesmas", "PB")]["checks"]
    assert {"flag_haz", "sd_haz", "posisi", "rekap_jumlah", "rekap_prevalensi"} <= set(pb)
    assert pb.index("sd_haz") < pb.index("posisi") < pb.index("rekap_jumlah")  # in the order of CHECKS
    assert m["tingkat"].is_in(["kecamatan", "puskesmas"]).all()
    # default period: the latest round; a period without data: no marks
    assert mutu.marks(mutu_run, KAB).height == m.height
    assert mutu.marks(mutu_run, KAB, "2020-02").height == 0


def test_marks_on_empty_district(fixture_db):
    con = db.connect(fixture_db, read_only=True)
    try:
        m = mutu.marks(partial(db.run, con), "00.00")
    finally:
        con.close()
    assert m.height == 0 and "ringkas_id" in m.columns


def test_verdicts_cite_the_rule(mutu_run):
    pb = _row(mutu.tabel(mutu_run, KAB), "puskesmas", "PB")
    v = {x["id"]: x for x in mutu.verdicts(pb, "id")}
    assert v["sd_haz"]["status"] == "masalah" and v["sd_haz"]["nilai"] == "1,60"
    assert "1,60" in v["sd_haz"]["putusan"] and "WHO/UNICEF 2019" in v["sd_haz"]["aturan"]
    assert "SMART" in v["digit_tinggi"]["aturan"]
    en = {x["id"]: x for x in mutu.verdicts(pb, "en")}
    assert en["sd_haz"]["nilai"] == "1.60" and "outside 0.8–1.2" in en["sd_haz"]["putusan"]


def test_report_csv_and_excel(mutu_run, tmp_path):
    out = tmp_path / "mutu.csv"
    n = report.write(mutu_run, KAB, out)
    df = pl.read_csv(out)
    assert n["ringkas"] == df.height == 1 + 2 + 2 + 2
    for col in ("tingkat", "kode", "nama", "periode", "n", "pct_flag_haz", "sd_haz", "sd_waz", "sd_whz", "skew_haz",
                "kurt_haz", "rasio_jk", "dps_tinggi", "dps_berat"):
        assert col in df.columns
    assert df["tingkat"].to_list()[:3] == ["kabkota", "kecamatan", "kecamatan"]
    pa = df.filter(pl.col("kode") == "PA").row(0, named=True)
    assert pa["dps_tinggi"] == 100.0 and "digit_tinggi" in pa["cek_gagal"]
    xl = tmp_path / "mutu.xlsx"
    counts = report.write(mutu_run, KAB, xl)
    import openpyxl
    wb = openpyxl.load_workbook(xl, read_only=True)
    assert {"ringkas", "digit_tinggi", "sd_zskor", "posisi", "umur_per_bulan", "cakupan_desa", "rekap",
            "aturan_sumber"} <= set(wb.sheetnames)
    assert counts["aturan_sumber"] == len(mutu.CHECKS) + len(mutu.REKAP_CHECKS)
    with pytest.raises(ValueError):
        report.write(mutu_run, KAB, tmp_path / "mutu.txt")


def test_excel_report_is_built_on_click_only(mutu_run, monkeypatch):
    """The page's Excel download: the report's questions are asked when the button is laid out, the workbook only
    when the returned function is called (on click), and it holds the same sheets as `python -m ilp mutu`."""
    import io

    import openpyxl
    asked, built = [], []
    run = lambda key, **p: asked.append(key) or mutu_run(key, **p)   # noqa: E731
    real = report.xlsx_bytes
    monkeypatch.setattr(report, "xlsx_bytes", lambda frames: built.append(1) or real(frames))
    tab = mutu.tabel(mutu_run, KAB)
    on_click = report.xlsx_on_click(run, KAB, "id", tab)
    assert built == [] and sorted(asked) == sorted(report.SHEET_QUERIES)
    data = on_click()
    assert built == [1] and sorted(asked) == sorted(report.SHEET_QUERIES)   # no question asked again on click
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == [n[:31] for n in report.sheets(mutu_run, KAB, "id", tab)]
    rows = list(wb["cakupan_desa"].iter_rows(values_only=True))
    assert len(rows) - 1 == report.cakupan_desa(mutu_run, KAB).height == 2


def test_coverage_by_desa(mutu_run):
    c = report.cakupan_desa(mutu_run, KAB)
    a = c.filter(pl.col("kode_desa") == "98.01.01.2001").row(0, named=True)
    assert a["diukur"] == 120 and a["sasaran"] is None and a["cakupan_pct"] is None  # no sasaran: not 0


# ------------------------------------------------------------------------------------ the demo district
@pytest.fixture(scope="module")
def demo_run(demo_db):
    con = db.connect(demo_db, read_only=True)
    yield partial(db.run, con)
    con.close()


def test_demo_faults_are_found(demo_run):
    tab = mutu.tabel(demo_run, "99.01")
    last = tab["periode"].max()
    pkm = tab.filter((pl.col("tingkat") == "puskesmas") & (pl.col("periode") == last))
    failed = {c: pkm.filter(pl.col("checks").list.contains(c))["kode"].to_list() for c in mutu.CHECK}
    assert len(failed["digit_tinggi"]) == 1
    assert pkm.filter(pl.col("kode") == failed["digit_tinggi"][0])["dps_tinggi"].item() > 90
    assert len(failed["sd_haz"]) == 1
    assert 1.35 < pkm.filter(pl.col("kode") == failed["sd_haz"][0])["sd_haz"].item() < 1.7
    assert len(failed["posisi"]) == 1 and len(failed["umur_bulat"]) == 1
    kec = tab.filter((pl.col("tingkat") == "kecamatan") & (pl.col("periode") == last))
    assert kec.filter(pl.col("checks").list.contains("umur_bulat")).height == 1
    # the district as a whole stays realistic: good digits, SD within range, few flags
    kab = tab.filter((pl.col("tingkat") == "kabkota") & (pl.col("periode") == last)).row(0, named=True)
    assert kab["dps_tinggi"] < 13 and 0.9 < kab["sd_haz"] < 1.2 and kab["pct_flag_haz"] < 1
    assert 1.0 <= kab["rasio_jk"] <= 1.1
    m = mutu.marks(demo_run, "99.01")
    assert 4 <= m.filter(pl.col("tingkat") == "puskesmas").height <= 8


def test_demo_report_csv(demo_run, tmp_path):
    out = tmp_path / "demo.csv"
    report.write(demo_run, "99.01", out)
    df = pl.read_csv(out)
    assert set(df["tingkat"]) == {"kabkota", "kecamatan", "puskesmas", "posyandu"}
    assert df.filter(pl.col("tingkat") == "kabkota").height == 6


def test_briefing_line(mutu_run):
    m = mutu.marks(mutu_run, KAB, "2026-02")
    line = mutu.briefing_line(m, "id")
    # PA and PB both marked, every reason once: ties in the order of CHECKS (umur_bulat, digit_tinggi, flag_haz)
    assert line == ("Mutu data pengukuran: 2 Puskesmas bertanda (umur menumpuk di 12/24/36/48 bulan (1), tinggi "
                    "dibulatkan (1), TB/U tidak masuk akal > 1% (1)); prevalensinya perlu dibaca hati-hati, rinciannya "
                    "di halaman Mutu Data.")
    assert mutu.briefing_line(m.head(0), "en").startswith("Measurement data quality: no Puskesmas")


def test_cli_writes_csv_and_excel(tmp_path, monkeypatch):
    from ilp import cli
    path = tmp_path / "cli.duckdb"
    con = db.connect(path)
    build_mutu(con)
    con.close()
    out = tmp_path / "m.csv"
    assert cli.main(["mutu", "--db", str(path), "--out", str(out), "--kab", KAB]) == 0
    assert pl.read_csv(out).height == 7
    assert cli.main(["mutu", "--db", str(path), "--out", str(tmp_path / "m.xlsx"), "--kab", KAB]) == 0
    assert (tmp_path / "m.xlsx").stat().st_size > 5000
    assert cli.main(["mutu", "--db", str(path), "--out", str(tmp_path / "m.txt"), "--kab", KAB]) == 1
    # without --kab and without meta kode_kab: a clear message, exit 1
    assert cli.main(["mutu", "--db", str(path), "--out", str(out)]) == 1


def test_link_to_the_reason():
    assert mutu.link("puskesmas", "P9901110201", "2026-08") == "/mutu?tingkat=puskesmas&unit=P9901110201&periode=2026-08"
    assert mutu.link("kecamatan", "99.01.06") == "/mutu?tingkat=kecamatan&unit=99.01.06"
