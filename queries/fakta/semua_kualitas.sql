-- name: semua_kualitas
-- title: Isi fakta_kualitas semua kab/kota | Fill every district's monthly measurement-quality facts
-- grain: statement: one row per kab/kota x calendar month, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_kualitas_hitung (the rule); the per-kab/kota fill of an import is isi_kualitas.sql
insert into fakta_kualitas by name
select * from stg_kualitas_hitung
