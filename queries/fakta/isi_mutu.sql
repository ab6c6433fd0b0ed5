-- name: isi_mutu
-- title: Isi fakta_mutu satu kab/kota | Fill one district's data-quality facts by unit and round
-- grain: statement: one row per kab/kota x tingkat x kode x periode
-- params: $kab (VARCHAR)
-- source: stg_mutu_ringkas_hitung (the rule); the filter on kode_kab reaches the scan before the numbering of stg_ukur_semua
insert into fakta_mutu by name
select * from stg_mutu_ringkas_hitung where kode_kab = $kab
