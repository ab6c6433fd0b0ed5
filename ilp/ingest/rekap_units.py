"""Which unit a stunting-recap row is about: a desa, a Puskesmas or a kecamatan of the loaded kab/kota, by code or by
name (exact, never a silent fuzzy guess), and the Puskesmas a recap creates when the facility list does not have it
(code RKP-..., marked aturan_lokasi 'rekap'). Used by ilp.ingest.rekap; split from it by responsibility."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ilp import db
from ilp.ingest.areas import Areas, match_name
from ilp.ingest.base import Msg, Problem
from ilp.names import code_level, dotted, facility_key

CLOSE_NAME = 66        # rapidfuzz ratio on the facility key (same digits): an unknown Puskesmas this close to a known one
UNIT_COLS = ("desa", "puskesmas", "unit", "kecamatan", "kode")
_TOTAL = re.compile(r"^\s*(jumlah|total|jml|kabupaten|kab\.?|kota|grand ?total|sub ?total)\b", re.I)  # a total row


def _p(row: int | None, column: str | None, key: str, nilai: str | None = None, **params) -> Problem:
    return Problem(row, column, Msg(f"rekap.{key}", params), nilai)


def _m(key: str, **params) -> Msg:
    return Msg(f"rekap.{key}", params)


@dataclass
class Units:
    """The Puskesmas, kecamatan and desa of the district(s) in the database."""

    con: object
    areas: Areas = field(init=False)

    def __post_init__(self):
        a = self.areas = Areas(self.con)
        try:
            kab = db.get_meta(self.con, "kode_kab")
        except Exception:
            kab = None
        self.scope = [kab] if kab and kab in a.kecs else [k for k, _ in a.kabs]
        self.scope_label = a.kab_label(self.scope)
        self.kec = [c for k in self.scope for c in a.kecs.get(k, [])]
        self.kec_codes = {c for c, _ in self.kec}
        self.kec_name = dict(self.kec)
        self.desa_by_kec = {kc: a.desas.get(kc, []) for kc, _ in self.kec}
        self.desa = [d for ds in self.desa_by_kec.values() for d in ds]
        self.desa_codes = {c for c, _ in self.desa}
        self.superseded = {c: r for c, r in a.superseded.items() if a.kab_of_kec.get(a.pkm_kec[c]) in self.scope}
        self.pkm = [c for k in self.scope for c in a.puskesmas.get(k, [])]
        self.pkm_codes = {c for c, _ in self.pkm}

    def by_code(self, kode: str, jenis: str | None) -> tuple[str | None, str | None]:
        k = kode.strip()
        d = dotted(k)
        shape = code_level(d) if d else None
        if jenis in (None, "puskesmas") and k in self.pkm_codes:
            return "puskesmas", k
        if jenis in (None, "kecamatan") and shape == "kecamatan" and d in self.kec_codes:
            return "kecamatan", d
        if jenis in (None, "desa") and shape == "desa" and d in self.desa_codes:
            return "desa", d
        return None, None


def rekap_faskes_code(kode_kec: str, nama: str) -> str:
    """Stable code of a Puskesmas created from a recap: 'RKP-99.02.01-GAMMA'."""
    return f"RKP-{kode_kec}-{facility_key(nama).upper()}"


@dataclass
class _Unit:
    jenis: str | None = None
    kode: str | None = None
    error: Problem | None = None     # rejects the row
    flag: Msg | None = None          # imported, flagged
    total: bool = False
    new_pkm: tuple[str, str, str] | None = None   # (kode_faskes, nama, kode_kec) to create


class _Resolver:
    def __init__(self, units: Units, mapping: dict[str, str], jenis_opt: str | None):
        self.u, self.mapping, self.jenis_opt = units, mapping, jenis_opt
        self.cache: dict[tuple, _Unit] = {}
        if jenis_opt and jenis_opt in mapping:
            self.level_col = jenis_opt
        else:
            self.level_col = next((t for t in UNIT_COLS if t in mapping and t != "kode"), None)
        self.level = jenis_opt or {"unit": "puskesmas", "puskesmas": "puskesmas", "kecamatan": "kecamatan",
                                   "desa": "desa", None: None}[self.level_col]

    def col(self, t: str) -> str:
        return self.mapping.get(t, t)

    def __call__(self, row: int, r: dict) -> _Unit:
        key = (r.get("kode"), r.get(self.level_col) if self.level_col else None, r.get("kecamatan"))
        if key not in self.cache:
            self.cache[key] = self._resolve(*key)
        res = self.cache[key]
        if res.error is not None:
            return _Unit(error=Problem(row, res.error.column, res.error.msg, res.error.nilai))
        return res

    def _kec(self, kec_nama: str | None):
        if not kec_nama:
            return None
        return match_name(kec_nama, self.u.kec, fuzzy=False)

    def _resolve(self, kode, nama, kec_nama) -> _Unit:
        u = self.u
        if kode:
            jenis, k = u.by_code(kode, self.jenis_opt)
            if k:
                return _Unit(jenis, k)
            if nama is None:
                if _TOTAL.match(kode):
                    return _Unit(total=True)
                return _Unit(error=_p(None, self.col("kode"), "kode_tidak_dikenal", kode, kode=kode, wilayah=u.scope_label))
        if not nama:
            if kec_nama and _TOTAL.match(kec_nama):
                return _Unit(total=True)
            return _Unit(error=_p(None, self.col(self.level_col) if self.level_col else None, "unit_kosong"))
        if _TOTAL.match(nama):
            return _Unit(total=True)
        if self.level == "puskesmas":
            return self._puskesmas(nama, kec_nama)
        if self.level == "kecamatan":
            m = match_name(nama, u.kec, fuzzy=False)
            if m.kode:
                return _Unit("kecamatan", m.kode)
            return _Unit(error=self._not_found(nama, "kecamatan", m.hint))
        return self._desa(nama, kec_nama)

    def _not_found(self, nama, what, hint, where=None) -> Problem:
        col = self.col(self.level_col)
        key = "tidak_ditemukan_saran" if hint else "tidak_ditemukan"
        return _p(None, col, key, nama, jenis=_m(f"jenis.{what}"), nama=nama, wilayah=where or self.u.scope_label,
                  saran=hint or "")

    def _puskesmas(self, nama: str, kec_nama: str | None) -> _Unit:
        u = self.u
        m = match_name(nama, u.pkm, key=facility_key, fuzzy=False)
        mk = self._kec(kec_nama)
        if kec_nama and (mk is None or mk.kode is None):
            return _Unit(error=_p(None, self.col("kecamatan"), "kecamatan_tidak_ditemukan", kec_nama, nama=kec_nama,
                                  wilayah=u.scope_label))
        if m.kode:
            flag = None
            kk = u.areas.pkm_kec.get(m.kode)
            if mk is not None and kk and kk != mk.kode:
                flag = _m("flag.pkm_beda_kecamatan", puskesmas=m.nama, kecamatan=mk.nama,
                          kecamatan_faskes=u.kec_name.get(kk, kk))
            return _Unit("puskesmas", m.kode, flag=flag)
        if m.how == "ambiguous":
            return _Unit(error=_p(None, self.col(self.level_col), "puskesmas_ambigu", nama, nama=nama,
                                  nama_lain=", ".join(m.others)))
        if self.level_col == "unit" and not self.jenis_opt:   # 'Unit Kerja' may also list kecamatan
            mkk = match_name(nama, u.kec, fuzzy=False)
            if mkk.kode:
                return _Unit("kecamatan", mkk.kode)
        if mk is None:
            # no kecamatan column: nothing to create the Puskesmas in
            key = "pkm_tidak_ditemukan_saran" if m.hint else "pkm_tidak_ditemukan"
            return _Unit(error=_p(None, self.col(self.level_col), key, nama, nama=nama, wilayah=u.scope_label,
                                  saran=m.hint or ""))
        # a known Puskesmas of this kecamatan with a close name: a typo, never a new facility
        from rapidfuzz import fuzz
        fk = facility_key(nama)
        digits = re.findall(r"\d+", fk)
        close = sorted(((fuzz.ratio(fk, facility_key(n)), n) for c, n in u.pkm
                        if u.areas.pkm_kec.get(c) == mk.kode and re.findall(r"\d+", facility_key(n)) == digits),
                       reverse=True)
        if close and close[0][0] >= CLOSE_NAME:
            return _Unit(error=_p(None, self.col(self.level_col), "pkm_mirip", nama, nama=nama, saran=close[0][1],
                                  kecamatan=mk.nama))
        kode = rekap_faskes_code(mk.kode, nama)
        return _Unit("puskesmas", kode, new_pkm=(kode, nama.strip(), mk.kode))

    def _desa(self, nama: str, kec_nama: str | None) -> _Unit:
        u = self.u
        cands, where = u.desa, None
        if kec_nama:
            mk = self._kec(kec_nama)
            if mk.kode is None:
                return _Unit(error=_p(None, self.col("kecamatan"), "kecamatan_tidak_ditemukan", kec_nama, nama=kec_nama,
                                      wilayah=u.scope_label))
            cands, where = u.desa_by_kec.get(mk.kode, []), f"kecamatan {mk.nama}"
        m = match_name(nama, cands, fuzzy=False)
        if m.kode:
            return _Unit("desa", m.kode)
        if m.how == "ambiguous":
            return _Unit(error=_p(None, self.col(self.level_col), "desa_ambigu", nama, nama=nama))
        return _Unit(error=self._not_found(nama, "desa", m.hint, where))
