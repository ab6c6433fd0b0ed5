-- name: stg_stunting_desa
-- title: Stunting per desa dan ronde (staging) | Stunting by desa and round (staging)
-- grain: one row per desa x periode x jenis with at least one valid measurement
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_stunting_desa, written at import from stg_stunting_desa_hitung (ilp/fakta.py)
create or replace view stg_stunting_desa as
select * from fakta_stunting_desa;
