-- name: mutu_sebaran_haz
-- title: Sebaran z-skor TB/U per 0,5 SD | Distribution of HAZ in 0.5 SD bins
-- grain: one row per tingkat (kabkota, kecamatan, puskesmas) x kode x periode x bin (lower edge, -5 .. 4.5)
-- params: $kab (VARCHAR)
-- source: stg_mutu_haz (fakta_mutu_haz, written at import from the rule queries/staging/stg_mutu_haz_hitung.sql:
-- one measurement per child per round, unflagged HAZ only, WHO flags excluded)
select * exclude (kode_kab)
from stg_mutu_haz
where kode_kab = $kab
order by tingkat, kode, periode, bin
