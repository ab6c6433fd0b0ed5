-- name: isi_mutu_umur
-- title: Isi fakta_mutu_umur satu kab/kota | Fill one district's age-distribution facts
-- grain: statement: one row per kab/kota x tingkat x kode x periode x umur_bulan
-- params: $kab (VARCHAR)
-- source: stg_mutu_umur_hitung (the rule); the filter on kode_kab reaches the scan before the numbering of stg_ukur_semua
insert into fakta_mutu_umur by name
select * from stg_mutu_umur_hitung where kode_kab = $kab
