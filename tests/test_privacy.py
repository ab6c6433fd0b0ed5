"""Privacy of child data: keyed slow id hash, salt fingerprint in the database, salt permissions, masking in
every message, the import log without a file name that may hold a child's name."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import shutil

import pytest

from tests.conftest import data_checksums, fixture_copy  # noqa: F401 (fixture)
from tests.test_eppgbm import KIDS, good_rows, row, write_csv, write_xlsx

from ilp import db, privacy
from ilp.ingest import runner

con = fixture_copy


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("ILP_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("ILP_SALT_FILE", str(tmp_path / "conf" / "salt"))


def _texts(res) -> str:
    return "\n".join([p.text("id") for p in res.problems] + [n.text("id") for n in res.notes]
                     + [p.text("en") for p in res.problems] + [n.text("en") for n in res.notes]
                     + [str(p.nilai) for p in res.problems])


# ---------------------------------------------------------------- the id function

def test_id_is_pbkdf2_hmac_keyed_by_the_salt():
    salt = b"k" * 32
    nik = "9902011501240001"
    expected = hashlib.pbkdf2_hmac("sha256", salt, b"nik\x00" + nik.encode(), privacy.HASH_ITERATIONS).hex()
    assert privacy.hash_nik(nik, salt) == expected
    # not the old unkeyed construction, and not computable without the key
    assert expected != hashlib.sha256(salt + nik.encode()).hexdigest()
    assert privacy.hash_nik(nik, b"j" * 32) != expected
    assert privacy.HASH_ITERATIONS >= 1000
    # a pseudonym is keyed the same way, with its own domain
    assert privacy.pseudonymous_id(("a", "b"), salt) == "psd-" + hashlib.pbkdf2_hmac(
        "sha256", salt, b"pseudonym\x00a\x1fb", privacy.HASH_ITERATIONS).hex()


def test_fingerprint_tells_salts_apart_and_reveals_nothing():
    a, b = b"a" * 32, b"b" * 32
    fa = privacy.salt_fingerprint(a)
    assert fa == privacy.ID_SCHEME + ":" + hmac.new(a, b"pantau-ilp salt fingerprint", hashlib.sha256).hexdigest()[:16]
    assert fa != privacy.salt_fingerprint(b) and a.hex() not in fa
    assert privacy.fingerprint_problem(None, a) is None
    assert privacy.fingerprint_problem(fa, a) is None
    assert privacy.fingerprint_problem(fa, b).key == "eppgbm.salt.berubah"
    assert privacy.fingerprint_problem("sha256-v1:0011", a).key == "eppgbm.salt.skema_lain"


def test_nik_in_other_digit_systems_is_not_a_crash():
    fullwidth = "９９０２０１１５０１２４０００１"
    arabic_indic = "٩٩٠٢٠١١٥٠١٢٤٠٠٠١"
    for s in (fullwidth, arabic_indic):
        assert privacy.nik_problem(s).key == "eppgbm.nik.digit_asing"
        assert privacy.normalise_nik(s) is None
        assert privacy.mask_nik(s) == "9902xxxxxxxx0001"


def test_mask_text_and_name():
    assert privacy.mask_text("desa 9902011501240001 x") == "desa 9902xxxxxxxx0001 x"
    assert privacy.mask_text("9902 0115 0124 0001") == "9902xxxxxxxx0001"
    assert privacy.mask_text("35.23.01.2001 dan P3523010101") == "35.23.01.2001 dan P3523010101"
    assert privacy.mask_text(12) == 12
    assert privacy.mask_name("Budi  Santoso") == "B*** S***"


# ---------------------------------------------------------------- the salt and the database

def _import(c, tmp_path, name="ppgbm.xlsx"):
    f = write_xlsx(tmp_path / name, good_rows())
    return runner.run_import(c, "eppgbm", f, f.name, "uji")


def test_fingerprint_recorded_and_a_changed_salt_is_refused(con, tmp_path, monkeypatch):
    assert db.get_meta(con, privacy.META_KEY) is None
    res = _import(con, tmp_path)
    assert res.status == "berhasil"
    fp = db.get_meta(con, privacy.META_KEY)
    assert fp == privacy.salt_fingerprint(privacy.installation_salt())
    before = data_checksums(con)
    # another salt (a new machine, a lost file replaced): refused, nothing changes, no child doubled
    monkeypatch.setenv("ILP_SALT_FILE", str(tmp_path / "other" / "salt"))
    privacy.installation_salt()
    res2 = _import(con, tmp_path)
    assert res2.status == "gagal"
    assert [p.msg.key for p in res2.problems] == ["eppgbm.salt.berubah"]
    assert "salt" in res2.problems[0].text("id") and "dua kali" in res2.problems[0].text("id")
    assert data_checksums(con) == before
    assert db.get_meta(con, privacy.META_KEY) == fp


def test_missing_salt_is_not_recreated_for_a_database_that_has_one(con, tmp_path):
    assert _import(con, tmp_path).status == "berhasil"
    p = privacy.salt_path()
    p.unlink()
    res = _import(con, tmp_path)
    assert res.status == "gagal" and [x.msg.key for x in res.problems] == ["eppgbm.salt.hilang"]
    assert "cadangan" in res.problems[0].text("id")
    assert not p.exists(), "the salt was silently recreated"


def test_loose_salt_permissions_warn(con, tmp_path):
    privacy.installation_salt()
    os.chmod(privacy.salt_path(), 0o644)
    res = _import(con, tmp_path)
    assert res.status == "berhasil"
    notes = [n for n in res.notes if n.key == "eppgbm.salt.izin_longgar"]
    assert notes and "644" in notes[0].text("id") and "chmod 600" in notes[0].text("en")
    os.chmod(privacy.salt_path(), 0o600)
    assert privacy.salt_warnings() == []


def test_children_imported_before_fingerprints_are_protected(con, tmp_path):
    assert _import(con, tmp_path).status == "berhasil"
    n = con.execute("select count(*) from pengukuran where import_id is not null").fetchall()[0][0]
    con.execute("delete from meta where key = $k", {"k": privacy.META_KEY})   # a database from before this rule
    res = _import(con, tmp_path, "lagi.xlsx")
    assert res.status == "gagal" and res.problems[0].msg.key == "eppgbm.salt.tanpa_sidik"
    assert f"{n} pengukuran" in res.problems[0].text("id") and n > 0


def test_demo_database_accepts_a_first_import(demo_db, tmp_path):
    """The demo's children (import_id null, their own fixed demo salt) do not block a real import."""
    p = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, p)
    c = db.connect(p)
    try:
        assert int(db.run(c, "ingest/anak_tanpa_sidik")["n"][0]) == 0
    finally:
        c.close()


# ---------------------------------------------------------------- masking and the log

def test_names_and_niks_are_masked_in_problems_and_notes(con, tmp_path):
    rows = good_rows()
    nik_a, nama_b = KIDS["A"][0], KIDS["B"][1]
    rows.append(row("C", dt.date(2026, 2, 15), "14,0", "95,0", **{"Desa/Kel": nama_b}))     # a name in the desa column
    rows.append(row("C", dt.date(2026, 2, 16), "14,0", "95,0", **{"Kec": nik_a}))           # a NIK in the kec column
    rows.append(row("C", dt.date(2026, 2, 17), "14,0", "95,0", **{"Berat": nik_a}))         # a NIK in a number column
    f = write_csv(tmp_path / "ppgbm.csv", rows)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    blob = _texts(parsed)
    assert parsed.rejected_rows == 3
    assert nama_b not in blob and "A*** L***" in blob
    assert nik_a not in blob and "9902xxxxxxxx0001" in blob


def test_fullwidth_nik_rejects_only_its_row(con, tmp_path):
    rows = good_rows()
    rows[3] = {**rows[3], "NIK": "９９０２０１６００６２３０００２"}
    f = write_xlsx(tmp_path / "ppgbm.xlsx", rows)
    res = runner.run_import(con, "eppgbm", f, f.name, "uji")
    assert res.status == "gagal" and res.rows_rejected == 1
    p = [x for x in res.problems if x.msg.key == "eppgbm.nik.digit_asing"]
    assert len(p) == 1 and p[0].row == 7 and p[0].column == "NIK" and p[0].nilai == "9902xxxxxxxx0002"
    res = runner.run_import(con, "eppgbm", f, f.name, "uji", accept_valid=True)
    assert res.status == "sebagian"


def test_import_log_keeps_checksum_not_a_name_with_a_child(con, tmp_path):
    res = _import(con, tmp_path, "ppgbm Budi Santoso.xlsx")
    assert res.status == "berhasil"
    name, sha = con.execute("select nama_file, sha256 from import_log where import_id = $i",
                            {"i": res.import_id}).fetchall()[0]
    assert "Budi" not in name and name == f"eppgbm-{sha[:12]}.xlsx"
    # other kinds keep their (sanitised) name
    assert runner.logged_name("sasaran", "sasaran 2025.xlsx", sha) == "sasaran 2025.xlsx"


def test_anonymous_twins_are_flagged(con, tmp_path):
    """Two children without NIK and without any name, same birth date, sex and desa, measured the same day."""
    rows = good_rows()
    twin = dict(NIK="", Nama="", **{"Nama Ortu": ""})
    rows.append(row("C", dt.date(2026, 2, 20), "14,0", "95,0", **twin))
    rows.append(row("C", dt.date(2026, 2, 20), "13,1", "94,0", **twin))
    rows.append(row("D", dt.date(2026, 2, 20), "8,0", "70,0", NIK="", Nama="Dinda"))   # has a name: not flagged
    f = write_xlsx(tmp_path / "ppgbm.xlsx", rows)
    parsed = runner.preview(con, "eppgbm", f, f.name)
    notes = [n for n in parsed.notes if n.key == "eppgbm.mutu.kembar_anonim"]
    assert len(notes) == 1 and notes[0].params["baris"] == "12, 13" and notes[0].params["n"] == 2
    assert "tidak bisa dibedakan" in notes[0].text("id") and "cannot be told apart" in notes[0].text("en")
