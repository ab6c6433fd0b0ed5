-- name: semua_jaringan_kecamatan
-- title: Isi fakta_jaringan_kecamatan semua kab/kota | Fill every district's ILP network by kecamatan
-- grain: statement: one row per kecamatan, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_jaringan_kecamatan_hitung (the rule); the per-kab/kota fill of an import is isi_jaringan_kecamatan.sql
insert into fakta_jaringan_kecamatan by name
select * from stg_jaringan_kecamatan_hitung
