"""Issue 10 acceptance, end to end on the five real districts in ../shared/data (skips cleanly when absent).

For each district, exactly as a Dinkes would do it from the command line, with no option and no hand edit:
the Kemendagri code list (`import wilayah --kab`), kecamatan and desa boundaries, then a Puskesmas recap
written here in the shape districts keep them (title rows, "Unit Kerja (Puskesmas)", "Jml Balita Diukur",
"Sangat Pendek", month and year columns, a JUMLAH row after every month, ten rounds, Puskesmas named after
real kecamatan, two Puskesmas in one kecamatan, one kecamatan without a Puskesmas). The answers are summed
by hand from the generated rows and compared with what the pages and the briefing show, through the same
core functions the pages use (ilp.stunting.routine, ilp.content.build, ilp.indicators.values).

Also: the 2019 facility list (Kemendagri kecamatan codes) imports before any boundary file; an HTML '.xls'
e-PPGBM export with children without NIK imports like the CSV; the briefing is made while a Streamlit server
has a viewer on it.
"""
from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from ilp import content, db, indicators, stunting
from ilp.i18n import fmt_num
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SHARED = ROOT.parent / "shared" / "data"
DISTRICTS = ["35.23", "33.29", "61.12", "74.14", "21.72"]  # Tuban, Brebes, Kubu Raya, Buton Tengah, Tanjungpinang
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober"]
TAHUN = 2025
CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"


def _need_shared() -> Path:
    if not (SHARED / "wilayah" / "wilayah.csv").is_file() or not (SHARED / "boundaries").is_dir():
        pytest.skip("../shared/data tidak tersedia")
    return SHARED


def cli(*args: str, db_path: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m ilp ...` as a user runs it (ILP_DB points at the district's database)."""
    e = dict(os.environ, ILP_DB=str(db_path), **(env or {}))
    p = subprocess.run([sys.executable, "-m", "ilp", *args], cwd=ROOT, env=e, capture_output=True, text=True,
                       timeout=timeout)
    assert p.returncode == 0, f"python -m ilp {' '.join(args)} -> {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    return p


def areas(kab: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Kecamatan and desa of one district from the code list (the file a district downloads)."""
    w = pl.read_csv(_need_shared() / "wilayah" / "wilayah.csv", infer_schema=False)
    kec = w.filter((pl.col("level") == "kecamatan") & (pl.col("kode_kab") == kab)).sort("kode")
    desa = w.filter((pl.col("level") == "desa") & (pl.col("kode_kab") == kab)).sort("kode")
    return kec.select("kode", "nama"), desa.select("kode", "nama", "kode_kec")


def _key(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def recap_units(kab: str) -> list[tuple[str, str, str]]:
    """(Puskesmas name as written, kecamatan as written, kecamatan code): one 'UPTD Puskesmas <Kecamatan>'
    per kecamatan except the last (a kecamatan without a Puskesmas), plus a second Puskesmas in the first
    kecamatan named after one of its desa (as many are)."""
    kec, desa = areas(kab)
    rows = kec.rows()
    units = []
    for i, (kode, nama) in enumerate(rows[:-1]):
        written = nama.upper() if i % 3 == 1 else (f"Kec. {nama}" if i % 3 == 2 else nama)  # spellings vary
        units.append((f"UPTD Puskesmas {nama}", written, kode))
    k0, n0 = rows[0]
    own = [d for d, k in zip(desa["nama"], desa["kode_kec"]) if k == k0 and _key(n0)[:4] not in _key(d)]
    units.insert(1, (f"Puskesmas {own[0]}", n0, k0))
    return units


def recap_rows(kab: str) -> list[dict]:
    """Ten monthly rounds of counts for every unit (deterministic per district)."""
    rng = random.Random(f"rekap-{kab}")
    out = []
    for m, bulan in enumerate(BULAN, start=1):
        for pkm, kec_written, kode_kec in recap_units(kab):
            diukur = rng.randint(120, 900)
            pendek = rng.randint(diukur // 25, diukur // 8)
            sangat = rng.randint(diukur // 60, diukur // 20)
            out.append({"pkm": pkm, "kec": kec_written, "kode_kec": kode_kec, "bulan": bulan, "periode": f"{TAHUN}-{m:02d}",
                        "diukur": diukur, "pendek": pendek, "sangat": sangat})
    return out


HEADER = ["No", "Unit Kerja (Puskesmas)", "Kecamatan", "Bulan", "Tahun", "Jml Balita Diukur", "Pendek",
          "Sangat Pendek", "Jumlah Stunting", "Prevalensi Stunting"]


def _table(kab: str) -> list[list]:
    """The sheet as districts keep it: two title rows, a blank row, the header, then per month its rows and
    a JUMLAH row."""
    lines: list[list] = [["REKAPITULASI HASIL PENGUKURAN BALITA STUNTING"], [f"DINAS KESEHATAN {kab} TAHUN {TAHUN}"], []]
    lines.append(HEADER)
    rows = recap_rows(kab)
    for bulan in BULAN:
        month = [r for r in rows if r["bulan"] == bulan]
        for i, r in enumerate(month, start=1):
            st = r["pendek"] + r["sangat"]
            lines.append([i, r["pkm"], r["kec"], r["bulan"], TAHUN, r["diukur"], r["pendek"], r["sangat"], st,
                          f"{st / r['diukur'] * 100:.1f} %".replace(".", ",")])
        tot = [sum(r[c] for r in month) for c in ("diukur", "pendek", "sangat")]
        lines.append(["JUMLAH", "", "", "", "", tot[0], tot[1], tot[2], tot[1] + tot[2], ""])
    return lines


def write_recap(kab: str, folder: Path) -> Path:
    """xlsx for most districts, a semicolon CSV (Indonesian Excel) for the others: both are what districts send."""
    lines = _table(kab)
    if DISTRICTS.index(kab) % 2 == 0:
        import xlsxwriter
        p = folder / f"Rekap Stunting Puskesmas {kab} {TAHUN}.xlsx"
        wb = xlsxwriter.Workbook(str(p))
        ws = wb.add_worksheet("REKAP")
        for i, line in enumerate(lines):
            for j, v in enumerate(line):
                (ws.write_number if isinstance(v, (int, float)) else ws.write_string)(i, j, v)
        wb.close()
        return p
    p = folder / f"rekap_stunting_{kab}.csv"
    p.write_bytes(("\r\n".join(";".join(str(v) for v in line) for line in lines) + "\r\n").encode("cp1252"))
    return p


def hand_sums(kab: str) -> tuple[dict[tuple[str, str], tuple[int, int]], dict[str, tuple[int, int]]]:
    """(kecamatan code, periode) -> (stunted, measured), and periode -> (stunted, measured) for the district."""
    kec: dict[tuple[str, str], tuple[int, int]] = {}
    kab_tot: dict[str, tuple[int, int]] = {}
    for r in recap_rows(kab):
        st = r["pendek"] + r["sangat"]
        a, b = kec.get((r["kode_kec"], r["periode"]), (0, 0))
        kec[(r["kode_kec"], r["periode"])] = (a + st, b + r["diukur"])
        a, b = kab_tot.get(r["periode"], (0, 0))
        kab_tot[r["periode"]] = (a + st, b + r["diukur"])
    return kec, kab_tot


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """kab -> path of a database built through the CLI only: code list, boundaries, Puskesmas recap."""
    data = _need_shared()
    out: dict[str, Path] = {}
    base = tmp_path_factory.mktemp("real_districts")
    for kab in DISTRICTS:
        d = base / kab
        d.mkdir()
        p = d / "kabupaten.duckdb"
        env = {"ILP_UPLOADS": str(d / "uploads")}
        cli("import", "wilayah", str(data / "wilayah" / "wilayah.csv"), "--kab", kab, db_path=p, env=env)
        cli("import", "boundaries", str(data / "boundaries" / "kecamatan_5kab.geojson"), "--level", "kecamatan",
            db_path=p, env=env)
        cli("import", "boundaries", str(data / "boundaries" / f"desa_{kab}.geojson"), "--level", "desa",
            db_path=p, env=env)
        cli("import", "rekap", str(write_recap(kab, d)), db_path=p, env=env)
        out[kab] = p
    return out


def _run(con):
    return functools.partial(db.run, con)


@pytest.mark.parametrize("kab", DISTRICTS)
def test_recap_only_district_has_kecamatan_figures_trend_and_map(built, kab):
    kec_sum, kab_sum = hand_sums(kab)
    periods = [f"{TAHUN}-{m:02d}" for m in range(1, 11)]
    con = db.connect(built[kab], read_only=True)
    try:
        run = _run(con)
        r = stunting.routine(run, kab)
        assert r.source == stunting.REKAP
        # the series has all ten rounds, every one complete (every Puskesmas reported)
        assert r.complete == periods
        assert r.trend_series["periode"].to_list() == periods
        for row in r.series.iter_rows(named=True):
            assert (row["stunting"], row["diukur"]) == kab_sum[row["periode"]]
        # every kecamatan with a Puskesmas: prevalence = the hand-summed counts, in every round
        got = {(x["kode"], x["periode"]): x for x in r.kecamatan.iter_rows(named=True) if x["diukur"] is not None}
        assert set(got) == set(kec_sum)
        silent = r.kecamatan.filter(pl.col("diukur").is_null())       # the kecamatan without a Puskesmas
        assert set(silent["kode"]) <= {areas(kab)[0]["kode"][-1]} and silent["prevalensi_pct"].is_null().all()
        for key, (st, n) in kec_sum.items():
            assert (got[key]["stunting"], got[key]["diukur"]) == (st, n), key
            assert got[key]["prevalensi_pct"] == pytest.approx(st / n * 100, abs=1e-9), key
        # the map (as Peta and Ringkasan draw it): the latest round per kecamatan; the kecamatan without a
        # Puskesmas has no value (never 0)
        ind = indicators.get("stunting_prevalensi")
        vals = indicators.values(run, ind, routine=r, kab=kab, periode=r.latest)
        kec_all = areas(kab)[0]["kode"].to_list()
        by = {x["kode"]: x["nilai"] for x in vals.iter_rows(named=True)}
        for kode in kec_all[:-1]:
            st, n = kec_sum[(kode, periods[-1])]
            assert by[kode] == pytest.approx(st / n * 100, abs=1e-9), kode
        assert by.get(kec_all[-1]) is None
        geo = run("wilayah/batas_kecamatan", kab=kab)
        assert set(by) <= set(geo["kode"].to_list())
        # Ringkasan's content: the trend over all rounds and the routine headline figure
        c = content.build(run, kab)
        assert c.trend.series["periode"].to_list() == periods
        assert c.map.periode == periods[-1]
        assert c.routine.row()["prevalensi_pct"] == pytest.approx(kab_sum[periods[-1]][0] / kab_sum[periods[-1]][1] * 100)
    finally:
        con.close()


@pytest.mark.parametrize("kab", DISTRICTS)
def test_briefing_contains_the_routine_figure(built, kab, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) tidak tersedia")
    out = tmp_path / "x.pdf"
    cli("brief", "--out", str(out), db_path=built[kab], env={"ILP_UPLOADS": str(tmp_path / "up")})
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    _, kab_sum = hand_sums(kab)
    st, n = kab_sum[f"{TAHUN}-10"]
    figure = fmt_num(st / n * 100, 1, "id")
    assert figure in text, f"{figure} not in the briefing:\n{text[:2000]}"
    assert "rekap" in text.lower()


# ---------------------------------------------------------------- facility list before any boundary file

def test_facility_list_with_kemendagri_codes_before_any_boundary(tmp_path):
    data = _need_shared()
    p = tmp_path / "faskes_first.duckdb"
    env = {"ILP_UPLOADS": str(tmp_path / "uploads")}
    cli("import", "wilayah", str(data / "wilayah" / "wilayah.csv"), "--kab", *DISTRICTS, db_path=p, env=env)
    # two rows cannot be placed without boundaries (a hospital whose only code is a kecamatan of Pontianak,
    # not loaded; a Puskesmas with no Kemendagri code): rejected with row and column, the rest imports
    res = cli("import", "faskes", str(data / "faskes" / "faskes_5kab_2019.csv"), "--accept-valid", db_path=p, env=env)
    assert "baris 94, kolom 'lat'" in res.stdout + res.stderr and "baris 117, kolom 'lat'" in res.stdout + res.stderr
    assert "ditolak 2" in res.stdout + res.stderr
    src = pl.read_csv(data / "faskes" / "faskes_5kab_2019.csv", infer_schema=False)
    pk = src.filter((pl.col("jenis_faskes") == "PUSKESMAS") & pl.col("kode_kec_kemendagri").is_not_null())
    con = db.connect(p, read_only=True)
    try:
        assert con.execute("select count(*) from batas_wilayah").fetchall() == [(0,)]   # no boundary file yet
        got = db.fetch_pl(con, "select kode_faskes, kode_kec from faskes where jenis = 'puskesmas'")
    finally:
        con.close()
    by = dict(zip(got["kode_faskes"], got["kode_kec"]))
    assert pk.height > 50
    for kode, kec in zip(pk["kode_faskes"], pk["kode_kec_kemendagri"]):
        assert by.get(kode) == kec, kode


# ---------------------------------------------------------------- e-PPGBM as an HTML '.xls', children without NIK

EP_HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel",
             "Posyandu", "Usia Saat Ukur", "Tanggal Pengukuran", "Bulan Pengukuran", "Berat", "Tinggi", "Cara Ukur",
             "ZS TB/U"]


def eppgbm_rows(kab: str) -> list[dict]:
    """40 children in real desa of the district, measured in February 2026; every fifth has no usable NIK
    (empty, '-', or all zeros, as exports have them)."""
    import datetime as dt
    _, desa = areas(kab)
    kec_names = dict(areas(kab)[0].rows())
    w = pl.read_csv(_need_shared() / "wilayah" / "wilayah.csv", infer_schema=False)
    kab_name = w.filter(pl.col("kode") == kab)["nama"].item().upper().replace("KABUPATEN", "KAB.")
    prov_name = w.filter(pl.col("kode") == kab[:2])["nama"].item().upper()
    rng = random.Random(f"eppgbm-{kab}")
    rows = []
    for i in range(40):
        d = desa.row(i % desa.height, named=True)
        born = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        ukur = dt.date(2026, 2, rng.randint(3, 25))
        nik = f"{kab.replace('.', '')}{'%02d' % rng.randint(1, 20)}0101{23 + i % 2:02d}{i + 1:04d}"
        if i % 5 == 0:
            nik = ["", "-", "0000000000000000"][i // 5 % 3]
        months = (ukur.year - born.year) * 12 + ukur.month - born.month - (ukur.day < born.day)
        rows.append({"NIK": nik, "Nama": f"Anak Uji {i}", "JK": "L" if i % 2 else "P",
                     "Tgl Lahir": born.strftime("%d/%m/%Y"), "Nama Ortu": f"Ibu Uji {i}", "Prov": prov_name,
                     "Kab/Kota": kab_name, "Kec": kec_names[d["kode_kec"]].upper(), "Pukesmas": "",
                     "Desa/Kel": d["nama"].upper(), "Posyandu": "",
                     "Usia Saat Ukur": f"{months // 12} Tahun - {months % 12} Bulan - 0 Hari",
                     "Tanggal Pengukuran": ukur.strftime("%d/%m/%Y"), "Bulan Pengukuran": "Februari",
                     "Berat": f"{rng.uniform(8, 15):.1f}".replace(".", ","),
                     "Tinggi": f"{rng.uniform(72, 100):.1f}".replace(".", ","), "Cara Ukur": "Berdiri", "ZS TB/U": ""})
    return rows


def write_html_xls(path: Path, rows: list[dict]) -> Path:
    """What e-PPGBM's 'Export Excel' really sends: an HTML table saved with a .xls name."""
    import html
    head = "".join(f"<th>{html.escape(h)}</th>" for h in EP_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[h]))}</td>" for h in EP_HEADER) + "</tr>" for r in rows)
    path.write_text('<html><head><meta charset="utf-8"></head><body><table border="1">'
                    f"<tr>{head}</tr>{body}</table></body></html>", encoding="utf-8")
    return path


def write_ep_csv(path: Path, rows: list[dict]) -> Path:
    lines = [";".join(EP_HEADER)] + [";".join(str(r[h]) for h in EP_HEADER) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _measurements(p: Path) -> pl.DataFrame:
    con = db.connect(p, read_only=True)
    try:
        return db.fetch_pl(con, "select id_anak, tgl_ukur, kode_desa, tinggi_cm, berat_kg, haz from pengukuran "
                                "order by kode_desa, tgl_ukur, tinggi_cm")
    finally:
        con.close()


def test_html_xls_eppgbm_export_imports_like_the_csv(built, tmp_path):
    kab = "74.14"
    rows = eppgbm_rows(kab)
    got = {}
    salt = {"ILP_SALT_FILE": str(tmp_path / "salt" / "salt"), "ILP_UPLOADS": str(tmp_path / "up")}
    for fmt, f in (("xls", write_html_xls(tmp_path / "Data Balita Februari.xls", rows)),
                   ("csv", write_ep_csv(tmp_path / "Data Balita Februari.csv", rows))):
        p = tmp_path / f"{fmt}.duckdb"
        shutil.copy(built[kab], p)
        cli("import", "eppgbm", str(f), "--accept-valid", db_path=p, env=salt)
        got[fmt] = _measurements(p)
    assert got["xls"].height == got["csv"].height == 40       # every child, NIK or not
    assert got["xls"].equals(got["csv"])
    psd = got["xls"].filter(pl.col("id_anak").str.starts_with("psd-"))
    assert psd.height == 8                                     # the eight without a usable NIK are counted
    assert got["xls"]["id_anak"].n_unique() == 40
    assert got["xls"]["kode_desa"].str.starts_with(kab + ".").all()


# ---------------------------------------------------------------- the briefing while the app has a viewer

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_briefing_while_the_app_has_a_viewer(built, tmp_path):
    kab = "21.72"
    port = _free_port()
    log = tmp_path / "server.log"
    env = dict(os.environ, ILP_DB=str(built[kab]), ILP_UPLOADS=str(tmp_path / "up"))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "streamlit did not start:\n" + log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        out = tmp_path / "briefing.pdf"
        if os.path.exists(CHROMIUM):
            from playwright.sync_api import sync_playwright
            with sync_playwright() as pw:
                b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                       args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                try:
                    page = b.new_page()
                    page.goto(url, wait_until="domcontentloaded")
                    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=90_000)
                    # the viewer is on the page (its session holds whatever the app holds): brief now
                    cli("brief", "--out", str(out), db_path=built[kab], env={"ILP_UPLOADS": str(tmp_path / "up")})
                    assert page.locator('[data-testid="stException"]').count() == 0
                finally:
                    b.close()
        else:  # at least an HTTP session on the app
            with urllib.request.urlopen(url + "/", timeout=10) as r:
                assert r.status == 200
                cli("brief", "--out", str(out), db_path=built[kab], env={"ILP_UPLOADS": str(tmp_path / "up")})
        assert out.is_file() and out.read_bytes()[:5] == b"%PDF-"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
