-- name: semua_mutu_umur
-- title: Isi fakta_mutu_umur semua kab/kota | Fill every district's age-distribution facts
-- grain: statement: one row per kab/kota x tingkat x kode x periode x umur_bulan, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_mutu_umur_hitung (the rule); the per-kab/kota fill of an import is isi_mutu_umur.sql
insert into fakta_mutu_umur by name
select * from stg_mutu_umur_hitung
