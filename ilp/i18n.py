"""UI text: t("key") with Indonesian as default and English second (formats: ilp.fmt)."""
from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

LOCALES = Path(__file__).with_name("locales")
LANGS = ("id", "en")
BULAN_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
            "September", "Oktober", "November", "Desember"]
BULAN_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]


def _flatten(d: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """All keys of one language: locales/{lang}.toml plus every locales/{lang}/*.toml (one file per area,
    e.g. locales/id/impor.toml for import messages). A key defined twice is an error."""
    files = [LOCALES / f"{lang}.toml", *sorted((LOCALES / lang).glob("*.toml"))]
    out: dict[str, str] = {}
    for path in files:
        if not path.exists():
            continue
        with open(path, "rb") as f:
            part = _flatten(tomllib.load(f))
        twice = sorted(set(part) & set(out))
        if twice:
            raise ValueError(f"{path.name}: keys defined twice: {twice[:5]}")
        out.update(part)
    return out


def t(key: str, lang: str = "id", **kw) -> str:
    lang = lang if lang in LANGS else "id"
    text = catalog(lang).get(key) or catalog("id").get(key) or key
    return text.format(**kw) if kw else text


# Formats live in ilp.fmt (the one formatting layer); these thin re-exports keep older callers working.

def fmt_num(x, decimals: int = 0, lang: str = "id") -> str:
    """1234.5 -> '1.234,5' (id) or '1,234.5' (en); None/NaN -> '–'. See ilp.fmt.num."""
    from ilp import fmt
    return fmt.num(x, decimals, lang)


def fmt_pct(x, decimals: int = 1, lang: str = "id") -> str:
    from ilp import fmt
    return fmt.pct(x, decimals, lang)


def fmt_date(d: dt.date | str | None, lang: str = "id") -> str:
    """date(2025, 2, 5) -> '5 Februari 2025' / '5 February 2025'."""
    from ilp import fmt
    return fmt.date(d, lang)


def fmt_periode(p: str | None, lang: str = "id") -> str:
    """'2025-02' -> 'Februari 2025'."""
    from ilp import fmt
    return fmt.period(p, lang)
