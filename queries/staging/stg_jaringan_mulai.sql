-- name: stg_jaringan_mulai
-- title: Puskesmas per tanggal mulai ILP per kecamatan (staging) | Puskesmas by ILP start date by kecamatan (staging)
-- grain: one row per kecamatan x ILP start date (mulai)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_jaringan_mulai, written at import from stg_jaringan_mulai_hitung (the rule is defined there). When the
-- table is older than the data, ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_jaringan_mulai as
select * from fakta_jaringan_mulai;
