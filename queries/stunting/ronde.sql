-- name: ronde
-- title: Kelengkapan ronde penimbangan | Weighing-round completeness
-- grain: one row per periode x jenis of child-level data in the kab/kota (jenis 'ronde' = February/August weighing round, 'kampanye' = a campaign month such as the June 2024 Intervensi Serentak)
-- params: $kab (VARCHAR)
-- source: stg_ronde (the rule, shared with provinsi/semua_ronde: stg_stunting_desa, stg_stunting_puskesmas, wilayah, faskes, stg_balita_sasaran_desa). Status 'lengkap'/'sementara' is ilp.rounds.classify.
select * exclude (kode_kab)
from stg_ronde
where kode_kab = $kab
order by periode, jenis
