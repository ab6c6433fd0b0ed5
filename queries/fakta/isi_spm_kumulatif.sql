-- name: isi_spm_kumulatif
-- title: Isi fakta_spm_kumulatif satu kab/kota | Fill one district's SPM year-to-date numerators
-- grain: statement: one row per Puskesmas x layanan x tahun x bulan
-- params: $kab (VARCHAR)
-- source: stg_spm_kumulatif_hitung (the rule)
insert into fakta_spm_kumulatif by name
select * from stg_spm_kumulatif_hitung where kode_kab = $kab
