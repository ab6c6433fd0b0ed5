"""Area and facility names of the database matched to a file's names (e-PPGBM exports and stunting recaps):
exact on the name key first, else one clear fuzzy winner with the same digits; never a silent guess."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ilp.names import facility_key, name_key

FUZZY_MIN = 85.0        # rapidfuzz ratio on the name key; also needs a clear winner and identical digits
FUZZY_MARGIN = 4.0      # best score must beat the runner-up by this much


def faskes_key(nama) -> str:
    """'UPTD Puskesmas Alpha' / 'PKM ALPHA' -> 'alpha'; 'Posyandu Melati 1' -> 'melati1' (ilp.names.facility_key)."""
    return facility_key(nama)


@dataclass(frozen=True)
class Match:
    kode: str | None
    nama: str | None = None
    score: float = 0.0
    how: str = ""             # 'exact' | 'fuzzy' | 'ambiguous' | 'none'
    others: tuple[str, ...] = ()   # ambiguous: the names that tied
    hint: str | None = None   # best candidate below the threshold (for 'maksud Anda ...?')


def match_name(name: str | None, candidates: list[tuple[str, str]], key=name_key, fuzzy: bool = True) -> Match:
    """Match `name` among (kode, nama) candidates: exact on the key, else a clear fuzzy winner."""
    k = key(name)
    if not k:
        return Match(None, how="none")
    exact = [(c, n) for c, n in candidates if key(n) == k]
    codes = {c for c, _ in exact}
    if len(codes) == 1:
        return Match(exact[0][0], exact[0][1], 100.0, "exact")
    if len(codes) > 1:
        return Match(None, how="ambiguous", others=tuple(sorted({n for _, n in exact})))
    from rapidfuzz import fuzz
    scored = sorted(((fuzz.ratio(k, key(n)), c, n) for c, n in candidates), key=lambda t: -t[0])
    if not scored:
        return Match(None, how="none")
    best = scored[0]
    hint = best[2] if best[0] >= 60 else None
    if not fuzzy:
        return Match(None, how="none", hint=hint)
    same_digits = re.findall(r"\d+", k) == re.findall(r"\d+", key(best[2]))
    clear = len(scored) == 1 or scored[1][0] <= best[0] - FUZZY_MARGIN
    if best[0] >= FUZZY_MIN and same_digits and clear:
        return Match(best[1], best[2], round(best[0]), "fuzzy")
    return Match(None, how="none", hint=hint)


class Areas:
    """Wilayah and faskes names of the database, loaded once per file."""

    def __init__(self, con):
        cur = con.cursor()
        try:
            w = cur.execute("select kode, level, nama, parent, kode_kab, kode_kec from wilayah "
                            "where level in ('kabkota', 'kecamatan', 'desa')").fetchall()
            f = cur.execute("select kode_faskes, nama, jenis, kode_kec, kode_desa, aturan_lokasi, sumber from faskes "
                            "where jenis in ('puskesmas', 'posyandu') and aktif").fetchall()
        finally:
            cur.close()
        self.names = {kode: nama for kode, _, nama, *_ in w}
        self.kecs: dict[str, list[tuple[str, str]]] = {}
        self.desas: dict[str, list[tuple[str, str]]] = {}
        self.kab_of_kec: dict[str, str] = {}
        for kode, level, nama, parent, kode_kab, kode_kec in w:
            if level == "kecamatan":
                kab = kode_kab or parent
                self.kecs.setdefault(kab, []).append((kode, nama))
                self.kab_of_kec[kode] = kab
            elif level == "desa":
                self.desas.setdefault(kode_kec or parent, []).append((kode, nama))
        self.kabs = [(kode, nama) for kode, level, nama, *_ in w if level == "kabkota" and kode in self.kecs]
        self.puskesmas: dict[str, list[tuple[str, str]]] = {}   # kab -> [(kode_faskes, nama)]
        self.posyandu: dict[str, list[tuple[str, str]]] = {}    # desa -> [(kode_faskes, nama)]
        self.pkm_kec: dict[str, str] = {}        # Puskesmas kode_faskes -> kode_kec
        self.pkm_nama: dict[str, str] = {}
        self.pkm_sumber: dict[str, str] = {}
        self.pkm_rekap: set[str] = set()         # created from a stunting recap (aturan_lokasi 'rekap')
        pkm = []
        for kode, nama, jenis, kode_kec, kode_desa, aturan, sumber in f:
            if jenis == "puskesmas":
                pkm.append((kode, nama))
                self.pkm_kec[kode], self.pkm_nama[kode], self.pkm_sumber[kode] = kode_kec, nama, sumber
                if aturan == "rekap":
                    self.pkm_rekap.add(kode)
            elif kode_desa:
                self.posyandu.setdefault(kode_desa, []).append((kode, nama))
        # a Puskesmas created from a recap gives way to a real one with the same name key in the same kecamatan
        real = {(facility_key(n), self.pkm_kec[c]): c for c, n in pkm if c not in self.pkm_rekap}
        self.superseded: dict[str, str] = {c: real[(facility_key(n), self.pkm_kec[c])] for c, n in pkm
                                           if c in self.pkm_rekap and (facility_key(n), self.pkm_kec[c]) in real}
        for kode, nama in pkm:
            if kode not in self.superseded:
                self.puskesmas.setdefault(self.kab_of_kec.get(self.pkm_kec[kode], ""), []).append((kode, nama))

    def kab_label(self, kabs: list[str]) -> str:
        return " / ".join(self.names.get(k, k) for k in kabs) or "data wilayah"
