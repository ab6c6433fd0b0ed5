"""Boundaries, code matching, simplification and facility placement on the five real districts.

Reads ../shared/data (skips cleanly when absent); imports go through ilp.ingest.runner.run_import
into a temporary DuckDB, exactly as the Kelola Data page does.
"""
from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import polars as pl
import pytest
import shapely

from ilp import db, geo, names
from ilp.ingest import runner

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# kab -> (kecamatan, desa in the code list, desa polygons)
DISTRICTS = {
    "35.23": (20, 328, 328),   # Tuban
    "33.29": (17, 297, 297),   # Brebes
    "61.12": (9, 123, 117),    # Kubu Raya: 6 new desa have no polygon
    "74.14": (7, 77, 77),      # Buton Tengah
    "21.72": (4, 18, 18),      # Kota Tanjungpinang
}
KEC_LIMIT = 300_000
DESA_LIMIT = 1_500_000


def _need_shared() -> Path:
    if not (SHARED / "wilayah" / "wilayah.csv").is_file():
        pytest.skip("../shared/data tidak tersedia")
    return SHARED


def _txt(m, lang: str = "id") -> str:
    """A note or problem as text in `lang` (notes and problems are Msg keys + parameters)."""
    return m.text(lang) if hasattr(m, "text") else str(m)


def _notes(notes, lang: str = "id") -> list[str]:
    return [_txt(n, lang) for n in notes]


def _matched(notes) -> str:
    """The 'matched N of M' line: the last such line of the kind's notes (runner.preview may append its own after it)."""
    import re
    return [re.match(r"matched \d+ of \d+", n).group(0) for n in _notes(notes, "en") if n.startswith("matched ")][-1]


def _ok(res, accept_rejects: bool = False):
    assert res.status in (("berhasil", "sebagian") if accept_rejects else ("berhasil",)), \
        [p.text() for p in res.problems]
    return res


@pytest.fixture(scope="session")
def uploads(tmp_path_factory):
    d = tmp_path_factory.mktemp("uploads")
    mp = pytest.MonkeyPatch()
    mp.setenv("ILP_UPLOADS", str(d))
    yield d
    mp.undo()


@pytest.fixture(scope="session")
def geo_files(tmp_path_factory):
    """Per-district kecamatan files, plus the names-only and BPS-code variants built from the crosswalk."""
    data = _need_shared()
    d = tmp_path_factory.mktemp("geo_files")
    kec = gpd.read_file(data / "boundaries" / "kecamatan_5kab.geojson")
    xw = pl.read_csv(data / "wilayah" / "bps_kemendagri_kecamatan.csv", infer_schema=False)
    to_bps = dict(zip(xw["kode_dagri"].to_list(), xw["kode_bps"].to_list()))
    out = {}
    for kab in DISTRICTS:
        part = kec[kec["kode"].str.startswith(kab + ".")].reset_index(drop=True)
        p = d / f"kecamatan_{kab}.geojson"
        part.to_file(p, driver="GeoJSON")
        names = d / f"kecamatan_{kab}_nama.geojson"
        part.drop(columns=["kode", "kode_nodot"]).to_file(names, driver="GeoJSON")
        bps = d / f"kecamatan_{kab}_bps.geojson"
        v = part.drop(columns=["kode", "kode_nodot", "nama"]).copy()
        v["KDCBPS"] = [to_bps[k.replace(".", "")] for k in part["kode"]]
        v.to_file(bps, driver="GeoJSON")
        desa_names = d / f"desa_{kab}_nama.geojson"
        gpd.read_file(data / "boundaries" / f"desa_{kab}.geojson").drop(columns=["kode", "kode_nodot"]).to_file(
            desa_names, driver="GeoJSON")
        out[kab] = {"kec": p, "kec_nama": names, "kec_bps": bps, "kec_expected": part["kode"].tolist(),
                    "desa": data / "boundaries" / f"desa_{kab}.geojson", "desa_nama": desa_names}
    return out


@pytest.fixture(scope="session")
def loaded(tmp_path_factory, uploads, geo_files):
    """One database with wilayah + crosswalk + kecamatan and desa polygons of the five districts."""
    data = _need_shared()
    path = tmp_path_factory.mktemp("geo_db") / "geo.duckdb"
    con = db.connect(path)
    results = {"wilayah": _ok(runner.run_import(
        con, "wilayah", data / "wilayah" / "wilayah.csv", "wilayah.csv", "uji",
        {"kab": list(DISTRICTS)}))}
    for f in ("bps_kemendagri_kecamatan.csv", "bps_kemendagri_kabkota.csv"):
        results[f] = _ok(runner.run_import(con, "wilayah", data / "wilayah" / f, f, "uji", {"kab": list(DISTRICTS)}))
    for kab, files in geo_files.items():
        results[("kec", kab)] = runner.run_import(con, "boundaries", files["kec"], files["kec"].name, "uji",
                                                  {"level": "kecamatan"})
        results[("desa", kab)] = runner.run_import(con, "boundaries", files["desa"], files["desa"].name, "uji",
                                                   {"level": "desa"})
    yield con, results
    con.close()


# ---------------------------------------------------------------- wilayah

@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_wilayah_import_counts_and_codes(loaded):
    con, results = loaded
    assert results["wilayah"].status == "berhasil"
    for kab, (n_kec, n_desa, _) in DISTRICTS.items():
        got = dict(db.fetch_pl(con, "select level, count(*) as n from wilayah where kode_kab = $k group by level",
                               {"k": kab}).iter_rows())
        assert got == {"kabkota": 1, "kecamatan": n_kec, "desa": n_desa}, kab
    # provinces of the five districts only
    assert sorted(r[0] for r in con.execute("select kode from wilayah where level = 'provinsi'").fetchall()) == \
        ["21", "33", "35", "61", "74"]
    row = db.fetch_pl(con, "select * from wilayah where kode = '35.23.01.2001'").row(0, named=True)
    assert row == {"kode": "35.23.01.2001", "level": "desa", "nama": "Jlodro", "parent": "35.23.01",
                   "kode_kab": "35.23", "kode_kec": "35.23.01", "jenis": "desa",
                   "versi": "KEPMENDAGRI_300.2.2-2138_2025"}
    kab = db.fetch_pl(con, "select kode, jenis, parent from wilayah where level = 'kabkota' order by kode")
    assert dict(zip(kab["kode"], kab["jenis"])) == {"21.72": "kota", "33.29": "kabupaten", "35.23": "kabupaten",
                                                    "61.12": "kabupaten", "74.14": "kabupaten"}
    # Kota Tanjungpinang has only kelurahan (prefix 1)
    assert {r[0] for r in con.execute("select distinct jenis from wilayah where kode_kab = '21.72' "
                                      "and level = 'desa'").fetchall()} == {"kelurahan"}
    kec = db.fetch_pl(con, "select kode_kec from wilayah where level = 'kecamatan'")
    assert kec["kode_kec"].null_count() == kec.height  # kode_kec is for desa rows only


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_crosswalk_import(loaded):
    con, results = loaded
    xw = db.fetch_pl(con, "select * from xwalk_bps_dagri order by kode_bps")
    assert set(xw["level"]) == {"kabkota", "kecamatan"}
    assert xw.filter(pl.col("level") == "kecamatan").height == sum(v[0] for v in DISTRICTS.values())
    pairs = dict(zip(xw["kode_bps"], xw["kode_dagri"]))
    assert pairs["3523010"] == "35.23.01" and pairs["3523020"] == "35.23.03" and pairs["3523081"] == "35.23.20"
    assert pairs["3329100"] == "33.29.12" and pairs["2172"] == "21.72"
    assert set(xw["sumber"]) == {"BPS bridging 2020 (2022 snapshot)"}
    assert all(k[:5] in DISTRICTS for k in xw["kode_dagri"])  # only the selected kab/kota


def test_wilayah_validation(tmp_path, uploads):
    con = db.connect(":memory:")
    f = tmp_path / "wil.csv"
    f.write_text(
        "kode,nama,level\n"
        "35,Jawa Timur,provinsi\n"            # 2
        "35.23,Kabupaten Tuban,kabkota\n"     # 3
        "35.23.01,Kenduruan,kecamatan\n"      # 4
        "35.23.01.2001,Jlodro,desa\n"         # 5
        "35.23.01.2001,Jlodro lagi,desa\n"    # 6 duplicate
        "35.23.1,Salah,kecamatan\n"           # 7 bad code
        "35.23.02,Jatirogo,desa\n"            # 8 level does not fit the code
        "35.23.09.2001,Yatim,desa\n"          # 9 parent missing
        "35.23.01.4001,Aneh,desa\n"           # 10 prefix 4
        "35.70,Tujuh Puluh,kabkota\n"         # 11 kab 70 is neither kabupaten nor kota
        "3523012002,Tanpa Titik,\n",          # 12 no dots, level from the code: ok
        encoding="utf-8")
    from ilp.ingest import wilayah
    from ilp.ingest.base import Source
    p = wilayah.parse(Source(f, "wil.csv", {}), con)
    bad = {pr.row for pr in p.problems}
    assert bad == {6, 7, 8, 9, 10, 11}, [pr.text() for pr in p.problems]
    assert all(pr.text("id") and pr.text("en") for pr in p.problems)
    assert sorted(p.tables["wilayah"]["kode"]) == ["35", "35.23", "35.23.01", "35.23.01.2001", "35.23.01.2002"]
    res = runner.run_import(con, "wilayah", f, "wil.csv", "uji")
    assert res.status == "gagal" and con.execute("select count(*) from wilayah").fetchall()[0][0] == 0
    res = runner.run_import(con, "wilayah", f, "wil.csv", "uji", accept_valid=True)
    assert res.status == "sebagian" and con.execute("select count(*) from wilayah").fetchall()[0][0] == 5
    # the same file again doubles nothing
    runner.run_import(con, "wilayah", f, "wil.csv", "uji", accept_valid=True)
    assert con.execute("select count(*) from wilayah").fetchall()[0][0] == 5
    con.close()


# ---------------------------------------------------------------- boundaries on the five districts

@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
@pytest.mark.parametrize("kab", list(DISTRICTS))
def test_boundaries_match_every_feature(loaded, geo_files, kab):
    con, results = loaded
    n_kec, n_desa, n_poly = DISTRICTS[kab]
    rk, rd = results[("kec", kab)], results[("desa", kab)]
    assert rk.status == "berhasil" and _matched(rk.notes) == f"matched {n_kec} of {n_kec}", _notes(rk.notes)
    assert rd.status == "berhasil" and _matched(rd.notes) == f"matched {n_poly} of {n_poly}", _notes(rd.notes)
    got = db.fetch_pl(con, "select kode, aturan_cocok, sumber, import_id from batas_wilayah "
                           "where level = 'kecamatan' and kode like $k || '.%'", {"k": kab})
    assert sorted(got["kode"]) == sorted(geo_files[kab]["kec_expected"])
    assert set(got["aturan_cocok"]) == {"kode"}
    assert set(got["sumber"]) == {f"kecamatan_{kab}.geojson"} and got["import_id"].null_count() == 0
    # desa polygons carry the right code: the file's own code property
    desa = gpd.read_file(geo_files[kab]["desa"])
    got_d = db.fetch_pl(con, "select kode from batas_wilayah where level = 'desa' and kode like $k || '.%'",
                        {"k": kab})
    assert sorted(got_d["kode"]) == sorted(desa["kode"])
    if n_poly < n_desa:  # Kubu Raya: the desa without polygon are listed
        assert f"{n_desa - n_poly} desa tanpa poligon" in " ".join(_notes(rd.notes))
        assert "61.12.01.2021 Sukulanting" in " ".join(_notes(rd.notes))


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_boundary_columns(loaded):
    con, _ = loaded
    b = db.fetch_pl(con, "select * from batas_wilayah where kode = '35.23.16'")
    r = b.row(0, named=True)
    full = shapely.from_wkb(r["geom_wkb"])
    assert full.is_valid and full.geom_type in ("Polygon", "MultiPolygon")
    simp = shapely.from_geojson(r["geojson"])
    assert simp.is_valid and abs(simp.area - full.area) / full.area < 0.05  # source overlaps are shared out
    assert full.contains(shapely.Point(r["lon"], r["lat"]))
    # area in an equal-area projection: Kecamatan Tuban is about 21 km2
    assert 15 < r["luas_km2"] < 30
    # exterior rings clockwise (what Plotly's d3-geo expects)
    g = json.loads(r["geojson"])
    ring = np.array(g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0])
    signed = 0.5 * np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
    assert signed < 0
    # 5 decimals at most
    assert all(len(str(c).split(".")[-1]) <= 5 for c in np.asarray(ring).ravel())


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
@pytest.mark.parametrize("kab", list(DISTRICTS))
def test_names_only_and_bps_codes(loaded, geo_files, kab):
    con, _ = loaded
    files = geo_files[kab]
    expected = sorted(files["kec_expected"])
    n = len(expected)
    p = runner.preview(con, "boundaries", files["kec_nama"], files["kec_nama"].name, {"level": "kecamatan"})
    assert not p.problems and _matched(p.notes) == f"matched {n} of {n}", [x.text() for x in p.problems]
    t = p.tables["batas_wilayah"]
    assert set(t["aturan_cocok"]) == {"nama"}
    # the right code for each feature, not just the right set
    feats = gpd.read_file(files["kec"])
    by_name = dict(zip(feats["nama"], feats["kode"]))
    nama = dict(db.fetch_pl(con, "select kode, nama from wilayah where level = 'kecamatan'").iter_rows())
    assert all(by_name[nama[k]] == k for k in t["kode"])
    assert sorted(t["kode"]) == expected

    p = runner.preview(con, "boundaries", files["kec_bps"], files["kec_bps"].name, {"level": "kecamatan"})
    assert not p.problems and _matched(p.notes) == f"matched {n} of {n}"
    assert set(p.tables["batas_wilayah"]["aturan_cocok"]) == {"kode_bps"}
    assert sorted(p.tables["batas_wilayah"]["kode"]) == expected

    # desa names only: duplicate desa names inside a kab are told apart by the kecamatan polygons
    n_poly = DISTRICTS[kab][2]
    p = runner.preview(con, "boundaries", files["desa_nama"], files["desa_nama"].name, {"level": "desa"})
    assert not p.problems and _matched(p.notes) == f"matched {n_poly} of {n_poly}", [x.text() for x in p.problems][:5]
    desa = gpd.read_file(files["desa"])
    assert sorted(p.tables["batas_wilayah"]["kode"]) == sorted(desa["kode"])


def test_provincial_file_and_parent_name_column(tmp_path, uploads):
    """Only Tuban loaded: a file with all five districts skips the other kab/kota (counted, not
    rejected); desa names with a kecamatan-name column (WADMKC-style) need no polygons."""
    data = _need_shared()
    con = db.connect(tmp_path / "tuban.duckdb")
    _ok(runner.run_import(con, "wilayah", data / "wilayah" / "wilayah.csv", "wilayah.csv", "uji", {"kab": "35.23"}))
    f = data / "boundaries" / "kecamatan_5kab.geojson"
    p = runner.preview(con, "boundaries", f, f.name, {"level": "kecamatan"})
    assert not p.problems and _matched(p.notes) == "matched 20 of 20"
    assert any(n.startswith("37 fitur milik kab/kota yang belum dimuat") for n in _notes(p.notes))
    desa = gpd.read_file(data / "boundaries" / "desa_35.23.geojson")
    kec_nama = dict(db.fetch_pl(con, "select kode, nama from wilayah where level = 'kecamatan'").iter_rows())
    v = desa.drop(columns=["kode", "kode_nodot"]).rename(columns={"nama": "NAMOBJ"})
    v["WADMKC"] = ["Kecamatan " + kec_nama[k[:8]].upper() for k in desa["kode"]]
    g = tmp_path / "desa_tuban_nama.geojson"
    v.to_file(g, driver="GeoJSON")
    p = runner.preview(con, "boundaries", g, g.name, {"level": "desa"})
    assert not p.problems and _matched(p.notes) == "matched 328 of 328", [x.text() for x in p.problems][:5]
    assert sorted(p.tables["batas_wilayah"]["kode"]) == sorted(desa["kode"])
    assert set(p.tables["batas_wilayah"]["aturan_cocok"]) == {"nama"}
    # the five-district facility list against Tuban only: the other districts' facilities are skipped
    # (counted), not rejected; Tuban's 33 Puskesmas are placed
    _ok(runner.run_import(con, "boundaries", f, f.name, "uji", {"level": "kecamatan"}))
    fk = data / "faskes" / "faskes_5kab_2019.csv"
    p = runner.preview(con, "faskes", fk, fk.name, {})
    assert not p.problems, [x.text() for x in p.problems][:5]
    t = p.tables["faskes"]
    assert t.filter(pl.col("jenis") == "puskesmas").height == 33 and t["kode_kec"].str.starts_with("35.23.").all()
    assert any(n.startswith("80 faskes milik kab/kota yang belum dimuat dilewati") for n in _notes(p.notes))
    con.close()


def _overlap_km2(geoms) -> float:
    g = gpd.GeoSeries(list(geoms), crs=4326).to_crs(geo.EQUAL_AREA_CRS).values
    i, j = shapely.STRtree(g).query(g, predicate="intersects")
    m = i < j
    return float(sum(shapely.area(shapely.intersection(g[a], g[b])) for a, b in zip(i[m], j[m]))) / 1e6


def _union_km2(geoms) -> float:
    return float(gpd.GeoSeries([shapely.union_all(list(geoms))], crs=4326).to_crs(geo.EQUAL_AREA_CRS).area[0]) / 1e6


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
@pytest.mark.parametrize("kab", list(DISTRICTS))
def test_simplified_layers_small_and_topologically_clean(loaded, kab):
    con, _ = loaded
    for level, limit in (("kecamatan", KEC_LIMIT), ("desa", DESA_LIMIT)):
        b = db.fetch_pl(con, "select kode, geom_wkb, geojson from batas_wilayah where level = $l and kode like $k || '.%'",
                        {"l": level, "k": kab})
        size = sum(len(s) for s in b["geojson"])
        assert size < limit, (kab, level, size)
        fc = geo.to_geojson_feature_collection(b.select("kode", "geojson"))
        assert len(fc.encode()) < limit + 200 * b.height
        full = shapely.from_wkb(b["geom_wkb"].to_list())
        simp = shapely.from_geojson(b["geojson"].to_list())
        assert all(shapely.is_valid(simp))
        u0, u1 = _union_km2(full), _union_km2(simp)
        assert abs(u1 - u0) / u0 < 0.01, (kab, level, u0, u1)
        # neighbours share one border: no overlap left (the source polygons themselves overlap a little)
        assert _overlap_km2(simp) < 0.001 * u0 / 100, (kab, level, _overlap_km2(simp))
        assert _overlap_km2(simp) <= _overlap_km2(full) + 1e-6
        # no new gaps: the union has no more holes than the source union
        holes = lambda u: sum(len(p.interiors) for p in shapely.get_parts(u))  # noqa: E731
        assert holes(shapely.union_all(simp)) <= holes(shapely.union_all(full))


def test_simplify_full_resolution_layer_under_budget():
    """A district layer with 30x the vertices (as a BIG full-resolution file) still fits the budget."""
    data = _need_shared()
    d = geo.read_geo(data / "boundaries" / "desa_35.23.geojson")
    dense = d.copy()
    dense["geometry"] = shapely.segmentize(d.geometry.values, 0.0001)
    assert geo.payload_bytes(dense.geometry.values) > 10_000_000
    s = geo.simplify_for_map(dense[["kode", "geometry"]], "desa")
    assert geo.payload_bytes(s.geometry.values) < DESA_LIMIT
    assert shapely.coverage_is_valid(s.geometry.values)
    k = geo.simplify_for_map(gpd.read_file(data / "boundaries" / "kecamatan_5kab.geojson")
                             .pipe(lambda g: g[g["kode"].str.startswith("35.23.")]), "kecamatan")
    assert geo.payload_bytes(k.geometry.values) < KEC_LIMIT
    assert shapely.coverage_is_valid(k.geometry.values)


# ---------------------------------------------------------------- faskes

@pytest.fixture(scope="session")
def faskes_loaded(loaded):
    con, _ = loaded
    data = SHARED / "faskes" / "faskes_5kab_2019.csv"
    res = runner.run_import(con, "faskes", data, data.name, "uji", accept_valid=True)
    src = pl.read_csv(data, infer_schema=False)
    got = db.fetch_pl(con, "select * from faskes")
    return res, src.join(got, on="kode_faskes", how="left"), con


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_faskes_every_puskesmas_in_its_kecamatan(faskes_loaded):
    res, j, con = faskes_loaded
    assert res.status == "sebagian"
    loaded_kec = set(db.fetch_pl(con, "select kode from wilayah where level = 'kecamatan'")["kode"])
    pkm = j.filter(pl.col("jenis_faskes") == "PUSKESMAS")
    assert pkm.height == 107 and pkm["kode_kec"].null_count() == 0
    for r in pkm.iter_rows(named=True):
        spatial = r["kode_kec_spatial"]
        if spatial in loaded_kec:
            assert r["kode_kec"] == spatial, r
        else:
            # the point lies just outside the (simplified) polygons: LOSARI (Brebes/Cirebon border),
            # SANGIA WAMBULU (coast, no spatial code in the file): nearest polygon within 2 km, reported
            assert r["aturan_lokasi"] == "poligon_terdekat", r
            assert r["kode_faskes"] in {"P3329100101", "P7414121201"}
        if not r["kode_kec_kemendagri"]:
            assert r["aturan_lokasi"] in ("titik_dalam_poligon", "poligon_terdekat"), r
        if r["aturan_lokasi"] == "crosswalk_bps":
            assert r["kode_kec"] == r["kode_kec_kemendagri"]
    assert j.filter(pl.col("kode_faskes") == "P3329100101")["kode_kec"].item() == "33.29.12"  # Losari
    sangia = j.filter(pl.col("kode_faskes") == "P7414121201")["kode_kec"].item()
    assert con.execute("select nama from wilayah where kode = $k", {"k": sangia}).fetchall()[0][0] == "Sangia Wambulu"
    # where crosswalk and point disagree the point wins (BUARAN, WIRE)
    for k, want in (("P3329020202", "33.29.01"), ("P3523130203", "35.23.15")):
        r = j.filter(pl.col("kode_faskes") == k).row(0, named=True)
        assert r["kode_kec"] == want and r["aturan_lokasi"] == "titik_dalam_poligon"
    rules = pkm["aturan_lokasi"].value_counts()
    assert set(rules["aturan_lokasi"]) <= {"crosswalk_bps", "titik_dalam_poligon", "poligon_terdekat"}
    assert pkm.filter(pl.col("aturan_lokasi") == "crosswalk_bps").height >= 80
    assert pkm["rawat_inap"].null_count() == pkm.height  # the 2019 list does not say
    assert any("LOSARI" in n and "m dari 33.29.12" in n for n in _notes(res.notes))


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_faskes_hospitals_and_rejects(faskes_loaded):
    res, j, con = faskes_loaded
    # the air-force hospital listed under Kubu Raya stands in Kota Pontianak: rejected, not guessed
    assert [p.row for p in res.problems] == [j.with_row_index().filter(
        pl.col("kode_faskes") == "R6112135")["index"].item() + 2]
    assert "di luar semua poligon" in _txt(res.problems[0])
    rs = j.filter((pl.col("jenis_faskes") == "RUMAH SAKIT") & (pl.col("kode_faskes") != "R6112135"))
    assert rs.height == 8 and (rs["kode_kec"] == rs["kode_kec_spatial"]).all()
    assert set(rs["jenis"]) == {"rumah_sakit"} and set(rs["aturan_lokasi"]) == {"titik_dalam_poligon"}
    # desa from the desa polygons, always inside the facility's kecamatan
    placed = db.fetch_pl(con, "select kode_kec, kode_desa from faskes where kode_desa is not null")
    assert placed.height >= 100
    assert all(d.startswith(k + ".") for k, d in placed.iter_rows())


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_faskes_template_layout(loaded, tmp_path):
    con, _ = loaded
    f = tmp_path / "faskes_template.csv"
    f.write_text(
        "kode_faskes,nama,jenis,rawat_inap,kode_kec,kode_desa,kode_induk,dusun_rw,lat,lon\n"
        "PKM-A,Puskesmas A,puskesmas,ya,35.23.01,,,,,\n"                               # 2 kode_kec given
        "PST-1,Pustu Jlodro,Pustu,,,35.23.01.2001,PKM-A,,,\n"                           # 3 kec from desa
        "PSY-1,Posyandu Mawar,posyandu,,,,PKM-A,Dusun Krajan RW 02,-6.9,112.05\n"       # 4 by point
        "PKM-B,Puskesmas B,puskesmas,tidak,352316,,,,-6.9,112.05\n"                     # 5 nodot code
        "X-1,Apotek,apotek,,35.23.01,,,,,\n"                                            # 6 unknown jenis
        "X-2,Luar Negeri,klinik,,,,,,1.35,103.8\n"                                      # 7 outside Indonesia
        "PKM-A,Puskesmas A lagi,puskesmas,,35.23.01,,,,,\n"                             # 8 duplicate
        "X-3,Pustu Yatim,pustu,,35.23.01,,TIDAK-ADA,,,\n"                               # 9 unknown induk
        "X-4,Pustu Salah Desa,pustu,,35.23.02,35.23.01.2001,PKM-A,,,\n"                 # 10 desa not in kec
        "X-5,Tertukar,klinik,,,,,,112.05,-6.9\n",                                       # 11 swapped
        encoding="utf-8")
    p = runner.preview(con, "faskes", f, f.name, {})
    assert sorted({x.row for x in p.problems}) == [6, 7, 8, 9, 10, 11], [x.text() for x in p.problems]
    assert "tertukar" in next(_txt(x) for x in p.problems if x.row == 11)
    t = {r["kode_faskes"]: r for r in p.tables["faskes"].iter_rows(named=True)}
    assert t["PKM-A"]["rawat_inap"] is True and t["PKM-A"]["aturan_lokasi"] == "kode"
    assert t["PKM-B"]["rawat_inap"] is False and t["PKM-B"]["kode_kec"] == "35.23.16"
    assert t["PST-1"]["kode_kec"] == "35.23.01" and t["PST-1"]["kode_induk"] == "PKM-A"
    assert t["PSY-1"]["aturan_lokasi"] == "titik_dalam_poligon" and t["PSY-1"]["dusun_rw"] == "Dusun Krajan RW 02"
    assert t["PSY-1"]["kode_desa"].startswith(t["PSY-1"]["kode_kec"] + ".")
    assert t["PST-1"]["rawat_inap"] is None


# ---------------------------------------------------------------- hostile files

def _data_checksums(con) -> dict:
    return {k: v for k, v in db.table_checksums(con).items() if k != "import_log"}


@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_hostile_zip_refused(loaded, tmp_path):
    con, _ = loaded
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        for ext in (".shp", ".shx", ".dbf"):
            z.writestr("../evil" + ext, b"x" * 100)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("kec.shp", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(geo.MAX_UNCOMPRESSED_BYTES // len(chunk) + 5):
                f.write(chunk)
        z.writestr("kec.shx", b"x")
        z.writestr("kec.dbf", b"x")
    assert bomb.stat().st_size < 1_000_000
    before = _data_checksums(con)
    n_log = con.execute("select count(*) from import_log").fetchall()[0][0]
    for f, words in ((evil, ("'../evil.shp'", "berbahaya")), (bomb, ("zip bomb", "terlalu besar"))):
        res = runner.run_import(con, "boundaries", f, f.name, "uji", {"level": "kecamatan"}, accept_valid=True)
        assert res.status == "gagal"
        assert res.problems and res.problems[0].row is None
        assert all(w in _txt(res.problems[0]) for w in words), _txt(res.problems[0])
        assert "Tidak ada data yang disimpan" in _txt(res.problems[0])
    assert _data_checksums(con) == before
    assert con.execute("select count(*) from import_log where status = 'gagal'").fetchall()[0][0] >= 2
    assert con.execute("select count(*) from import_log").fetchall()[0][0] == n_log + 2


def test_zip_with_lying_size_header(tmp_path):
    f = tmp_path / "liar.zip"
    data = b"\0" * (3 << 20)
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.shp", data)
        z.writestr("a.shx", b"x")
        z.writestr("a.dbf", b"x")
    raw = bytearray(f.read_bytes())
    real = len(data).to_bytes(4, "little")
    i = raw.find(real)
    while i != -1:
        raw[i:i + 4] = (1000).to_bytes(4, "little")
        i = raw.find(real, i + 4)
    f.write_bytes(bytes(raw))
    with pytest.raises(geo.GeoError) as e:
        geo.read_geo(f, max_uncompressed=1 << 20)
    assert "zip" in e.value.msg.text("id")


# ---------------------------------------------------------------- reading formats and CRS

@pytest.mark.slow  # imports the five real districts (session fixture `loaded`)
def test_read_zipped_shapefile_in_utm_and_geopackage(loaded, tmp_path):
    con, _ = loaded
    data = _need_shared()
    kec = gpd.read_file(data / "boundaries" / "kecamatan_5kab.geojson")
    tuban = kec[kec["kode"].str.startswith("35.23.")].reset_index(drop=True)
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    tuban.rename(columns={"kode_nodot": "KDCPUM", "nama": "WADMKC"}).drop(columns=["kode"]).to_crs(32749) \
        .to_file(shp_dir / "ADMINISTRASIKECAMATAN_AR.shp")
    z = tmp_path / "tuban_kec.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in shp_dir.iterdir():
            zf.write(p, "Tuban/" + p.name)
    g = geo.read_geo(z)
    assert g.crs.to_epsg() == 4326 and len(g) == 20
    assert abs(g.total_bounds[0] - tuban.total_bounds[0]) < 1e-4
    p = runner.preview(con, "boundaries", z, z.name, {"level": "kecamatan"})
    assert not p.problems and _matched(p.notes) == "matched 20 of 20"
    assert set(p.tables["batas_wilayah"]["aturan_cocok"]) == {"kode"}

    gpkg = tmp_path / "tuban.gpkg"
    tuban.to_file(gpkg, driver="GPKG", layer="kecamatan")
    assert len(geo.read_geo(gpkg)) == 20
    p = runner.preview(con, "boundaries", gpkg, gpkg.name, {})
    assert _matched(p.notes) == "matched 20 of 20" and any("level tidak diberikan" in n for n in _notes(p.notes))


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_crs_missing(tmp_path):
    sq = shapely.box(112.0, -7.0, 112.1, -6.9)
    lonlat = tmp_path / "tanpa_crs.geojson"
    lonlat.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "X"}, "geometry": shapely.geometry.mapping(sq)}]}))
    # GeoJSON is lon/lat by definition; a Shapefile without .prj is the real case
    shp = tmp_path / "noprj"
    shp.mkdir()
    gpd.GeoDataFrame({"nama": ["X"]}, geometry=[sq], crs=None).to_file(shp / "a.shp")
    g = geo.read_geo(shp / "a.shp")
    assert g.crs.to_epsg() == 4326 and g.attrs.get("catatan")
    utm = tmp_path / "noprj_utm"
    utm.mkdir()
    gpd.GeoDataFrame({"nama": ["X"]}, geometry=[shapely.box(600000, 9200000, 610000, 9210000)],
                     crs=None).to_file(utm / "a.shp")
    with pytest.raises(geo.GeoError) as e:
        geo.read_geo(utm / "a.shp")
    assert "sistem koordinat" in e.value.msg.text("id") and "coordinate" in e.value.msg.text("en").lower()
    assert geo.read_geo(lonlat).crs.to_epsg() == 4326


# ---------------------------------------------------------------- pure helpers

@pytest.mark.parametrize("a,b", [
    ("Kec. Tanjung Pinang Barat", "TANJUNGPINANG BARAT"),
    ("Kecamatan Kuala Mandor-B", "Kuala Mandor B"),
    ("Desa Jlodro", "JLODRO"),
    ("Kel. Kp. Baru", "Kampung Baru"),
    ("Kabupaten Tuban", "Kab. Tuban"),
    ("Kota Tanjungpinang", "Tanjung Pinang"),
    ("Sei Jang", "Sungai Jang"),
    ("Tj. Unggat", "Tanjung Unggat"),
])
def test_normalise_name(a, b):
    assert names.name_key(a) == names.name_key(b)


def test_normalise_name_keeps_the_name():
    assert names.normalise_name("Kec. Tanjung-Pinang  Barat") == "tanjung pinang barat"
    assert names.normalise_name("Kota") == "kota"          # a prefix alone is a name
    assert names.normalise_name("KECAMATAN KOTA") == "kota"
    assert names.normalise_name("Bojong") != names.normalise_name("Bojongsari")


def _wil(*rows):
    return pl.DataFrame(list(rows), schema={"kode": pl.String, "nama": pl.String, "level": pl.String,
                                            "parent": pl.String, "kode_kab": pl.String}, orient="row")


WIL = _wil(("99.01", "Kabupaten Uji", "kabkota", "99", "99.01"),
           ("99.01.01", "Kenduruan", "kecamatan", "99.01", "99.01"),
           ("99.01.02", "Jatirogo", "kecamatan", "99.01", "99.01"),
           ("99.01.03", "Bangilan", "kecamatan", "99.01", "99.01"))


def _gdf(props: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(props, geometry=[shapely.box(110 + i * 0.1, -7, 110.1 + i * 0.1, -6.9)
                                             for i in range(len(props))], crs=4326)


def test_match_duplicates_are_reported_not_merged():
    g = _gdf([{"kode": "99.01.01"}, {"kode": "990101"}, {"kode": "99.01.02"}])
    m, u, miss = geo.match_features(g, WIL, "kecamatan")
    assert list(m["kode"]) == ["99.01.02"]
    assert sorted(x.index for x in u) == [0, 1] and all("sama-sama cocok" in x.msg.text("id") for x in u)
    assert miss == [("99.01.01", "Kenduruan"), ("99.01.03", "Bangilan")]
    g2 = _gdf([{"kode": "99.01.01"}, {"kode": "99.01.01"}])
    m, u, _ = geo.match_features(g2, WIL, "kecamatan", merge_same_code=True)
    assert list(m["kode"]) == ["99.01.01"] and m.geometry.iloc[0].area == pytest.approx(0.02)


def test_match_fuzzy_one_to_one_only():
    g = _gdf([{"nama": "Kendurua"}, {"nama": "Jatirogo"}, {"nama": "Zzz"}])
    m, u, miss = geo.match_features(g, WIL, "kecamatan")
    assert dict(zip(m["kode"], m["aturan_cocok"])) == {"99.01.01": "nama_fuzzy", "99.01.02": "nama"}
    assert [x.index for x in u] == [2] and u[0].column == "nama"
    # two near-identical misspellings of one name: neither is assigned
    g = _gdf([{"nama": "Kendurua"}, {"nama": "Kendurun"}, {"nama": "Jatirogo"}])
    m, u, _ = geo.match_features(g, WIL, "kecamatan")
    assert list(m["kode"]) == ["99.01.02"] and sorted(x.index for x in u) == [0, 1]


def test_to_geojson_feature_collection():
    rows = pl.DataFrame({"kode": ["99.01.01", "99.01.02"],
                         "geojson": [geo.map_geojson(shapely.box(0, 0, 1, 1)), '{"type":"Point","coordinates":[1,2]}'],
                         "nama": ["Kenduruan", "Jatirogo"], "nilai": [12.5, float("nan")]})
    fc = json.loads(geo.to_geojson_feature_collection(rows))
    assert fc["type"] == "FeatureCollection" and [f["id"] for f in fc["features"]] == ["99.01.01", "99.01.02"]
    assert fc["features"][0]["properties"] == {"kode": "99.01.01", "nama": "Kenduruan", "nilai": 12.5}
    assert fc["features"][1]["properties"]["nilai"] is None
    assert fc["features"][1]["geometry"] == {"type": "Point", "coordinates": [1, 2]}
    assert json.loads(geo.to_geojson_feature_collection([{"kode": "a", "geojson": None}])) == \
        {"type": "FeatureCollection", "features": []}


def test_place_points():
    polys = gpd.GeoDataFrame({"kode": ["A", "B"]},
                             geometry=[shapely.box(110.0, -7.0, 110.1, -6.9), shapely.box(110.1, -7.0, 110.2, -6.9)],
                             crs=4326)
    lon = [110.05, 110.15, 110.1, 110.21, 110.5, None]
    lat = [-6.95, -6.95, -6.95, -6.95, -6.95, None]
    r = geo.place_points(lon, lat, polys)
    assert r["kode"].to_list() == ["A", "B", "A", "B", None, None]
    assert r["aturan"].to_list() == ["titik_dalam_poligon"] * 3 + ["poligon_terdekat", None, None]
    d = r["jarak_m"][3]
    assert 1000 < d < 1200 and not math.isnan(d)  # 0.01 degree of longitude near 7° S ~ 1.1 km


def test_disguised_file_refused(tmp_path):
    """GDAL picks the driver from the content: a VRT (which can read other server files) named .geojson is refused."""
    vrt = tmp_path / "peta.geojson"
    vrt.write_text('<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
                   "</OGRVRTLayer></OGRVRTDataSource>")
    with pytest.raises(geo.GeoError) as e:
        geo.read_geo(vrt)
    assert "bukan .geojson yang sah" in e.value.msg.text("id")
    z = tmp_path / "peta.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.shp", b"<OGRVRTDataSource/>")
        zf.writestr("a.shx", b"x")
        zf.writestr("a.dbf", b"x")
    with pytest.raises(geo.GeoError):
        geo.read_geo(z)


def test_dissolve_kabkota_and_province_budget():
    """A province map: kab/kota polygons are the union of their kecamatan; a province's kecamatan layer has one
    budget (500 KB), not one per kab/kota."""
    kec = gpd.GeoDataFrame({"kode": ["99.01.01", "99.01.02", "99.02.01"]},
                           geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(0, 1, 1, 2)],
                           crs=4326)
    d = geo.dissolve_kabkota(kec)
    assert list(d["kode"]) == ["99.01", "99.02"]
    assert shapely.equals(d.geometry.values[0], shapely.box(0, 0, 2, 1))
    assert d.geometry.values[1].area == 1.0
    data = _need_shared()
    k = geo.read_geo(data / "boundaries" / "kecamatan_5kab.geojson")
    s = geo.simplify_for_map(k[["kode", "geometry"]], "kecamatan", scope="provinsi")
    assert geo.payload_bytes(s.geometry.values) < geo.MAP_BUDGET_PROVINSI_BYTES["kecamatan"]
    assert shapely.coverage_is_valid(s.geometry.values)
    kab = geo.simplify_for_map(geo.dissolve_kabkota(k), "kabkota", scope="provinsi")
    assert len(kab) == 5 and geo.payload_bytes(kab.geometry.values) < geo.MAP_BUDGET_PROVINSI_BYTES["kabkota"]
    # tight budget: the tolerance doubles until it fits
    tight = geo.simplify_for_map(k[["kode", "geometry"]], "kecamatan", scope="provinsi", max_bytes=20_000)
    assert geo.payload_bytes(tight.geometry.values) <= 20_000 and tight.attrs["tolerance"] > 0.001
