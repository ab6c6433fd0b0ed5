-- name: semua_stunting_puskesmas
-- title: Isi fakta_stunting_puskesmas semua kab/kota | Fill every district's stunting facts by Puskesmas
-- grain: statement: one row per counting Puskesmas x periode x jenis, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_stunting_puskesmas_hitung (the rule); the per-kab/kota fill of an import is isi_stunting_puskesmas.sql
insert into fakta_stunting_puskesmas by name
select * from stg_stunting_puskesmas_hitung
