-- name: semua_diflag
-- title: Isi fakta_diflag semua kab/kota | Fill every district's flagged-measurement facts
-- grain: statement: one row per calendar month with a flagged HAZ, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_diflag_hitung (the rule); the per-kab/kota fill of an import is isi_diflag.sql
insert into fakta_diflag by name
select * from stg_diflag_hitung
