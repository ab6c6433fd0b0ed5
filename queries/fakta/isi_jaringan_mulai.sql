-- name: isi_jaringan_mulai
-- title: Isi fakta_jaringan_mulai satu kab/kota | Fill one district's Puskesmas by ILP start date by kecamatan
-- grain: statement: one row per kecamatan x ILP start date
-- params: $kab (VARCHAR)
-- source: stg_jaringan_mulai_hitung (the rule)
insert into fakta_jaringan_mulai by name
select * from stg_jaringan_mulai_hitung where kode_kab = $kab
