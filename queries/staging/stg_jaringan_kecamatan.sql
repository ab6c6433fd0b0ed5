-- name: stg_jaringan_kecamatan
-- title: Jaringan ILP per kecamatan (staging) | ILP network by kecamatan (staging)
-- grain: one row per kecamatan of the code list (with its kab/kota)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_jaringan_kecamatan, written at import from stg_jaringan_kecamatan_hitung (the rule is defined there).
-- When the table is older than the data, ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_jaringan_kecamatan as
select * from fakta_jaringan_kecamatan;
