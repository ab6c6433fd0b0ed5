-- name: stg_mutu_umur
-- title: Sebaran umur anak yang diukur per bulan (staging) | Age distribution of measured children by month (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x umur_bulan (0-59)
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_mutu_umur, written at import from stg_mutu_umur_hitung (the rule is defined there). When the table is older
-- than the data (rows written outside an import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_mutu_umur as
select * from fakta_mutu_umur;
