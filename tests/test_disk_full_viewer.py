"""Issue 15: while the disk stays full, viewers can still open the dashboard (read-only; no schema set-up).

The database sits on a small tmpfs that is then filled to the last byte. Opening it read-only and asking the
dashboard's questions must work; an import must refuse cleanly and change nothing.
"""
import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ilp import db
import sys
from tests.conftest import ROOT, data_checksums


@pytest.fixture
def full_disk_db(fixture_db, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "penuh"
    mnt.mkdir()
    size = fixture_db.stat().st_size + 2 * 1024 * 1024
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow a tmpfs mount")
    try:
        p = mnt / "ilp.duckdb"
        shutil.copyfile(fixture_db, p)
        with open(mnt / "pengisi", "wb") as fh:  # fill the file system to the last byte
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError as e:
                assert e.errno == errno.ENOSPC
        with pytest.raises(OSError):
            (mnt / "satu_lagi").write_bytes(b"\0" * 65536)
        yield p
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_viewer_reads_while_the_disk_is_full(full_disk_db):
    con = db.connect(full_disk_db, read_only=True)
    try:
        kab = con.execute("select kode from wilayah where level = 'kabkota' order by kode limit 1").fetchone()[0]
        for key in ("wilayah/kecamatan", "stunting/prevalensi_kab", "ilp/jaringan_kecamatan"):
            q = db.query(key)
            params = {"kab": kab, "sumber_sasaran": "PUSDATIN", "tahun": 2025}
            frame = db.run(con, key, **{k: params[k] for k in q.params})
            assert frame.width > 0
    finally:
        con.close()


def test_import_refused_cleanly_while_the_disk_is_full(full_disk_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(Path(full_disk_db).parent / "uploads"))
    con = db.connect(full_disk_db, read_only=True)
    before = data_checksums(con)
    con.close()
    f = tmp_path / "target.csv"
    f.write_text("indikator,tahun,tingkat,kode_wilayah,nilai,dasar\n"
                 "stunting_prevalensi,2027,kabkota,99.01,15.0,RPJMD\n")
    # opening for writing already needs disk (schema set-up, WAL): a clean refusal, not a DuckDB error
    with pytest.raises(db.DiskFull):
        db.connect(full_disk_db)
    env = dict(os.environ, ILP_DB=str(full_disk_db))
    out = subprocess.run([sys.executable, "-m", "ilp", "import", "target", str(f)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "disk penuh" in out.stderr and "Traceback" not in out.stderr + out.stdout, out.stderr
    con = db.connect(full_disk_db, read_only=True)
    assert data_checksums(con) == before
    con.close()
