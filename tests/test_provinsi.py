"""Province office view (issue 14): ilp.provinsi on a hand-made province of four kab/kota, and the page (AppTest).

The province '99' (tests/conftest.build_fixture's 'Provinsi Uji') gets, beside kab 99.02 of the fixture:
- 99.02 Kabupaten Uji: e-PPGBM rounds are provisional (2 of 4 desa), so the recap is its source: 2026-02
  PK1 3 pendek + 1 sangat pendek of 12, PK2 0 of 5 -> 4/17 = 23.529...%; SSGI 2024 21.0%.
- 99.03 Kota Uji: recap PK31, 2025-08 5 of 20 (25%), 2026-02 8 of 34 = 23.529...% (a tie with 99.02).
- 99.04 Kabupaten Lama: recap PK41 2025-08 only, 10 of 50 = 20%: its latest complete round is older than the
  ranking round 2026-02, so it is shown but not ranked.
- 99.05 Kabupaten Kosong: no stunting data at all.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import polars as pl
import pytest

from ilp import db, fakta, provinsi
from ilp.i18n import t
from tests.conftest import build_fixture

Z = 1.959963984540054


def _square(x0, y0, s=0.2):
    ring = [[x0, y0], [x0, y0 + s], [x0 + s, y0 + s], [x0 + s, y0], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _add_kab(con, kode, nama, jenis, x0, rekap):
    from shapely import from_geojson, to_wkb
    kec, desa, pk = f"{kode}.01", f"{kode}.01.2001", "PK" + kode[-2:]
    w = pl.DataFrame({"kode": [kode, kec, desa], "level": ["kabkota", "kecamatan", "desa"],
                      "nama": [nama, f"Kec {nama}", f"Desa {nama}"], "parent": ["99", kode, kec],
                      "kode_kab": [kode, kode, kode], "kode_kec": [None, None, kec],
                      "jenis": [jenis, "kecamatan", "desa"], "versi": ["UJI"] * 3})
    con.execute("insert into wilayah by name select * from w")
    g = _square(x0, -7.0)
    b = pl.DataFrame({"kode": [kec], "level": ["kecamatan"], "geom_wkb": [to_wkb(from_geojson(g))], "geojson": [g],
                      "luas_km2": [1.0], "lat": [-6.9], "lon": [x0 + 0.1], "aturan_cocok": ["kode"],
                      "sumber": ["fixture"], "import_id": [None]}).with_columns(pl.col("import_id").cast(pl.String))
    con.execute("insert into batas_wilayah by name select * from b")
    con.execute("insert into faskes (kode_faskes, nama, jenis, rawat_inap, kode_kec, kode_desa, lat, lon, aturan_lokasi, sumber) "
                "values ($k, $n, 'puskesmas', false, $kec, $desa, -6.9, $lon, 'kode', 'fixture')",
                {"k": pk, "n": f"Puskesmas {nama}", "kec": kec, "desa": desa, "lon": x0 + 0.1})
    for periode, diukur, pendek, sangat in rekap:
        con.execute("insert into rekap_stunting values ($p, 'puskesmas', $u, $d, $pe, $sp, null, null, null, 'fixture', null)",
                    {"p": periode, "u": pk, "d": diukur, "pe": pendek, "sp": sangat})


def build_province(con) -> None:
    build_fixture(con)
    _add_kab(con, "99.03", "Kota Uji", "kota", 110.4, [("2025-08", 20, 4, 1), ("2026-02", 34, 6, 2)])
    _add_kab(con, "99.04", "Kabupaten Lama", "kabupaten", 110.6, [("2025-08", 50, 7, 3)])
    _add_kab(con, "99.05", "Kabupaten Kosong", "kabupaten", 110.8, [])
    fakta.refresh(con)


@pytest.fixture(scope="module")
def prov_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("provinsi") / "prov.duckdb"
    con = db.connect(path)
    build_province(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def run(prov_db):
    con = db.connect(prov_db, read_only=True)
    yield lambda key, **p: db.run(con, key, **p)
    con.close()


@pytest.fixture(scope="module")
def kab(run):
    return provinsi.kabkota(run, "99")


def _row(df, kode):
    return df.filter(pl.col("kode") == kode).row(0, named=True)


def test_province_of_needs_two_kabkota_of_one_province():
    assert provinsi.province_of(["99.01"]) is None
    assert provinsi.province_of(["35.01", "35.02", "33.01"]) == "35"
    assert provinsi.province_of([]) is None


def test_province_name_from_code_list_else_setting(run):
    assert provinsi.province_name(run, "99") == "Provinsi Uji"
    assert provinsi.province_name(run, "98", {"kode_prov": "98", "nama_prov": "Provinsi Lain"}) == "Provinsi Lain"
    assert provinsi.province_name(run, "97", {}, "en") == "Province 97"


def test_each_kabkota_latest_complete_round_with_n_interval_source(kab):
    df, _ = kab
    assert df.height == 4
    a = _row(df, "99.02")
    assert (a["periode"], a["diukur"], a["stunting"]) == ("2026-02", 17, 4)
    assert a["prevalensi_pct"] == pytest.approx(100 * 4 / 17)
    # Wilson 95%: centre (p + z²/2n)/(1 + z²/n), half z*sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n)
    p, n = 4 / 17, 17
    d = 1 + Z * Z / n
    c, h = (p + Z * Z / (2 * n)) / d, Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    assert a["ci_bawah"] == pytest.approx(100 * (c - h)) and a["ci_atas"] == pytest.approx(100 * (c + h))
    assert a["stabil"] is False                       # 17 < 30 children
    assert a["sumber"].startswith("rekap")             # e-PPGBM rounds provisional: the recap is the source
    assert a["status"] == "lengkap"
    assert a["periode_sementara"] is None or a["periode_sementara"] >= "2026-02"
    b = _row(df, "99.03")
    assert (b["periode"], b["diukur"], b["stunting"]) == ("2026-02", 34, 8)
    old = _row(df, "99.04")
    assert (old["periode"], old["prevalensi_pct"]) == ("2025-08", pytest.approx(20.0))
    none = _row(df, "99.05")
    assert none["status"] == "tanpa_data" and none["prevalensi_pct"] is None and none["sumber"] is None


def test_survey_beside_routine_never_spliced(kab):
    df, _ = kab
    a = _row(df, "99.02")
    assert (a["survei"], a["survei_tahun"], a["survei_pct"]) == ("SSGI", 2024, 21.0)
    assert a["prevalensi_pct"] == pytest.approx(23.5294, abs=1e-3)   # the routine figure is not the survey's
    assert _row(df, "99.03")["survei_pct"] is None


def test_rank_with_ties_only_at_the_ranking_round(kab):
    df, _ = kab
    assert provinsi.ranking_period(df) == "2026-02"
    ranks = dict(zip(df["kode"].to_list(), df["peringkat"].to_list()))
    assert ranks == {"99.02": 1, "99.03": 1, "99.04": None, "99.05": None}   # 4/17 = 8/34: a shared rank
    assert df["kode"].to_list()[2:] == ["99.04", "99.05"] or set(df["kode"].to_list()[2:]) == {"99.04", "99.05"}
    assert set(provinsi.highest(df)["kode"].to_list()) == {"99.02", "99.03"}
    assert provinsi.ranked(df).height == 2


def test_rank_one_for_highest_and_tie_then_skip():
    df = pl.DataFrame({"kode": ["a", "b", "c", "d"], "periode": ["2026-02"] * 4,
                       "prevalensi_pct": [10.04, 30.0, 10.0, 5.0], "status": ["lengkap"] * 4})
    out = provinsi.rank(df)
    assert dict(zip(out["kode"].to_list(), out["peringkat"].to_list())) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_reasons_in_words(kab):
    df, _ = kab
    k = provinsi.keterangan(df, "id")
    why = dict(zip(k["kode"].to_list(), k["keterangan"].to_list()))
    assert why["99.04"] == t("provinsi.ket_ronde_lama", "id", periode="Agustus 2025", ronde="Februari 2026")
    assert why["99.05"] == t("provinsi.ket_tanpa_data", "id")
    assert "30" in why["99.02"]                          # unstable: fewer than 30 children


def test_province_series_sums_complete_kabkota_and_is_complete_only_when_all_are(kab):
    _, rts = kab
    ser = provinsi.series(rts, ["99.02", "99.03", "99.04", "99.05"])
    rows = {r["periode"]: r for r in ser.iter_rows(named=True)}
    assert (rows["2025-08"]["diukur"], rows["2025-08"]["stunting"], rows["2025-08"]["n_kab_lengkap"]) == (70, 15, 2)
    assert rows["2025-08"]["prevalensi_pct"] == pytest.approx(100 * 15 / 70)
    assert (rows["2026-02"]["diukur"], rows["2026-02"]["stunting"]) == (51, 12)
    assert {r["status"] for r in rows.values()} == {"sementara"}      # 2 of 4 kab/kota: never the trend
    assert provinsi.complete(ser).height == 0
    two = provinsi.series(rts, ["99.02", "99.03"])
    st = dict(zip(two["periode"].to_list(), two["status"].to_list()))
    assert st == {"2025-08": "sementara", "2026-02": "lengkap"}
    assert provinsi.complete(two)["prevalensi_pct"].to_list() == [pytest.approx(100 * 12 / 51)]
    tab = provinsi.series_table(two, "en")
    assert tab["kabkota_lengkap"].to_list() == ["2 of 2", "1 of 2"]
    assert tab["status"].to_list() == ["complete", "provisional"]


def test_map_values_missing_is_no_data_not_zero(kab):
    df, _ = kab
    v = provinsi.map_values(df)
    vals = dict(zip(v["kode"].to_list(), v["nilai"].to_list()))
    assert vals["99.05"] is None
    assert vals["99.03"] == pytest.approx(100 * 8 / 34)
    assert dict(zip(v["kode"].to_list(), v["penyebut"].to_list()))["99.03"] == 34.0


def test_kecamatan_values_of_one_kabkota(kab):
    _, rts = kab
    v = provinsi.kecamatan_values(rts["99.03"])
    assert v.select("kode", "pembilang", "penyebut").rows() == [("99.03.01", 8.0, 34.0)]
    old = provinsi.kecamatan_values(rts["99.04"], "2025-08")
    assert old["nilai"].to_list() == [pytest.approx(20.0)]


def test_kabkota_layer_dissolved_from_kecamatan(run):
    import shapely
    kec = run("provinsi/batas_kecamatan", prov="99")
    g = provinsi.kabkota_geo(kec)
    assert g["kode"].to_list() == ["99.02", "99.03", "99.04", "99.05"]
    assert dict(zip(g["kode"].to_list(), g["nama"].to_list()))["99.03"] == "Kota Uji"
    # 99.02's two adjacent 0.2° squares become one 0.4 x 0.2 rectangle
    geom = shapely.from_geojson(g.filter(pl.col("kode") == "99.02")["geojson"][0])
    assert geom.area == pytest.approx(0.08, rel=1e-3)
    assert shapely.get_num_geometries(geom) == 1


def test_kabkota_layer_needs_no_geopandas(prov_db):
    """The province page's first load: the kab/kota layer is dissolved and simplified with shapely alone
    (ilp.geo.coverage), so neither geopandas nor pandas is imported (1-6 s on a busy server), and it is the same
    layer the GeoDataFrame path (ilp.geo.dissolve_kabkota + simplify_for_map) gives."""
    import subprocess
    import sys
    code = ("import sys, duckdb; from ilp import db, provinsi; "
            "c = duckdb.connect(sys.argv[1], read_only=True); "
            "g = provinsi.kabkota_geo(db.run(c, 'provinsi/batas_kecamatan', prov='99')); "
            "print(g.height, 'geopandas' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(prov_db)], capture_output=True, text=True, timeout=120,
                         cwd=str(Path(__file__).resolve().parents[1]))
    assert out.stdout.split() == ["4", "False", "False"], out.stderr
    import geopandas as gpd
    import shapely

    from ilp import geo
    con = db.connect(prov_db, read_only=True)
    kec = db.run(con, "provinsi/batas_kecamatan", prov="99")
    con.close()
    gdf = gpd.GeoDataFrame({"kode": kec["kode"].to_list()}, geometry=list(shapely.from_geojson(kec["geojson"].to_list())),
                           crs="EPSG:4326")
    via_gdf = geo.simplify_for_map(geo.dissolve_kabkota(gdf), "kabkota", scope="provinsi")
    g = provinsi.kabkota_geo(kec)
    assert g["kode"].to_list() == list(via_gdf["kode"])
    assert g["geojson"].to_list() == [geo.map_geojson(x) for x in via_gdf.geometry.values]


def test_source_text_names_source_round_and_denominator(kab):
    df, _ = kab
    s = provinsi.source_text(df, "id")
    assert "Februari 2026" in s and "2 dari 4" in s and "balita diukur" in s and "rekap" in s


def test_table_labels_exist_in_both_languages(kab):
    df, _ = kab
    tab = provinsi.table(df, "en")
    assert tab.columns[0] == "peringkat" and "keterangan" in tab.columns
    for spec in [*provinsi.TABLE_LABELS.values(), *provinsi.SERIES_LABELS.values()]:
        key = spec[0] if isinstance(spec, tuple) else spec
        assert t(key, "id") != t(key, "en")


# ------------------------------------------------------------------ the page (AppTest)

def _app(path, monkeypatch, params=None):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ILP_DB", str(path))
    from tests.conftest import ROOT
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/provinsi.py")   # a page switch starts without the old page's URL parameters
    at.run()
    if params:                            # then a link (or a click) puts ?kab= in the URL
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
    return at


@pytest.fixture
def page_db(prov_db, tmp_path):
    p = tmp_path / "prov.duckdb"
    shutil.copy(prov_db, p)
    return p


def test_page_province_view(page_db, monkeypatch):
    at = _app(page_db, monkeypatch)
    assert not at.exception, at.exception
    assert at.title[0].value == t("provinsi.judul", "id")
    text = " ".join(m.value for m in at.markdown)
    assert "Provinsi Uji" in text
    caps = " ".join(c.value for c in at.caption)
    assert "Februari 2026" in caps and "balita diukur" in caps     # source, period, denominator
    assert len(at.dataframe) >= 2                                  # ranking table and province series
    assert not at.get("page_link")                                 # no kab/kota chosen: no drill


def test_page_drills_into_kabkota_from_url(page_db, monkeypatch):
    at = _app(page_db, monkeypatch, {"kab": "99.03", "lang": "en"})
    assert not at.exception, at.exception
    assert any(s.value == t("provinsi.kecamatan_di", "en", kab="Kota Uji") for s in at.subheader)
    links = at.get("page_link")
    assert len(links) == 5
    assert at.selectbox(key="w_kab").value == "99.03"


@pytest.mark.slow
def test_province_demo_two_kabupaten(tmp_path):
    from ilp.demo import provinsi as demo_prov
    path = tmp_path / "prov2.duckdb"
    demo_prov.build(path, n_kab=2)
    con = db.connect(path, read_only=True)
    try:
        run = lambda key, **p: db.run(con, key, **p)  # noqa: E731
        df, rts = provinsi.kabkota(run, "99")
        assert df["kode"].to_list() == sorted(df["kode"].to_list(), key=lambda k: _row(df, k)["peringkat"])
        assert set(df["kode"].to_list()) == {"99.01", "99.02"}
        assert df["peringkat"].null_count() == 0
        ser = provinsi.series(rts, ["99.01", "99.02"])
        last = provinsi.complete(ser).row(-1, named=True)
        a, b = (rts[k].row(last["periode"]) for k in ("99.01", "99.02"))
        assert last["diukur"] == a["diukur"] + b["diukur"] and last["stunting"] == a["stunting"] + b["stunting"]
        assert provinsi.kabkota_geo(run("provinsi/batas_kecamatan", prov="99")).height == 2
    finally:
        con.close()


def test_map_height_follows_the_layer_shape():
    wide = pl.DataFrame({"kode": ["a"], "geojson": [_square(110.0, -7.0, 1.0).replace("1.0", "1.0")]})
    # a 1 x 1 degree square at 900 px across: 900 + 80 legend, capped at 560
    assert provinsi.map_height(wide) == 560
    row = pl.DataFrame({"kode": ["a", "b"], "geojson": [_square(110.0, -7.0, 0.2), _square(111.6, -7.0, 0.2)]})
    # 1.8 x 0.2 degrees: 900 * 0.2 / 1.8 + 80 = 180, raised to the floor 280
    assert provinsi.map_height(row) == 280
    assert provinsi.map_height(row, lo=100) == 180
