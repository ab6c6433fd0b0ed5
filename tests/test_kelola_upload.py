"""Kelola Data parses an upload once (issue 15): the preview is kept for the session, keyed by the file's
sha256, its options and the data version, and a rerun does not parse the file again."""
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

def editor_page(monkeypatch, db_path, kind: str) -> AppTest:
    """Kelola Data on `db_path` for kind `kind`, an editor logged in (the page run once)."""
    from ilp.passwords import hash_password
    monkeypatch.setenv("ILP_DB", str(db_path))
    monkeypatch.setenv("ILP_EDITORS", "dinkes=" + hash_password("rahasia-uji"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["jenis"] = kind
    at.run()
    at.switch_page("pages/kelola.py")
    at.session_state["editor"] = "dinkes"
    at.run()
    return at


TARGET_CSV = (b"indikator,tahun,tingkat,kode_wilayah,nilai,dasar,sumber\n"
              b"stunting_prevalensi,2029,nasional,,14.2,RPJMN 2025-2029,https://example.org\n")


def test_upload_is_parsed_once_across_reruns(fixture_db, monkeypatch):
    from ilp.ingest import runner
    calls = []
    real = runner.preview

    def counting(*a, **kw):
        calls.append(a[2:4])
        return real(*a, **kw)

    monkeypatch.setattr(runner, "preview", counting)
    at = editor_page(monkeypatch, fixture_db, "target")
    assert not at.exception, [e.value for e in at.exception]
    assert calls == []
    at.file_uploader(key="up").set_value(("target.csv", TARGET_CSV, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1 and calls[0][1] == "target.csv"
    assert any("1" in m.value and "valid" in m.value.lower() for m in at.markdown)
    at.run()                                   # two reruns (as any widget click makes): no new parse
    at.run()
    assert len(calls) == 1
    assert any("1" in m.value and "valid" in m.value.lower() for m in at.markdown)   # the kept preview is shown
    # another file (other content): parsed once more, then kept again
    at.file_uploader(key="up").set_value(("target.csv", TARGET_CSV.replace(b"14.2", b"14.0"), "text/csv"))
    at.run()
    at.run()
    assert len(calls) == 2
    # an option changed: the same file is parsed again with it
    sheet = next(w for w in at.text_input if w.key and w.key.endswith("_sheet"))
    sheet.set_value("1")
    at.run()
    assert len(calls) == 3


def test_big_upload_saved_parse_lives_until_import_cancel_or_another_file(fixture_db, tmp_path, monkeypatch):
    """Every upload through the child (threshold 0): the preview's saved parse exists while the page waits; another
    file replaces it; cancel deletes it and the page does not parse the file again (it offers to); 'check again'
    parses once more; the import uses the saved parse and deletes it."""
    import shutil

    from ilp import db
    from ilp.ingest import child, runner
    dbf = tmp_path / "ilp.duckdb"
    shutil.copy(fixture_db, dbf)
    root = tmp_path / "tersimpan"
    monkeypatch.setattr(child, "saved_root", lambda: root)
    saved = lambda: sorted(p.name for p in root.iterdir()) if root.exists() else []  # noqa: E731
    monkeypatch.setenv("ILP_IMPOR_ANAK_MB", "0")
    at = editor_page(monkeypatch, dbf, "target")

    def upload(body: bytes) -> str:
        at.file_uploader(key="up").set_value(("target.csv", body, "text/csv"))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        f = tmp_path / "kunci.csv"
        f.write_bytes(body)
        return child.saved_id(runner.preview_key("target", f, "target.csv", {}))

    first = upload(TARGET_CSV)
    assert saved() == [first]
    second = upload(TARGET_CSV.replace(b"14.2", b"14.0"))
    assert saved() == [second]                     # another file: the first one's parse is gone
    at.button(key="cancel").click()
    at.run()
    assert saved() == []
    at.run()                                       # a rerun does not parse (and keep) the cancelled file again
    assert saved() == [] and "go" not in [b.key for b in at.button]
    assert any("sudah diimpor atau dibatalkan" in m.value for m in at.info)
    at.button(key="again").click()
    at.run()
    assert saved() == [second]
    at.button(key="go").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert saved() == []
    assert any("1 baris diimpor" in s.value for s in at.success)
    con = db.connect(dbf, read_only=True)
    log = con.execute("select status, baris_diimpor from import_log order by waktu").fetchall()
    con.close()
    assert log == [("dibatalkan", 0), ("berhasil", 1)]
