-- name: isi_kualitas
-- title: Isi fakta_kualitas satu kab/kota | Fill one district's monthly measurement-quality facts
-- grain: statement: one row per kab/kota x calendar month
-- params: $kab (VARCHAR)
-- source: stg_kualitas_hitung (the rule) over pengukuran and wilayah
insert into fakta_kualitas by name
select * from stg_kualitas_hitung where kode_kab = $kab
