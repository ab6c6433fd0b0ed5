"""Partial reruns and parts that fail on their own (issue 14), under AppTest on the fixture district and the
hand-made province of tests/test_provinsi.py.

- A widget inside a part (ui.components.part: a Streamlit fragment) reruns that part only: the rerun here is
  the one the browser asks for (the part's fragment id, as the frontend sends it), so the element tree holds the
  part's elements and nothing of the rest of the page; its figures are checked by hand:
  fixture kab 99.02, round 2026-02 (the latest complete one): Kecamatan Alpha 3 stunted of 12 measured = 25,0%,
  all in Desa Satu (12 measured, 3 stunted; Desa Dua none measured); Kecamatan Beta 0 of 5.
- A question of one part that fails for a passing reason (busy, data rewritten, time limit) gives that part a
  short Indonesian message and its own retry button; the rest of the page renders; the retry draws the part.
The server time of each partial rerun is printed (pytest -s)."""
from __future__ import annotations

import functools
import shutil
import time

import pytest

from ilp import db
from ilp.i18n import t
from tests.conftest import run_page
from tests.test_provinsi import prov_db  # noqa: F401  (a fixture: the hand-made province of four kab/kota)


_PAGES: dict = {}   # the app's page registry of the last full run (what a server session keeps between runs)


@pytest.fixture(autouse=True)
def _pages_kept(monkeypatch):
    """AppTest builds a new page registry for every run; a server session keeps the one st.navigation set, so a
    part rerun (which does not run app.py) still knows the pages (st.page_link inside a part). Same here."""
    import streamlit.testing.v1.app_test as app_test
    base = app_test.PagesManager

    class Kept(base):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            if _PAGES.get("part_run") and _PAGES.get("pages") is not None:
                self._pages = dict(_PAGES["pages"])

        def set_pages_and_resolve(self, pages, *a, **kw):
            _PAGES["pages"] = pages
            return super().set_pages_and_resolve(pages, *a, **kw)

    monkeypatch.setattr(app_test, "PagesManager", Kept)
    yield
    _PAGES.clear()


def rerun_part(at, name: str) -> float:
    """Rerun only the part `name` (ui.components.part registers its fragment under the key 'part_<name>'), with
    the widget values currently set on `at`, as the browser does after a widget in that part changed. Returns the
    server time in seconds."""
    import streamlit.testing.v1.local_script_runner as lsr
    ids = at._fragment_storage._ids_by_target_key.get(f"part_{name}")
    assert ids, f"no part named {name} on this page"
    fid = next(iter(ids))
    orig = lsr.RerunData
    lsr.RerunData = functools.partial(orig, fragment_id_queue=[fid])
    _PAGES["part_run"] = True
    try:
        t0 = time.perf_counter()
        at.run()
        return time.perf_counter() - t0
    finally:
        lsr.RerunData = orig
        _PAGES["part_run"] = False


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader] \
        + [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def _cells(at) -> list[list[str]]:
    return [[str(v) for v in row] for df in at.dataframe for row in df.value.itertuples(index=False)]


@pytest.fixture
def page_db(fixture_db, tmp_path):
    p = tmp_path / "fixture.duckdb"
    shutil.copy(fixture_db, p)
    return p


def _figs(at) -> list[dict]:
    import json
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_stunting_kecamatan_choice_reruns_only_the_map_part(page_db, monkeypatch):
    at = run_page(page_db, "pages/stunting.py", monkeypatch)
    assert at.title
    outline = [tr.get("locations") for tr in _figs(at)[0]["data"] if tr.get("type") == "choropleth"][1:]
    assert ["99.02.01"] not in outline                       # nothing chosen: Alpha not outlined
    at.selectbox(key="w_kec").set_value("99.02.01")
    secs = rerun_part(at, "kecamatan_map")
    print(f"\nstunting: kecamatan choice, part rerun {secs:.2f} s")
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["kec"] in ("99.02.01", ["99.02.01"])
    # only the part was drawn: no page title, no headline metrics, no ranking table, no trend
    assert not at.title and not at.metric and not at.dataframe
    assert [s.value for s in at.subheader] == [t("stunting.peta", "id")]
    # the fixture's routine source is the Puskesmas recap (round 2026-02): Alpha 4 stunted of 12 = 33,3%,
    # Beta 0 of 5; the chosen kecamatan is outlined; a recap has no desa detail, and the part says so
    choro = [tr for tr in _figs(at)[0]["data"] if tr.get("type") == "choropleth"]
    values = next(tr for tr in choro if tr.get("text"))
    hover = dict(zip(values["locations"], values["text"]))
    assert "33,3%<br>4 / 12" in hover["99.02.01"] and "0,0%<br>0 / 5" in hover["99.02.02"]
    assert ["99.02.01"] in [tr.get("locations") for tr in choro if tr is not values]
    assert any(i.value == t("stunting2.tanpa_desa", "id", label="rekap Puskesmas") for i in at.info)


def test_stunting_lazy_expanders_run_only_when_open(page_db, monkeypatch):
    calls = []
    from ui import common
    orig = common.run_query

    def spy(path, key, params):
        calls.append(key)
        return orig(path, key, params)

    monkeypatch.setattr(common, "run_query", spy)
    common._q.clear()
    at = run_page(page_db, "pages/stunting.py", monkeypatch)
    assert "quality/kualitas_pengukuran" not in calls        # collapsed: its question is not asked
    labels = [e.label for e in at.expander]
    assert t("stunting.kualitas", "id") in labels and t("stunting.per_puskesmas", "id") in labels
    at.session_state["buka_kualitas"] = True                  # the reader opens it
    secs = rerun_part(at, "measurement_quality")
    print(f"\nstunting: quality expander opened, part rerun {secs:.2f} s")
    assert not at.exception, [e.value for e in at.exception]
    assert "quality/kualitas_pengukuran" in calls
    assert at.dataframe and not at.title


def test_peta_layer_choice_reruns_the_map_part(page_db, monkeypatch):
    at = run_page(page_db, "pages/peta.py", monkeypatch)
    at.query_params["ind"] = "desa_dengan_pustu"      # after the start page (Ringkasan binds its own ?ind=)
    at.run()
    assert at.selectbox(key="w_lapis").value == "kecamatan"
    at.selectbox(key="w_lapis").set_value("desa")
    secs = rerun_part(at, "peta")
    print(f"\npeta: layer kecamatan -> desa, part rerun {secs:.2f} s")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.title                                      # the header was not redrawn
    fig = _figs(at)[0]
    geo = next(tr for tr in fig["data"] if tr.get("geojson"))
    assert sorted(geo["locations"]) == ["99.02.01.2001", "99.02.01.2002", "99.02.02.1001", "99.02.02.2002"]
    # three of the four desa have a Pustu (Desa Tiga of Beta has none)
    values = next(tr for tr in fig["data"] if tr.get("type") == "choropleth" and tr.get("text"))
    hover = dict(zip(values["locations"], values["text"]))
    assert t("peta.pustu_belum", "id") in hover["99.02.02.1001"]
    assert all(t("peta.pustu_ada", "id") in hover[k] for k in ("99.02.01.2001", "99.02.01.2002", "99.02.02.2002"))


def test_province_kabkota_choice_reruns_only_the_map_part(prov_db, tmp_path, monkeypatch):
    p = tmp_path / "prov.duckdb"
    shutil.copy(prov_db, p)
    at = run_page(p, "pages/provinsi.py", monkeypatch)
    assert not at.get("page_link")
    at.selectbox(key="w_kab").set_value("99.03")
    secs = rerun_part(at, "kabkota_map")
    print(f"\nprovinsi: kab/kota choice, part rerun {secs:.2f} s")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.title and not at.dataframe                 # the ranking table and series were not redrawn
    assert t("provinsi.kecamatan_di", "id", kab="Kota Uji") in [s.value for s in at.subheader]
    assert len(at.get("page_link")) == 5
    assert at.query_params["kab"] in ("99.03", ["99.03"])


# ------------------------------------------------------------------ a part fails on its own

def _failing(monkeypatch, key: str, exc: Exception):
    """ui.common.run_query raising `exc` for the question `key` only (as a busy or changing database does)."""
    from ui import common
    orig = common.run_query
    state = {"fail": True}

    def run(path, k, params):
        if k == key and state["fail"]:
            raise exc
        return orig(path, k, params)

    monkeypatch.setattr(common, "run_query", run)
    common._q.clear()
    return state


@pytest.mark.parametrize("exc_name, msg_key", [("busy", "bagian.gagal"), ("limit", "bagian.batas_waktu"),
                                               ("transient", "bagian.gagal")])
def test_failing_question_shows_a_message_in_its_part_only(page_db, monkeypatch, exc_name, msg_key):
    import types

    import duckdb

    from ui import common
    # the one polite retry of a transient error, without waiting: ui.common's own sleep only (patching time.sleep
    # itself made AppTest's 1 ms wait loop spin and starve the script thread: ~7 s per case instead of ~1.5 s)
    monkeypatch.setattr(common, "time", types.SimpleNamespace(sleep=lambda s: None))
    exc = {"busy": common.DatabaseBusy("lock held by another process"),
           "limit": db.QueryError("Kueri wilayah/batas_kecamatan melebihi batas waktu 30 detik"),
           "transient": duckdb.IOException("Could not set lock on file: Conflicting lock is held (PID 1)")}[exc_name]
    state = _failing(monkeypatch, "wilayah/batas_kecamatan", exc)   # asked only by the map part
    at = run_page(page_db, "pages/stunting.py", monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning if w.value == t(msg_key, "id")]
    retry = [b for b in at.button if b.label == t("bagian.coba_lagi", "id")]
    assert len(retry) == 1
    # the rest of the page is there: title, headline metrics, the kecamatan ranking table, the trend
    assert at.title and at.metric and at.dataframe
    assert t("stunting.tren", "id") in [s.value for s in at.subheader]
    assert t("stunting.peta", "id") not in [s.value for s in at.subheader]   # the failed part shows no half map
    # the database answers again: the part's own retry draws it (a rerun of that part only)
    state["fail"] = False
    retry[0].click()
    rerun_part(at, "kecamatan_map")
    assert not at.exception, [e.value for e in at.exception]
    assert t("stunting.peta", "id") in [s.value for s in at.subheader]
    assert not [w for w in at.warning if w.value == t(msg_key, "id")]


def test_a_question_outside_any_part_still_stops_the_page_with_a_message(page_db, monkeypatch):
    """The header's own questions (no part around them): the page says the database is busy and stops."""
    from ui import common
    monkeypatch.setattr(common, "BUSY_TRIES", 1)
    _failing(monkeypatch, "wilayah/meta", common.DatabaseBusy("lock"))
    monkeypatch.setenv("ILP_DB", str(page_db))
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(w.value == t("umum.db_sibuk", "id") for w in at.warning)


def test_part_messages_exist_in_both_languages():
    for key in ("bagian.memuat", "bagian.gagal", "bagian.batas_waktu", "bagian.coba_lagi"):
        assert t(key, "id") != key and t(key, "en") != key and t(key, "id") != t(key, "en")


# ------------------------------------------------------------------ the province page asks one question per kind

def test_province_wide_questions_equal_the_district_ones(prov_db):
    """ilp.provinsi.batched answers each per-district question from its province-wide form (both read one rule, see
    the next test): the same rows, the same types, in the same order, for every kab/kota (child data, recap only,
    a kota, one without data)."""
    from ilp import provinsi
    con = db.connect(prov_db, read_only=True)
    try:
        run = lambda key, **p: db.run(con, key, **p)  # noqa: E731
        asked = []
        b = provinsi.batched(lambda key, **p: asked.append(key) or run(key, **p), "99")
        kodes = run("provinsi/kabkota", prov="99")["kode"].to_list()
        assert kodes == ["99.02", "99.03", "99.04", "99.05"]
        for key, whole in provinsi.SEMUA.items():
            params = {"sumber_sasaran": "PUSDATIN"} if "prevalensi" in key else {}
            for k in kodes:
                want, got = run(key, kab=k, **params), b(key, kab=k, **params)
                assert got.equals(want), (key, k, want, got)
            assert whole in asked and key not in asked
        assert b("wilayah/batas_kecamatan", kab="99.03").height == 1     # other questions pass through
    finally:
        con.close()


def test_province_and_district_questions_share_one_rule():
    """Each province-wide question and its district question read the same rule (one staging view or table macro
    of queries/staging, over every kab/kota) and only filter and order it: neither aggregates or joins on its own,
    so the province page and the district pages cannot drift apart."""
    import re

    from ilp import provinsi

    def body(key):
        return "\n".join(l for l in db.query(key).sql.splitlines() if not l.strip().startswith("--")).lower()
    for key, whole in provinsi.SEMUA.items():
        district, province = body(key), body(whole)
        rule = set(re.findall(r"\bstg_\w+", district))
        assert len(rule) == 1 and rule == set(re.findall(r"\bstg_\w+", province)), (key, whole)
        for sql in (district, province):
            assert "group by" not in sql and " join " not in sql and " over " not in sql, (key, whole)


def test_province_page_asks_each_district_question_once(prov_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from ui import common
    p = tmp_path / "prov.duckdb"
    shutil.copy(prov_db, p)
    monkeypatch.setenv("ILP_DB", str(p))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()                                          # the start page (Ringkasan of one kab/kota)
    calls = []
    orig = common.run_query
    monkeypatch.setattr(common, "run_query", lambda path, key, params: calls.append(key) or orig(path, key, params))
    common._q.clear()
    at.switch_page("pages/provinsi.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    per_district = [k for k in calls if k in __import__("ilp.provinsi").provinsi.SEMUA]
    assert per_district == [], per_district           # 4 kab/kota, no per-district routine or survey question
    assert calls.count("provinsi/semua_ronde") == 1 and calls.count("provinsi/semua_survei") == 1


def test_slow_quality_marks_leave_the_rest_of_ringkasan_and_stunting(page_db, monkeypatch):
    """The quality marks' question (quality/mutu_ringkas, the slowest of these pages) over the time limit: the
    priority table (Ringkasan) or the ranking table (Stunting) says so with its retry button; cards, map and trend
    stay."""
    _failing(monkeypatch, "quality/mutu_ringkas", db.QueryError("Kueri quality/mutu_ringkas melebihi batas waktu 30 detik"))
    at = run_page(page_db, "pages/ringkasan.py", monkeypatch)
    assert [w for w in at.warning if w.value == t("bagian.batas_waktu", "id")]
    assert [b for b in at.button if b.label == t("bagian.coba_lagi", "id")]
    assert at.title and len(at.get("plotly_chart")) >= 1
    assert t("ringkasan.prioritas", "id") not in [s.value for s in at.subheader]
    assert any(e.label == t("ringkasan3.metode", "id") for e in at.expander)   # below the part: still drawn
    at = run_page(page_db, "pages/stunting.py", monkeypatch)
    assert [w for w in at.warning if w.value == t("bagian.batas_waktu", "id")]
    assert at.metric and t("stunting.tren", "id") in [s.value for s in at.subheader]


def test_ringkasan_map_indicator_reruns_only_the_map_part(page_db, monkeypatch):
    """Ringkasan's map indicator sits beside the map, inside the map's part (not in the sidebar): changing it
    redraws that map only (no title, no cards, no trend, no priority table) and keeps ?ind= in the URL.
    Fixture kab 99.02: Alpha has a Pustu in both its desa (2/2 = 100%), Beta in one of two (1/2 = 50%)."""
    at = run_page(page_db, "pages/ringkasan.py", monkeypatch)
    box = at.selectbox(key="w_ind")
    assert box not in list(at.sidebar.selectbox)
    assert box.value == "stunting_prevalensi"
    box.set_value("desa_dengan_pustu")
    secs = rerun_part(at, "headline_map")
    print(f"\nringkasan: map indicator, part rerun {secs:.2f} s")
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["ind"] in ("desa_dengan_pustu", ["desa_dengan_pustu"])
    assert not at.title and not at.dataframe and len(_figs(at)) == 1          # the map only, no trend
    values = next(tr for tr in _figs(at)[0]["data"] if tr.get("type") == "choropleth" and tr.get("text"))
    hover = dict(zip(values["locations"], values["text"]))
    assert "100,0%" in hover["99.02.01"] and "2 / 2" in hover["99.02.01"]
    assert "50,0%" in hover["99.02.02"] and "1 / 2" in hover["99.02.02"]
