-- name: stg_diflag
-- title: Pengukuran dengan HAZ diflag per kab/kota dan bulan (staging) | Flagged HAZ measurements by district and month (staging)
-- grain: one row per kab/kota x calendar month with at least one flagged HAZ
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_diflag, written at import from stg_diflag_hitung (ilp/fakta.py)
create or replace view stg_diflag as
select * from fakta_diflag;
