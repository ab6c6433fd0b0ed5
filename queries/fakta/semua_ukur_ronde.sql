-- name: semua_ukur_ronde
-- title: Isi fakta_ukur_ronde semua kab/kota | Fill every district's per-child-per-round facts
-- grain: statement: one row per kab/kota x child x periode x jenis, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_ukur_ronde_hitung (the rule); the per-kab/kota fill of an import is isi_ukur_ronde.sql
insert into fakta_ukur_ronde by name
select * from stg_ukur_ronde_hitung
