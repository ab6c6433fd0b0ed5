"""Demo district constants: codes, dates, rounds, invented-name pools, SPM rates (reference rows are seeds: ilp.reference)."""
from __future__ import annotations

import math
from datetime import date


KODE_PROV = "99"
NAMA_PROV = "Provinsi Contoh"
KODE_KAB = "99.01"
NAMA_KAB = "Kabupaten Contoh"
VERSI = "DEMO"
SUMBER = "DEMO"
DATA_PER = date(2026, 10, 31)          # last day of data in the demo ("data per")
PER_TANGGAL = date(2026, 6, 30)        # staffing / Posyandu status snapshot
TAHUN = (2024, 2025, 2026)
RONDE = ((2024, 2), (2024, 8), (2025, 2), (2025, 8), (2026, 2), (2026, 8))  # weighing rounds
SALT = "pantau-ilp-demo-salt-v1"       # fixed demo salt for the pseudonymous child id
LON0, LAT0 = 110.50, -7.20             # centre of the (invented) district outline
SUMBER_SURVEI_DEMO = "DATA CONTOH (fiktif) — pola mengikuti SSGI/SKI"
SUMBER_FIKTIF = "DATA CONTOH (fiktif)"

_KM_LON = 111.32 * math.cos(math.radians(LAT0))  # km per degree of longitude here
_KM_LAT = 110.57                                  # km per degree of latitude

# Share of the district's births that appear as children in the measurement data. 1.0 = every
# registered child (~110,000 children, ~390,000 measurements): measurement coverage against the
# balita sasaran then looks like a real district's (~70-75%). A smaller value (e.g. 0.27 for
# ~30,000 children) gives a smaller database, with coverage figures lowered accordingly.
SKALA_ANAK = 1.0

# ------------------------------------------------------------------------------------ reference
# The SPM services, national targets and national survey series are seed files (ilp.reference).
TARGET_KAB_DEMO: tuple[tuple[int, float], ...] = ((2025, 18.0), (2026, 16.5), (2027, 15.0))

# Kecamatan names of the five real districts in shared/data (never used for invented names).
_NAMA_TERLARANG = frozenset(n.replace(" ", "").lower() for n in (
    "Bancar", "Bangilan", "Banjarharjo", "Bantarkawung", "Batu Ampar", "Brebes", "Bukit Bestari",
    "Bulakamba", "Bumiayu", "Grabagan", "Gu", "Jatibarang", "Jatirogo", "Jenu", "Kenduruan", "Kerek",
    "Kersana", "Ketanggungan", "Kuala Mandor B", "Kubu", "Lakudo", "Larangan", "Losari", "Mawasangka",
    "Mawasangka Tengah", "Mawasangka Timur", "Merakurak", "Montong", "Paguyangan", "Palang", "Parengan",
    "Plumpang", "Rasau Jaya", "Rengel", "Salem", "Sangia Wambulu", "Semanding", "Senori", "Singgahan",
    "Sirampog", "Soko", "Songgom", "Sungai Ambawang", "Sungai Kakap", "Sungai Raya", "Talaga Raya",
    "Tambakboyo", "Tanjung", "Tanjung Pinang Barat", "Tanjung Pinang Kota", "Tanjung Pinang Timur",
    "Teluk Pakedai", "Terentang", "Tonjong", "Tuban", "Wanasari", "Widang",
))

_KEC_KOTA = ("Contoh", "Sukamaju")  # the two "kota kecamatan" (town), with the kelurahan
_KEC_LAIN = (
    "Tanjung Sari", "Karangrejo", "Sumberagung", "Wonokerto", "Sidomulyo", "Pasir Jaya", "Banyuwangun",
    "Kedungsari", "Margorejo", "Tegalwangi", "Gunungsari", "Mekarjaya", "Jatimulyo", "Bumijaya",
    "Giriwangi", "Sendangsari", "Ngudirejo", "Watuagung", "Lemahbang", "Purwoasri", "Tirtomulyo",
    "Pandanarum", "Kaliwening",
)
_KELURAHAN = (
    "Kauman", "Kepatihan", "Kebonsari", "Sidokumpul", "Kutoharjo", "Gedongan", "Kranggan", "Panjunan",
    "Kebondalem", "Pringgodani", "Sindurejo", "Mlaten", "Kampungbaru", "Pasarbaru", "Tamansari",
    "Karangkota",
)
_AWALAN = (
    "Suka", "Karang", "Sumber", "Tanjung", "Sido", "Margo", "Wono", "Kedung", "Tegal", "Banyu", "Gunung",
    "Jati", "Rowo", "Ngadi", "Purwo", "Sri", "Mulyo", "Bumi", "Giri", "Sendang", "Watu", "Kali", "Pandan",
    "Tirto", "Mekar", "Harjo", "Wringin", "Dadap", "Kemiri", "Pucang", "Randu", "Tambak", "Pakis",
    "Gedong", "Bendo", "Sambi", "Kebon", "Ngemplak", "Cepoko", "Jambu",
)
_AKHIRAN = (
    "maju", "rejo", "sari", "mulyo", "harjo", "agung", "makmur", "wangi", "asri", "jaya", "kerto", "arum",
    "luhur", "tengah", "anyar", "mukti", "rahayu", "utomo", "sono", "bening", "waru", "kembang", "manis",
    "tani", "kidul", "lor", "wetan", "kulon", "redjo", "santren",
)
_PISAH = frozenset(("Tanjung", "Gunung", "Kali", "Tambak", "Sumber", "Kebon"))  # sometimes two words
_DUSUN = ("Krajan", "Kidul", "Lor", "Wetan", "Kulon", "Tengah", "Sumber", "Karang", "Ngasem", "Bendungan",
          "Gempol", "Jetis", "Klampok", "Ngrandu", "Pucung", "Sawahan", "Tegalan", "Blimbing")
_POSYANDU = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Cempaka", "Flamboyan", "Teratai",
             "Seruni", "Bougenville", "Kamboja", "Nusa Indah", "Sakura", "Tulip", "Aster", "Lestari")
_ROMAWI = ("I", "II", "III", "IV")

# SPM denominators: share of the population (PUSDATIN-style estimates), and capaian (mean, sd) per service.
_SASARAN_RATE = {
    "spm01": 0.0180, "spm02": 0.0172, "spm03": 0.0164, "spm04": 0.0850, "spm05": 0.0340,
    "spm06": 0.6600, "spm07": 0.1100, "spm08": 0.30 * 0.765, "spm09": 0.020 * 0.765,
    "spm10": 0.0018, "spm11": 0.0085, "spm12": 0.0260,
}
_CAPAIAN = {
    "spm01": (88, 7), "spm02": (91, 6), "spm03": (92, 6), "spm04": (80, 9), "spm05": (84, 10),
    "spm06": (40, 11), "spm07": (70, 12), "spm08": (78, 16), "spm09": (84, 15), "spm10": (50, 14),
    "spm11": (66, 13), "spm12": (42, 13),
}
_BOLEH_LEBIH_100 = ("spm08", "spm09")  # prevalence-based denominators overshoot; never clipped
