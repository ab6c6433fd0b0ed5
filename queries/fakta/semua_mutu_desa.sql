-- name: semua_mutu_desa
-- title: Isi fakta_mutu_desa semua kab/kota | Fill every district's children-measured-by-desa facts
-- grain: statement: one row per kab/kota x desa x periode, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_mutu_desa_hitung (the rule); the per-kab/kota fill of an import is isi_mutu_desa.sql
insert into fakta_mutu_desa by name
select * from stg_mutu_desa_hitung
