-- name: isi_mutu_haz
-- title: Isi fakta_mutu_haz satu kab/kota | Fill one district's HAZ-distribution facts
-- grain: statement: one row per kab/kota x tingkat x kode x periode x bin
-- params: $kab (VARCHAR)
-- source: stg_mutu_haz_hitung (the rule); the filter on kode_kab reaches the scan before the numbering of stg_ukur_semua
insert into fakta_mutu_haz by name
select * from stg_mutu_haz_hitung where kode_kab = $kab
