-- name: semua_jaringan_mulai
-- title: Isi fakta_jaringan_mulai semua kab/kota | Fill every district's Puskesmas by ILP start date by kecamatan
-- grain: statement: one row per kecamatan x ILP start date, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_jaringan_mulai_hitung (the rule); the per-kab/kota fill of an import is isi_jaringan_mulai.sql
insert into fakta_jaringan_mulai by name
select * from stg_jaringan_mulai_hitung
