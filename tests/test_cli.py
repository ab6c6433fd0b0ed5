"""The command line as a user runs it: python -m ilp ..."""
import subprocess
import sys

import polars as pl

from tests.conftest import ROOT


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ilp", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)


def test_zscore_on_a_csv_saved_by_indonesian_excel(tmp_path):
    src = tmp_path / "ukur.csv"
    # semicolons, comma decimals, Windows-1252 (é), DD/MM/YYYY, one unreadable row
    text = ("nama;jk;tgl_lahir;tgl_ukur;tinggi;berat;cara_ukur\r\n"
            "Amélia;P;05/02/2023;10/08/2025;85,5;11,2;Berdiri\r\n"
            "Budi;L;01/01/2024;15/02/2025;70,1;8,4;Telentang\r\n"
            "Citra;P;01/01/2024;15/02/2025;7x,1;8,4;Telentang\r\n")
    src.write_bytes(text.encode("cp1252"))
    out = tmp_path / "hasil.csv"
    r = run("zscore", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    res = pl.read_csv(out, separator=";", encoding="utf8-lossy", infer_schema=False)
    assert res.height == 3 and "haz" in res.columns and "error" in res.columns
    assert res["nama"][0] == "Amélia"
    assert res["haz"][0] not in (None, "") and res["haz"][1] not in (None, "")
    assert "baris 4" in res["error"][2] and "tinggi" in res["error"][2]


def test_import_refuses_a_bad_file_and_exits_non_zero(tmp_path):
    db = tmp_path / "x.duckdb"
    bad = tmp_path / "sasaran.csv"
    bad.write_text("tahun;kode_unit;layanan;sumber;jumlah\n2026;99.99.99;spm01;PUSDATIN;-5\n", encoding="utf-8")
    r = run("import", "sasaran", str(bad), "--db", str(db))
    assert r.returncode != 0
    assert "baris 2" in (r.stdout + r.stderr)


def _fc(features):
    import json
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for props, ring in features]})


def test_boundaries_cli_imports_matched_lists_unmatched_and_ends_with_matched_line(fixture_db, tmp_path):
    import shutil
    db = tmp_path / "b.duckdb"
    shutil.copy(fixture_db, db)
    sq = lambda x0: [[x0, -7.0], [x0, -6.8], [x0 + 0.2, -6.8], [x0 + 0.2, -7.0], [x0, -7.0]]  # noqa: E731
    f = tmp_path / "kec.geojson"
    f.write_text(_fc([({"kode": "99.02.01", "nama": "Alpha"}, sq(110.0)),
                      ({"nama": "Kec. Beta"}, sq(110.2)),
                      ({"nama": "Gamma Raya"}, sq(110.4))]), encoding="utf-8")
    r = run("import", "boundaries", str(f), "--level", "kecamatan", "--db", str(db))
    assert r.returncode == 0, r.stdout + r.stderr
    out = (r.stdout + r.stderr).strip().splitlines()
    assert out[-1] == "matched 2 of 3"
    assert any("Gamma Raya" in line for line in out)  # the unmatched feature is listed
    only_bad = tmp_path / "bad.geojson"
    only_bad.write_text(_fc([({"nama": "Gamma Raya"}, sq(110.4))]), encoding="utf-8")
    r = run("import", "boundaries", str(only_bad), "--level", "kecamatan", "--db", str(db))
    assert r.returncode != 0
    assert (r.stdout + r.stderr).strip().splitlines()[-1] == "matched 0 of 1"
