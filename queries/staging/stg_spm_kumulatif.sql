-- name: stg_spm_kumulatif
-- title: Pembilang SPM kumulatif per Puskesmas (staging) | SPM year-to-date numerator by Puskesmas (staging)
-- grain: one row per Puskesmas x layanan x tahun x bulan (1..12)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_spm_kumulatif, written at import from stg_spm_kumulatif_hitung (the rule is defined there). When the
-- table is older than the data, ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_spm_kumulatif as
select * from fakta_spm_kumulatif;
