-- name: semua_spm_kumulatif
-- title: Isi fakta_spm_kumulatif semua kab/kota | Fill every district's SPM year-to-date numerators
-- grain: statement: one row per Puskesmas x layanan x tahun x bulan, for every kab/kota at once (the table was just emptied: queries/fakta/kosongkan.sql)
-- params: none
-- source: stg_spm_kumulatif_hitung (the rule); the per-kab/kota fill of an import is isi_spm_kumulatif.sql
insert into fakta_spm_kumulatif by name
select * from stg_spm_kumulatif_hitung
