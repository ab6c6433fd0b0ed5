-- name: stg_stunting_desa_hitung
-- title: Stunting per desa dan ronde, dihitung langsung (staging) | Stunting by desa and round, computed live (staging)
-- grain: one row per desa x periode x jenis with at least one valid measurement
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_ronde (latest valid measurement per child per round: the fact table, or the live rule when
-- the table is stale); the rule behind fakta_stunting_desa
create or replace view stg_stunting_desa_hitung as
select kode_desa, kode_kec, kode_kab, periode, jenis,
       count(*) as diukur,
       count(*) filter (where pendek) as pendek,
       count(*) filter (where sangat_pendek) as sangat_pendek,
       count(*) filter (where stunting) as stunting
from stg_ukur_ronde
group by all;
