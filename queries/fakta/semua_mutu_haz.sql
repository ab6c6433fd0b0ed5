-- name: semua_mutu_haz
-- title: Isi fakta_mutu_haz semua kab/kota | Fill every district's HAZ-distribution facts
-- grain: statement: one row per kab/kota x tingkat x kode x periode x bin, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_mutu_haz_hitung (the rule); the per-kab/kota fill of an import is isi_mutu_haz.sql
insert into fakta_mutu_haz by name
select * from stg_mutu_haz_hitung
