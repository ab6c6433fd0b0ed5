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
