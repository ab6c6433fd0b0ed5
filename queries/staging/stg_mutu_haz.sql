-- name: stg_mutu_haz
-- title: Sebaran z-skor TB/U per 0,5 SD (staging) | Distribution of HAZ in 0.5 SD bins (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x bin (lower edge, -5 .. 4.5)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_mutu_haz, written at import from stg_mutu_haz_hitung (the rule is defined there). When the table is older
-- than the data (rows written outside an import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_mutu_haz as
select * from fakta_mutu_haz;
