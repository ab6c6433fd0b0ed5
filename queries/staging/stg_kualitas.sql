-- name: stg_kualitas
-- title: Kualitas data pengukuran per kab/kota dan bulan (staging) | Measurement data quality by district and month (staging)
-- grain: one row per kab/kota x calendar month ('YYYY-MM' of tgl_ukur) with measurements
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_kualitas, written at import from stg_kualitas_hitung (the rule is defined there). When the table is older
-- than the data (rows written outside an import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_kualitas as
select * from fakta_kualitas;
