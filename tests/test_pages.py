"""Each page runs under streamlit.testing.v1.AppTest without an exception, in both languages."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, run_page

PAGES = ["pages/ringkasan.py", "pages/peta.py", "pages/stunting.py", "pages/fasilitas.py",
         "pages/spm.py", "pages/kelola.py"]


def _run(db_path, page, monkeypatch, lang="id", query=None):
    return run_page(db_path, page, monkeypatch, lang, query)


@pytest.mark.parametrize("page", PAGES)
def test_page_on_fixture(page, fixture_db, monkeypatch):
    _run(fixture_db, page, monkeypatch)


@pytest.fixture(scope="module")
def sparse_db(fixture_db, tmp_path_factory):
    """A real district as it first arrives: code list, boundaries and Puskesmas only."""
    import shutil

    from ilp import db
    p = tmp_path_factory.mktemp("sparse") / "sparse.duckdb"
    shutil.copy(fixture_db, p)
    con = db.connect(p)
    for table in ("pengukuran", "rekap_stunting", "fakta_spm", "sasaran", "tenaga", "ilp_puskesmas", "ilp_posyandu",
                  "survei_stunting", "meta"):
        con.execute("delete from " + table)  # noqa: S608 - fixed table names
    con.execute("delete from faskes where jenis <> 'puskesmas'")
    con.execute("delete from target where tingkat = 'kabkota'")
    con.close()
    return p


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"ind": "stunting_prevalensi", "kec": "99.02.01", "faskes": "1"},
                                   {"ind": "desa_dengan_pustu", "kec": "99.02.02"}, {"ind": "spm08"}])
def test_page_on_sparse_district(page, query, sparse_db, monkeypatch):
    _run(sparse_db, page, monkeypatch, query=query)


@pytest.mark.parametrize("page", PAGES)
def test_page_on_demo(page, demo_db, monkeypatch):
    at = _run(demo_db, page, monkeypatch)
    assert any("DATA CONTOH" in w.value for w in at.warning), "demo banner missing"


@pytest.mark.parametrize("page", PAGES)
def test_page_english(page, demo_db, monkeypatch):
    at = _run(demo_db, page, monkeypatch, lang="en")
    assert any("SAMPLE DATA" in w.value for w in at.warning)


def test_drilldown_via_url(demo_db, monkeypatch):
    at = _run(demo_db, "pages/peta.py", monkeypatch,
              query={"ind": "desa_dengan_pustu", "kec": "99.01.01", "faskes": "1"})
    assert any("99.01.01" in str(s.value) or "Desa/kelurahan di Kecamatan" in s.value for s in at.subheader)
    at2 = _run(demo_db, "pages/stunting.py", monkeypatch, query={"kec": "99.01.02"})
    assert any("Kecamatan" in s.value for s in at2.subheader)


@pytest.fixture
def fake_kind(monkeypatch):
    """A kind declaring one option of each type, and runner.kind_options per its documented contract
    where the ingest side has not provided it yet."""
    from ilp.ingest import runner
    from ilp.ingest.base import ImportKind, Msg, Option, Parsed
    opts = (Option("sheet", "text", "kelola.sheet", "kelola.sheet"),
            Option("level", "choice", "kelola.level", "kelola.level", choices=("kecamatan", "desa"), default="desa"),
            Option("kab", "list", "kelola.kab", "kelola.kab"),
            Option("kolom", "mapping", "kelola.impor_judul", "kelola.impor_judul", choices=("kode", "nama")),
            Option("semua", "flag", "kelola.impor_valid", "kelola.impor_valid", default=True))
    kind = ImportKind("uji_opsi", "Uji opsi", "Option test", ("target",), (("kode", Msg("impor.tata_letak.wilayah.kode"), "99.02"),),
                      parse=lambda src, con: Parsed(), options=opts)
    runner.REGISTRY.register(kind)
    yield kind
    runner.REGISTRY.reload()


def test_kelola_templates_and_checklist_without_login(fixture_db, monkeypatch):
    at = _run(fixture_db, "pages/kelola.py", monkeypatch)
    assert any("Belum ada editor" in i.value for i in at.info)  # explains how to add one
    assert not at.get("file_uploader")                           # and offers no upload
    assert [d for d in at.get("download_button")], "template download needs no login"
    frames = [d.value for d in at.dataframe]
    checklist = next(f for f in frames if "Langkah berikutnya" in f.columns)
    rows = dict(zip(checklist["Data"], checklist["Baris"]))
    assert rows["Fasilitas kesehatan"] == "8" and rows["Batas desa/kelurahan"] == "4"   # fixture: 8 faskes, 4 desa
    assert any("Semua data dasar sudah dimuat" in s.value for s in at.success)


def test_kelola_checklist_next_step_on_sparse(sparse_db, monkeypatch):
    at = _run(sparse_db, "pages/kelola.py", monkeypatch)
    # sparse: tenaga deleted, so the next step names the 'tenaga' import
    assert any("Langkah berikutnya" in i.value and "'tenaga'" in i.value for i in at.info), [i.value for i in at.info]


def test_kelola_option_widgets_from_declaration(fixture_db, monkeypatch, fake_kind):
    monkeypatch.setenv("ILP_DB", str(fixture_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/kelola.py")   # opened directly, as a link does (see run_page)
    at.session_state["editor"] = "dinkes"
    at.run()
    at.selectbox(key="w_jenis").set_value("uji_opsi").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [w.label for w in at.text_input]
    assert "Nama sheet (kosong = sheet pertama)" in labels and "Kode kab/kota (pisahkan dengan koma, mis. 35.23)" in labels
    assert {"kode", "nama"} <= set(labels)                         # one box per mapping target
    level = at.selectbox(key="opt_uji_opsi_level")
    assert level.options == ["kecamatan", "desa"] and level.value == "desa"   # declared default
    assert at.checkbox(key="opt_uji_opsi_semua").value is True


def test_option_values_follow_the_contract(monkeypatch):
    """text/choice -> str, list -> list[str], mapping -> {target: header}, flag -> bool; empty left out."""
    from ilp.ingest.base import Option
    from ui import components
    answers = {"Nama sheet (kosong = sheet pertama)": " Data ", "Kode kab/kota (pisahkan dengan koma, mis. 35.23)": "35.23; 35.24,",
               "kode": "KODE DESA", "nama": ""}

    class Col:
        def text_input(self, label, **kw): return answers.get(label, "")
        def selectbox(self, label, options, index=0, **kw): return options[index]
        def checkbox(self, label, value=False, **kw): return value
        def expander(self, label): return __import__("contextlib").nullcontext()
        def caption(self, *a): pass
    monkeypatch.setattr(components.st, "columns", lambda n: [Col(), Col()])
    monkeypatch.setattr(components.st, "text_input", lambda label, **kw: answers.get(label, ""))
    monkeypatch.setattr(components.st, "caption", lambda *a: None)
    monkeypatch.setattr(components, "t", lambda key, **kw: {"kelola.sheet": "Nama sheet (kosong = sheet pertama)",
                                                            "kelola.kab": "Kode kab/kota (pisahkan dengan koma, mis. 35.23)"}.get(key, key))
    opts = (Option("sheet", "text", "kelola.sheet", "x"), Option("kab", "list", "kelola.kab", "x"),
            Option("level", "choice", "l", "x", choices=("kecamatan", "desa")),
            Option("kolom", "mapping", "m", "x", choices=("kode", "nama")), Option("semua", "flag", "f", "x"),
            Option("xwalk", "text", "kosong", "x"))
    assert components.option_widgets(opts, "k") == {"sheet": "Data", "kab": ["35.23", "35.24"], "level": "kecamatan",
                                                    "kolom": {"kode": "KODE DESA"}, "semua": False}


def test_kelola_needs_editor(fixture_db, tmp_path, monkeypatch, fake_kind):
    import shutil

    from ilp.passwords import hash_password, verify
    p = tmp_path / "db.duckdb"   # the editor saves a target: on a copy of the fixture (the app used to build the
    shutil.copy(fixture_db, p)   # whole demo here, ILP_DB being unset, ~9 s)
    monkeypatch.setenv("ILP_DB", str(p))
    monkeypatch.setenv("ILP_EDITORS", "dinkes=" + hash_password("rahasia-uji"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/kelola.py")   # opened directly, as a link does (see run_page)
    at.run()
    assert [t.label for t in at.text_input][:2] == ["Nama pengguna", "Kata sandi"]
    assert not at.get("file_uploader")
    h = hash_password("rahasia-uji")
    assert verify("rahasia-uji", h) and not verify("salah", h) and "rahasia" not in h
    # a logged-in editor (session) sees the import kinds and the uploader
    at.session_state["editor"] = "dinkes"
    at.run()
    assert not at.exception
    assert any("dinkes" in s.value for s in at.success)
    assert any("eppgbm" in str(o) for sb in at.selectbox for o in sb.options)
    assert at.get("file_uploader")
    # the district-target editor saves through the validated import path and logs it
    at.button(key="target_save").click()
    at.run()
    assert not at.exception
    assert any("diimpor" in s.value for s in at.success), [s.value for s in at.success] + [e.value for e in at.error] + [w.value for w in at.warning]
    # and the data tests run right after the import, each named, on the fixture all holding
    assert any("Uji data setelah impor" in s.value for s in at.subheader)
    assert any("uji data lulus" in m.value for m in at.markdown)


_OPEN_RW = "import sys, duckdb; duckdb.connect(sys.argv[1]).close(); print('ok')"


def test_app_holds_no_lock_while_idle(fixture_db, tmp_path, monkeypatch):
    """After the page has asked its questions, another process (python -m ilp import) can open the
    database read-write while the app session is still alive."""
    import shutil
    import subprocess
    import sys
    p = tmp_path / "db.duckdb"
    shutil.copy(fixture_db, p)
    from ui import common
    at = run_page(p, "pages/fasilitas.py", monkeypatch, home_first=True)   # after Ringkasan (with its PDF button) ran first
    out = subprocess.run([sys.executable, "-c", _OPEN_RW, str(p)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr
    common.open_db(str(p), read_only=False, tries=1).close()   # and an import inside the app too
    assert at.title  # the session is still there


def test_busy_database_gets_a_message_not_an_error(fixture_db, tmp_path, monkeypatch):
    import shutil
    import subprocess
    import sys

    from ui import common
    p = tmp_path / "db.duckdb"
    shutil.copy(fixture_db, p)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, duckdb, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(p)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(common, "BUSY_TRIES", 2)   # the same refusal after 2 tries instead of 8 (~3 s of retrying)
        with pytest.raises(common.DatabaseBusy):
            common.run_query(str(p), "wilayah/meta", {})
        monkeypatch.setenv("ILP_DB", str(p))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("sedang dipakai proses lain" in w.value for w in at.warning)
    finally:
        holder.kill()
        holder.wait()
    # once the other process is done, questions work again
    assert common.run_query(str(p), "wilayah/meta", {}).height > 0


def test_first_start_builds_the_demo_explicitly_with_progress(fixture_db, tmp_path, monkeypatch):
    import shutil

    from ilp import demo
    p = tmp_path / "new" / "ilp.duckdb"
    calls = []

    def fake_ensure(path, progress=None):  # the real build takes a minute; the contract is what matters here
        progress(0.5, "umum.demo_membangun")
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture_db, p)
        calls.append(str(path))
        return True

    monkeypatch.setattr(demo, "ensure_demo", fake_ensure)
    assert not p.exists()
    _run(p, "pages/fasilitas.py", monkeypatch)
    assert calls == [str(p)] and p.exists()     # built once, by the app, before any page asked a question
    _run(p, "pages/fasilitas.py", monkeypatch)
    assert calls == [str(p)]                    # and never again once the database exists


def test_data_per_is_the_data_period_and_kota_says_wali_kota(fixture_db, tmp_path, monkeypatch):
    import shutil

    from ilp import db
    at = _run(fixture_db, "pages/fasilitas.py", monkeypatch)
    md = " ".join(m.value for m in at.markdown)
    assert "Data per: **31 Agustus 2026**" in md                      # the database's own setting wins
    assert any("rapat Bupati" in c.value for c in at.caption)
    p = tmp_path / "kota.duckdb"
    shutil.copy(fixture_db, p)
    c = db.connect(p)
    c.execute("delete from meta where key = 'data_per'")
    c.execute("update wilayah set jenis = 'kota' where kode = '99.02'")
    c.execute("insert into import_log (import_id, waktu, pengguna, jenis, nama_file, sha256, baris_dibaca, "
              "baris_diimpor, baris_ditolak, status) values ('x', timestamp '2027-01-15 10:00', 'u', 'spm', 'f', 's', 1, 1, 0, 'berhasil')")
    c.close()
    at = _run(p, "pages/fasilitas.py", monkeypatch)
    md = " ".join(m.value for m in at.markdown)
    assert "Data per: **Agustus 2026**" in md and "2027" not in md   # latest weighing round, not the import day
    assert any("rapat Wali Kota" in c.value for c in at.caption)
    assert not any("rapat Bupati" in c.value for c in at.caption)


# ---- one formatting layer on screen; URL and widgets in step ---------------------------------------------------

import re  # noqa: E402

_DECIMAL_POINT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{1,2}%?$|^-?\d+\.\d{1,2}%?$")
_BAD = re.compile(r"\b(None|nan|NaN|inf|null)\b")


def _table_cells(at):
    """(header, cell) of every table on the page, as the viewer gets them."""
    for df in at.dataframe:
        v = df.value
        for col in v.columns:
            for cell in v[col].tolist():
                yield str(col), cell


@pytest.mark.parametrize("page", PAGES)
def test_tables_formatted_in_indonesian(page, demo_db, monkeypatch):
    """Every table cell is text in Indonesian format: no None/nan/inf, no decimal point (25,7 not 25.7; a code
    column like 99.01.03 aside), headers not snake_case."""
    at = _run(demo_db, page, monkeypatch)
    bad = []
    for head, cell in _table_cells(at):
        s = str(cell)
        if not isinstance(cell, str) or _BAD.search(s):
            bad.append((head, cell))
        elif _DECIMAL_POINT.match(s) and "kode" not in head.lower() and "code" not in head.lower():
            bad.append((head, cell))
        if "_" in head and " " not in head:
            bad.append(("header", head))
    assert not bad, bad[:10]


def test_url_moves_the_widgets_and_the_widgets_move_the_url(demo_db, monkeypatch):
    """A shared link / Back / map click changes ?kec=: the box follows; choosing in the box writes the URL."""
    at = _run(demo_db, "pages/stunting.py", monkeypatch, query={"kec": "99.01.02"})
    box = at.selectbox(key="w_kec")
    assert box.value == "99.01.02"
    at.query_params["kec"] = "99.01.03"          # what Back/Forward or a map click does to the URL
    at.run()
    assert at.selectbox(key="w_kec").value == "99.01.03"
    at.selectbox(key="w_kec").set_value("99.01.01").run()
    assert at.query_params["kec"] in ("99.01.01", ["99.01.01"])
    assert not at.exception


def test_language_switch_relabels_and_keeps_the_view(demo_db, monkeypatch):
    at = _run(demo_db, "pages/spm.py", monkeypatch, query={"sasaran": "DUKCAPIL"})
    assert at.query_params["lang"] in ("id", ["id"])
    id_label = at.selectbox(key="w_bulan").options[0]
    at.radio(key="w_lang").set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.selectbox(key="w_sasaran").value == "DUKCAPIL"          # the view is kept
    en_label = at.selectbox(key="w_bulan").options[0]
    assert en_label != id_label and en_label.split()[0] in (
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December")


def test_spm_services_in_the_url_survive_a_language_switch(demo_db, monkeypatch):
    """The trend's services are chosen by number (?layanan=1,8), in a fragment; a language switch keeps them."""
    at = _run(demo_db, "pages/spm.py", monkeypatch, query={"layanan": "1,8"})
    ms = at.multiselect(key="w_layanan")
    assert ms.value == [1, 8]
    ms.set_value([2]).run()
    assert at.query_params["layanan"] in ("2", ["2"])
    at.radio(key="w_lang").set_value("en").run()
    assert at.multiselect(key="w_layanan").value == [2] and not at.exception


def test_transient_database_errors_are_told_apart():
    """A reader hitting an import in progress gets a retry and a short message; a real bug still raises."""
    import duckdb

    from ui import common
    assert common._is_transient(duckdb.IOException("Could not set lock on file /srv/x.duckdb: PID 123"))
    assert common._is_transient(duckdb.TransactionException("Conflict on tuple"))
    assert not common._is_transient(duckdb.CatalogException("Table with name x does not exist"))
    assert not common._is_transient(duckdb.BinderException("Referenced column y not found"))


def test_tables_reach_streamlit_as_arrow_text(monkeypatch):
    """No Polars->pandas conversion in a script thread (the 20-viewer deadlock): table() hands Streamlit a
    pyarrow Table of formatted text."""
    import polars as pl
    import pyarrow as pa

    from ui import common
    seen = {}
    monkeypatch.setattr(common, "lang", lambda: "id")
    monkeypatch.setattr(common.st, "dataframe", lambda data, **kw: seen.update(data=data))
    common.table(pl.DataFrame({"prevalensi_pct": [25.71, None], "tahun": [2031, 2030]}))
    assert isinstance(seen["data"], pa.Table)
    assert seen["data"].to_pydict() == {"Prevalensi (%)": ["25,7%", "–"], "Tahun": ["2031", "2030"]}
