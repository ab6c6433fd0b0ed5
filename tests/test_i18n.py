"""Every UI key exists in both languages; every key used in the code exists; formats are Indonesian."""
import datetime as dt
import re

from ilp import i18n
from tests.conftest import ROOT


def test_same_keys_in_both_languages():
    assert set(i18n.catalog("id")) == set(i18n.catalog("en"))


def test_every_used_key_exists():
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + list((ROOT / "ilp").rglob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""", path.read_text(encoding="utf-8")))
    # keys ending in "_" are prefixes completed at run time (t("brief.status_" + status))
    missing = sorted(k for k in used if not k.endswith("_") and k not in i18n.catalog("id"))
    assert not missing, missing


def test_formats():
    assert i18n.fmt_num(1234.5, 1) == "1.234,5"
    assert i18n.fmt_num(1234.5, 1, "en") == "1,234.5"
    assert i18n.fmt_date(dt.date(2025, 2, 5)) == "5 Februari 2025"
    assert i18n.fmt_date(dt.date(2025, 2, 5), "en") == "5 February 2025"
    assert i18n.fmt_pct(115.66, 1) == "115,7%"  # above 100% shown, not clipped
    assert i18n.fmt_periode("2025-08") == "Agustus 2025"


def test_no_language_branches_in_pages_and_ui():
    """Text is chosen by t(key, lang), never by comparing the language in a page or UI helper."""
    pat = re.compile(r"""\b(L|lang|lang_)\s*==\s*["'](id|en)["']|title_id if|nama_id if""")
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py",
             ROOT / "ilp" / "coverage.py", ROOT / "ilp" / "spm.py", ROOT / "ilp" / "checklist.py"]
    hits = [f"{f.name}:{i}" for f in files if f.exists()
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if pat.search(line)]
    assert not hits, hits


def test_pages_only_lay_out():
    """pages/*.py import neither polars nor plotly (figures and aggregations live in ilp/)."""
    imp = re.compile(r"^\s*(import|from)\s+(polars|plotly)\b", re.M)
    bad = [p.name for p in (ROOT / "pages").glob("*.py") if imp.search(p.read_text(encoding="utf-8"))]
    assert not bad, bad
