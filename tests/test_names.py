"""ilp.names: one vocabulary for names, codes and coded values (answers written by hand)."""
import math

import pytest

from ilp import names as n


@pytest.mark.parametrize("raw,want", [
    ("Kec. Tanjung-Pinang  Barat", "tanjung pinang barat"),
    ("KECAMATAN Tj. Pinang Barat", "tanjung pinang barat"),
    ("Desa Sei Rampah", "sungai rampah"),
    ("Ds. Kp. Baru", "kampung baru"),
    ("Kelurahan Sg Raya", "sungai raya"),
    ("Kab. Bojonegoro", "bojonegoro"),
    ("Kota Malang", "malang"),
    ("UPTD Puskesmas Alpha", "alpha"),
    ("PKM ALPHA", "alpha"),
    ("Pusk. Alpha", "alpha"),
    ("UPT Puskesmas Tg. Morawa", "tanjung morawa"),
    ("Désa Cilé", "cile"),
    ("Kota", "kota"),            # nothing would remain: the word is the name
    ("Desa", "desa"),
    ("Kotabaru", "kotabaru"),    # a prefix only as a separate word
    (None, ""),
    (float("nan"), ""),
])
def test_normalise_name(raw, want):
    assert n.normalise_name(raw) == want


def test_name_key_and_facility_key():
    assert n.name_key("TANJUNGPINANG BARAT") == n.name_key("Tj. Pinang Barat") == "tanjungpinangbarat"
    assert n.facility_key("Posyandu Melati 1") == "melati1"
    assert n.facility_key("UPTD Puskesmas Alpha") == "alpha"
    assert n.facility_key("Posyandu") == "posyandu"


@pytest.mark.parametrize("raw,want", [
    ("Kode Faskes", "kodefaskes"), ("kode_faskes", "kodefaskes"), (" KODE-FASKES ", "kodefaskes"),
    ("Tgl. Lahir", "tgllahir"), ("Kécamatan", "kecamatan"), (None, ""),
])
def test_header_key(raw, want):
    assert n.header_key(raw) == want


@pytest.mark.parametrize("raw,want", [
    ("35", "35"), ("3523", "35.23"), ("352301", "35.23.01"), ("3523012001", "35.23.01.2001"),
    ("35.23.01.2001", "35.23.01.2001"), (" 35.23 ", "35.23"), (3523.0, "35.23"), (352301, "35.23.01"),
    ("3523010", None), ("35.2", None), ("abc", None), ("", None), (None, None), (float("nan"), None),
    ("352301.0", "35.23.01"),
])
def test_dotted(raw, want):
    assert n.dotted(raw) == want


def test_dotted_with_level_and_code_level():
    assert n.dotted("352301", "kecamatan") == "35.23.01"
    assert n.dotted("352301", "desa") is None
    assert n.code_level("35") == "provinsi"
    assert n.code_level("3523") == "kabkota"
    assert n.code_level("35.23.01") == "kecamatan"
    assert n.code_level("3523012001") == "desa"
    assert n.code_level("3523010") is None      # BPS kecamatan shape is not a Kemendagri code
    assert n.code_level(None) is None
    assert n.parent_code("35.23.01.2001") == "35.23.01"
    assert n.parent_code("3523") == "35"
    assert n.parent_code("35") is None


def test_vocabularies():
    assert n.lookup(n.JK, "Laki-laki") == 1
    assert n.lookup(n.JK, "L") == 1
    assert n.lookup(n.JK, "P") == 2
    assert n.lookup(n.JK, 2.0) == 2
    assert n.lookup(n.JK, "x") is None
    assert n.lookup(n.CARA_UKUR, "Telentang") == "L"
    assert n.lookup(n.CARA_UKUR, "Berdiri") == "H"
    assert n.lookup(n.CARA_UKUR, "Panjang Badan") == "L"
    assert n.lookup(n.YA_TIDAK, "Ya") is True
    assert n.lookup(n.YA_TIDAK, "Tidak Ada") is False
    assert n.lookup(n.YA_TIDAK, "mungkin") is None
    assert n.lookup(n.BULAN, "Agt") == 8
    assert n.lookup(n.BULAN, "Nopember") == 11
    assert n.lookup(n.BULAN, "December") == 12
    assert n.lookup(n.BULAN, "Mei") == 5
    assert sorted(set(n.BULAN.values())) == list(range(1, 13))


def test_plausible_ranges():
    assert n.TINGGI_CM == (30.0, 140.0)
    assert n.BERAT_KG == (0.0, 60.0)
    assert not math.isnan(n.TINGGI_CM[0])
    # the physically possible range holds the plausible one
    assert n.TINGGI_MUNGKIN_CM[0] < n.TINGGI_CM[0] < n.TINGGI_CM[1] < n.TINGGI_MUNGKIN_CM[1]
    assert n.BERAT_MUNGKIN_KG[0] > n.BERAT_KG[0] and n.BERAT_MUNGKIN_KG[1] > n.BERAT_KG[1]
