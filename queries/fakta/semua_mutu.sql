-- name: semua_mutu
-- title: Isi fakta_mutu semua kab/kota | Fill every district's data-quality facts by unit and round
-- grain: statement: one row per kab/kota x tingkat x kode x periode, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_mutu_ringkas_hitung (the rule); the per-kab/kota fill of an import is isi_mutu.sql
insert into fakta_mutu by name
select * from stg_mutu_ringkas_hitung
