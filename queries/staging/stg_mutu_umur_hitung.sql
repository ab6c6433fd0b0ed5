-- name: stg_mutu_umur_hitung
-- title: Sebaran umur anak yang diukur per bulan, dihitung langsung (staging) | Age distribution of measured children by month, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x umur_bulan (0-59)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua, one measurement per child per round; umur_bulan = completed calendar months. The rule
-- behind fakta_mutu_umur (ilp/fakta.py; queries/quality/mutu_umur.sql reads it through stg_mutu_umur).
create or replace view stg_mutu_umur_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null and ulang_ke = 1 and umur_bulan between 0 and 59
),
t as (
    select kode_kab, 'kabkota' as tingkat, kode_kab as kode, periode, umur_bulan from u
    union all select kode_kab, 'kecamatan', kode_kec, periode, umur_bulan from u
    union all select kode_kab, 'puskesmas', kode_puskesmas, periode, umur_bulan from u where kode_puskesmas is not null
)
select kode_kab, tingkat, kode, periode, umur_bulan, count(*) as n
from t
group by all;
