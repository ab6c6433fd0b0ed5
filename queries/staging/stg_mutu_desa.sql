-- name: stg_mutu_desa
-- title: Anak diukur per desa dan ronde (staging) | Children measured by desa and round (staging)
-- grain: one row per kab/kota x desa x periode (weighing rounds) with at least one child measured
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_mutu_desa, written at import from stg_mutu_desa_hitung (the rule is defined there). When the table is older
-- than the data (rows written outside an import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_mutu_desa as
select * from fakta_mutu_desa;
