-- name: mutu_umur
-- title: Sebaran umur anak yang diukur, per bulan | Age distribution of measured children, by month
-- grain: one row per tingkat (kabkota, kecamatan, puskesmas) x kode x periode x umur_bulan (0-59)
-- params: $kab (VARCHAR)
-- source: stg_mutu_umur (fakta_mutu_umur, written at import from the rule queries/staging/stg_mutu_umur_hitung.sql:
-- one measurement per child per round; umur_bulan = completed calendar months)
select * exclude (kode_kab)
from stg_mutu_umur
where kode_kab = $kab
order by tingkat, kode, periode, umur_bulan
