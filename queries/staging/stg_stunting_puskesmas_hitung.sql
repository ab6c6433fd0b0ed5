-- name: stg_stunting_puskesmas_hitung
-- title: Stunting per Puskesmas dan ronde, dihitung langsung (staging) | Stunting by Puskesmas and round, computed live (staging)
-- grain: one row per kab/kota x counting Puskesmas x periode x jenis with at least one valid measurement
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_ronde (the fact table, or the live rule when stale); the rule behind fakta_stunting_puskesmas
create or replace view stg_stunting_puskesmas_hitung as
select kode_kab, kode_puskesmas_hitung as kode_puskesmas, periode, jenis,
       count(*) as diukur,
       count(*) filter (where pendek) as pendek,
       count(*) filter (where sangat_pendek) as sangat_pendek,
       count(*) filter (where stunting) as stunting,
       count(distinct kode_desa) as n_desa
from stg_ukur_ronde
group by all;
