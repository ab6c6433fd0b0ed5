-- name: isi_jaringan_kecamatan
-- title: Isi fakta_jaringan_kecamatan satu kab/kota | Fill one district's ILP network by kecamatan
-- grain: statement: one row per kecamatan
-- params: $kab (VARCHAR)
-- source: stg_jaringan_kecamatan_hitung (the rule)
insert into fakta_jaringan_kecamatan by name
select * from stg_jaringan_kecamatan_hitung where kode_kab = $kab
