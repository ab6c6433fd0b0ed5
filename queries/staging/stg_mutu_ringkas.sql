-- name: stg_mutu_ringkas
-- title: Mutu data pengukuran per unit dan ronde (staging) | Measurement data quality by unit and round (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas, posyandu) x kode x periode (weighing rounds only)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_mutu, written at import from stg_mutu_ringkas_hitung (the rule is defined there). When the table is older
-- than the data (rows written outside an import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_mutu_ringkas as
select * from fakta_mutu;
