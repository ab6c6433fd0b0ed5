-- name: semua_stunting_desa
-- title: Isi fakta_stunting_desa semua kab/kota | Fill every district's stunting facts by desa
-- grain: statement: one row per desa x periode x jenis, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_stunting_desa_hitung (the rule); the per-kab/kota fill of an import is isi_stunting_desa.sql
insert into fakta_stunting_desa by name
select * from stg_stunting_desa_hitung
