"""Column specs for tabular import kinds: what a kind expects in a file, declared once.

    Col("tahun", "int", min=2000, max=2100, desc="impor.tata_letak.spm.tahun", example="2025")

`match_columns` finds each spec's header in a file (case, spaces, underscores and accents ignored;
aliases allowed; user overrides TARGET=HEADER first; a missing one gets the nearest header suggested).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ilp.ingest.base import Msg, Problem
from ilp.names import header_key, header_key_strict

# SPM kab/kota services (Permenkes 4/2019 order): code -> spellings seen in district files
LAYANAN: dict[str, tuple[str, ...]] = {
    "spm01": ("ibu hamil", "bumil", "pelayanan kesehatan ibu hamil", "pregnant women"),
    "spm02": ("ibu bersalin", "bulin", "persalinan", "pelayanan kesehatan ibu bersalin"),
    "spm03": ("bayi baru lahir", "bbl", "neonatal", "pelayanan kesehatan bayi baru lahir"),
    "spm04": ("balita", "pelayanan kesehatan balita", "under five"),
    "spm05": ("usia pendidikan dasar", "pendidikan dasar", "anak sekolah", "usia dikdas"),
    "spm06": ("usia produktif", "pelayanan kesehatan usia produktif"),
    "spm07": ("usia lanjut", "lansia", "pelayanan kesehatan usia lanjut", "elderly"),
    "spm08": ("hipertensi", "penderita hipertensi", "ht"),
    "spm09": ("diabetes melitus", "diabetes", "dm", "penderita diabetes melitus", "penderita dm"),
    "spm10": ("odgj berat", "odgj", "orang dengan gangguan jiwa berat", "gangguan jiwa berat"),
    "spm11": ("terduga tuberkulosis", "terduga tb", "tbc", "tb", "orang terduga tuberkulosis"),
    "spm12": ("risiko hiv", "hiv", "orang dengan risiko terinfeksi hiv", "berisiko hiv"),
}
LAYANAN_LABEL = "impor.pilihan.layanan"   # how the valid services are described in a message


def layanan_choices() -> dict[str, str]:
    """Normalised spelling -> 'spmNN': 'spm01', 'SPM 1', '1', '01', 'ibu hamil', ..."""
    out: dict[str, str] = {}
    for code, names in LAYANAN.items():
        n = int(code[3:])
        for s in (code, f"spm {n}", f"spm{n}", f"spm-{n:02d}", str(n), f"{n:02d}", *names):
            out[header_key(s)] = code
    return out


@dataclass(frozen=True)
class Col:
    name: str                         # canonical name (usually the table column)
    kind: str = "str"                 # str | int | float | date | bool | choice
    required: bool = True             # the column must be in the file
    aliases: tuple[str, ...] = ()     # other accepted header spellings
    min: float | None = None
    max: float | None = None
    unit: str = ""                    # shown in range messages ('cm', '%')
    choices: Mapping[str, str] | None = None  # normalised spelling -> stored value (kind 'choice')
    default: Any = None               # value when the column is absent or the cell empty
    allow_empty: bool = False         # an empty cell is fine (otherwise: 'wajib diisi' if required)
    not_future: bool = False          # dates: not after today
    min_year: int = 1900              # dates: earlier years are refused (an Excel serial read as 1954, a 1900 birth)
    desc: str = ""                    # i18n key of the template description (impor.tata_letak.<kind>.<column>)
    example: str = ""
    max_len: int = 1000
    choices_label: str | None = None  # i18n key describing the valid choices, instead of listing them
    soft: bool | None = None          # an unreadable cell is a note (value left empty), not a rejection;
                                      # None = so for optional columns (required=False)

    @property
    def lenient(self) -> bool:
        return (not self.required) if self.soft is None else self.soft

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def template_desc(self) -> Msg | None:
        """The description written in the template's second row (recognised, and skipped, on import)."""
        if not self.desc:
            return None
        return Msg(self.desc) if self.required else Msg("impor.tata_letak.opsional", {"desc": Msg(self.desc)})


def template_columns(cols: Iterable[Col]) -> tuple[tuple[str, Msg | None, str], ...]:
    """ImportKind.columns from specs: (column, description Msg, example)."""
    return tuple((c.name, c.template_desc, c.example) for c in cols if not c.name.startswith("_"))


def description_texts(desc: Msg | None) -> list[str]:
    """A template description as written in every language's template (a row left in is skipped whichever it is)."""
    from ilp.i18n import LANGS
    return [] if desc is None else sorted({desc.text(lang) for lang in LANGS})


def overrides(option) -> dict[str, str]:
    """The header-override option as {target: header}: a dict, or 'TARGET=HEADER' strings from the CLI."""
    if not option:
        return {}
    if isinstance(option, Mapping):
        return {str(k): str(v) for k, v in option.items() if v}
    out = {}
    for item in ([option] if isinstance(option, str) else option):
        target, sep, header = str(item).partition("=")
        if sep and target.strip() and header.strip():
            out[target.strip()] = header.strip()
    return out


def match_columns(headers: Iterable[str], cols: Iterable[Col], override: Mapping[str, str] | None = None
                  ) -> tuple[dict[str, str], list[Problem]]:
    """Map canonical name -> header as written in the file; problems for missing/ambiguous ones.
    `override` (target -> header, from the user) wins over spellings. Then two passes over the spellings:
    first on the strict key (ilp.names.header_key_strict: '%' and '+' kept, so '% Stunting' finds the
    prevalence and 'Stunting' the count), then on the loose key (header_key), where a header that is another
    column's strict spelling is never taken ('% Stunting' is not the 'Stunting' count, even when the
    prevalence came from another header)."""
    from rapidfuzz import fuzz, process

    headers = [h for h in headers if h != "_row"]
    base = {h: re.sub(r" \(\d+\)$", "", h) for h in headers}   # 'Pendek (2)': a repeated header renamed by the reader
    by_key: dict = {}
    for h in headers:
        by_key.setdefault(("strict", header_key_strict(base[h])), []).append(h)
        by_key.setdefault(("loose", header_key(base[h])), []).append(h)
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    cols = list(cols)
    names = {c.name for c in cols}
    claimed: dict[str, set[str]] = {}   # strict key -> the columns that spell it so
    for c in cols:
        for s in c.spellings():
            claimed.setdefault(header_key_strict(s), set()).add(c.name)
    for target, header in (override or {}).items():
        if target not in names:
            problems.append(Problem(None, None, Msg("impor.kolom_tak_dikenal", {"target": target,
                                                                               "ada": ", ".join(sorted(names))})))
            continue
        hit = header if header in headers else (by_key.get(("loose", header_key(header))) or [None])[0]
        if hit is None:
            problems.append(Problem(None, header, Msg("impor.kolom_pilihan_tidak_ada", {
                "header": header, "target": target, "ada": ", ".join(headers[:30])})))
        else:
            mapping[target] = hit
    for kind, key in (("strict", header_key_strict), ("loose", header_key)):
        for c in cols:
            if c.name in mapping:
                continue
            for s in c.spellings():
                k = key(s)
                hits = [h for h in by_key.get((kind, k)) or [] if k and h not in mapping.values()
                        and (kind == "strict" or not claimed.get(header_key_strict(base[h]), set()) - {c.name})]
                if hits:
                    if len(hits) > 1:
                        problems.append(Problem(None, hits[0], Msg("impor.kolom_ganda", {"header": hits[0], "n": len(hits)})))
                    mapping[c.name] = hits[0]
                    break
    used = set(mapping.values())
    spare = [h for h in headers if h not in used]
    for c in cols:
        if c.name in mapping or not c.required:
            continue
        hint: Msg | str = ""
        if spare:
            cands = {h: header_key(h) for h in spare}
            best = None
            for s in c.spellings():
                m = process.extractOne(header_key(s), cands, scorer=fuzz.ratio, score_cutoff=70)
                if m and (best is None or m[1] > best[1]):
                    best = m
            if best:
                hint = Msg("impor.maksud", {"v": best[2]})
        also = Msg("impor.atau", {"daftar": ", ".join(c.aliases[:4])}) if c.aliases else ""
        problems.append(Problem(None, c.name, Msg("impor.kolom_tidak_ada", {"kolom": c.name, "atau": also, "saran": hint})))
    return mapping, problems
