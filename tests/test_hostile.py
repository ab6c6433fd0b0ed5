"""Hostile and broken boundary files: implausible geometry refused with what looks wrong; a GeoPackage with several
layers imported by choosing the layer (option 'layer' on the boundaries kind, CLI --layer)."""
from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)

from ilp.ingest import runner

con = fixture_copy   # kab 99.02: kecamatan 99.02.01 = box(110.0, -7.0, 110.2, -6.8), 99.02.02 = box(110.2, -7.0, ...)


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))


def _geojson(path, boxes: dict, crs: str | None = None):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": k}, "geometry": shapely.geometry.mapping(shapely.box(*b))}
        for k, b in boxes.items()]}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(fc))
    return path


def _import(con, path, **opts):
    return runner.run_import(con, "boundaries", path, path.name, "uji", options={"level": "kecamatan", **opts})


def test_a_plausible_update_is_accepted(con, tmp_path):
    f = _geojson(tmp_path / "ok.geojson", {"99.02.01": (110.0, -7.0, 110.21, -6.8), "99.02.02": (110.2, -7.0, 110.4, -6.8)})
    res = _import(con, f)
    assert res.status == "berhasil", [p.text() for p in res.problems]


@pytest.mark.parametrize("boxes,crs,expect", [
    # latitude and longitude swapped
    ({"99.02.01": (-7.0, 110.0, -6.8, 110.2)}, None, "lintang dan bujur tertukar"),
    # degrees in a file that declares web mercator (metres): lands near 0,0
    ({"99.02.01": (110.0, -7.0, 110.2, -6.8)}, "urn:ogc:def:crs:EPSG::3857", "tampak derajat"),
    # plain nonsense far outside Indonesia
    ({"99.02.01": (10.0, 50.0, 10.2, 50.2)}, None, "di luar Indonesia"),
    # thousands of km from the kab/kota's other kecamatan (in Papua)
    ({"99.02.01": (138.0, -4.0, 138.2, -3.8)}, None, "km dari kecamatan lain"),
    # a sliver replacing a 490 km² polygon
    ({"99.02.01": (110.0, -7.0, 110.01, -6.99)}, None, "sangat berbeda"),
])
def test_implausible_geometry_refused(con, tmp_path, boxes, crs, expect):
    before = data_checksums(con)
    res = _import(con, _geojson(tmp_path / "x.geojson", boxes, crs))
    assert res.status == "gagal"
    text = "\n".join(p.text("id") for p in res.problems)
    assert expect in text, text
    p = [x for x in res.problems if x.msg.key.startswith("impor.batas.tidak_wajar.")]
    assert p and p[0].row == 1 and p[0].column == "kode"
    assert all(x.msg.text("en") != x.msg.key for x in p)
    assert data_checksums(con) == before


def test_geopackage_layer_choice(con, tmp_path):
    g = tmp_path / "dua_layer.gpkg"
    a = gpd.GeoDataFrame({"kode": ["99.02.01", "99.02.02"]},
                         geometry=[shapely.box(110.0, -7.0, 110.2, -6.8), shapely.box(110.2, -7.0, 110.4, -6.8)], crs=4326)
    a.to_file(g, layer="kecamatan", driver="GPKG")
    a.assign(geometry=[shapely.box(110.01, -6.99, 110.19, -6.81), shapely.box(110.21, -6.99, 110.39, -6.81)]).to_file(g, layer="kecamatan_lama", driver="GPKG")
    res = _import(con, g)
    assert res.status == "gagal" and "beberapa layer" in res.problems[0].text("id")
    assert "kecamatan_lama" in res.problems[0].text("en")
    res = _import(con, g, layer="kecamatan")
    assert res.status == "berhasil", [p.text() for p in res.problems]
    from ilp.cli_import import build_parser, options_for
    args = build_parser().parse_args(["boundaries", str(g), "--layer", "kecamatan", "--level", "kecamatan"])
    assert options_for(args, "boundaries") == ({"layer": "kecamatan", "level": "kecamatan"}, [])


# ---------------------------------------------------------------- failing disks and corrupt files

import errno  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from ilp import db  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_bad_corpus as mbc  # noqa: E402

SPM = mbc.SPM_HEAD + "2024,1,P3523010101,,spm01,5,lap\n"


@pytest.fixture
def small_con(corpus_con):
    return corpus_con


@pytest.fixture
def full_uploads(tmp_path, monkeypatch):
    """The uploads folder on a 64 KB tmpfs (root), else a copy that fails with ENOSPC (monkeypatched)."""
    d = tmp_path / "uploads_full"
    d.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)],
                                                   capture_output=True).returncode == 0
    if not mounted:
        real = shutil.copyfile

        def enospc(src, dst, *a, **k):
            if str(dst).endswith(".part"):
                Path(dst).write_bytes(b"x")
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(src, dst, *a, **k)
        monkeypatch.setattr(shutil, "copyfile", enospc)
    monkeypatch.setenv("ILP_UPLOADS", str(d))
    yield d, mounted
    if mounted:
        subprocess.run(["umount", str(d)], capture_output=True)


def test_disk_full_keeping_the_upload(small_con, tmp_path, full_uploads):
    d, mounted = full_uploads
    f = tmp_path / "spm.csv"
    f.write_text(SPM + "2024,2,P3523010101,,spm01,6,lap\n" * 5000)   # ~150 KB: more than the 64 KB tmpfs
    before = data_checksums(small_con)
    res = runner.run_import(small_con, "spm", f, f.name, "uji")
    assert res.status == "gagal" and [p.msg.key for p in res.problems] == ["impor.disk_penuh"]
    assert "disk penuh" in res.problems[0].text("id") and "disk full" in res.problems[0].text("en")
    assert not list(d.glob("*.part")) and not list(d.iterdir()), "a stray file was left behind"
    assert data_checksums(small_con) == before
    status = small_con.execute("select status from import_log where import_id = $i", {"i": res.import_id}).fetchall()
    assert status == [("gagal_disk_penuh",)]


def test_disk_full_writing_the_database(small_con, tmp_path, monkeypatch):
    """DuckDB reports a full disk inside the transaction: rolled back, a clean refusal, logged."""
    f = tmp_path / "spm.csv"
    f.write_text(SPM)
    before = data_checksums(small_con)

    def full():
        raise OSError(errno.ENOSPC, "IO Error: Could not write file: No space left on device")
    monkeypatch.setattr(runner, "_after_insert_hook", full)
    res = runner.run_import(small_con, "spm", f, f.name, "uji")
    assert res.status == "gagal" and res.problems[-1].msg.key == "impor.disk_penuh"
    assert data_checksums(small_con) == before
    assert small_con.execute("select status from import_log where import_id = $i",
                             {"i": res.import_id}).fetchall() == [("gagal_disk_penuh",)]


def test_corrupt_database_detected_before_writing(tmp_path):
    p = tmp_path / "rusak.duckdb"
    c = db.connect(p)
    mbc.load_fixture(c)
    c.execute("create table if not exists _isi as select range as i, md5(range::varchar) as s from range(200000)")
    c.execute("checkpoint")
    c.close()
    good = p.read_bytes()
    block = 256 * 1024               # DuckDB's block size; the file header sits in the first blocks
    f = tmp_path / "spm.csv"
    f.write_text(SPM)
    tried = 0
    for at in range(3 * block, len(good) - block, block):   # damage one data block at a time
        data = bytearray(good)
        data[at + 1000:at + 1064] = os.urandom(64)
        p.write_bytes(bytes(data))
        try:
            c = db.connect(p)
        except Exception:
            continue                 # a metadata block: refused on open already (the app says so when opening)
        try:
            before = c.execute("select count(*) from import_log").fetchall()[0][0]
            res = runner.run_import(c, "spm", f, f.name, "uji")
            if not any(x.msg.key == "impor.database_rusak" for x in res.problems):
                assert res.status == "berhasil"   # a free block: nothing to detect, and nothing went wrong
                continue
            tried += 1
            assert res.status == "gagal"
            assert "database rusak" in "\n".join(x.text("id") for x in res.problems)
            assert c.execute("select count(*) from import_log").fetchall()[0][0] <= before + 1
        finally:
            c.close()
        break
    assert tried, "no data block could be damaged without breaking the file's metadata"
