-- name: stg_mutu_desa_hitung
-- title: Anak diukur per desa dan ronde, dihitung langsung (staging) | Children measured by desa and round, computed live (staging)
-- grain: one row per kab/kota x desa x periode (weighing rounds) with at least one child measured
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua (children, one per round: the latest measurement, flagged or not). The rule behind
-- fakta_mutu_desa (ilp/fakta.py; queries/quality/mutu_cakupan_desa.sql reads it through stg_mutu_desa).
create or replace view stg_mutu_desa_hitung as
select kode_kab, kode_desa, periode, count(*) as diukur
from stg_ukur_semua
where jenis = 'ronde' and periode is not null and ulang_ke = 1
group by all;
