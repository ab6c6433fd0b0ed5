-- name: stg_mutu_umur_hitung
-- title: Sebaran umur anak yang diukur per bulan, dihitung langsung (staging) | Age distribution of measured children by month, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x umur_bulan (0-59)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua, one measurement per child per round; umur_bulan = completed calendar months. The rule
-- behind fakta_mutu_umur (ilp/fakta.py; queries/quality/mutu_umur.sql reads it through stg_mutu_umur).
-- One grouped pass (GROUPING SETS, one per tingkat; tingkat from grouping()); a row without a Puskesmas code counts
-- at the kab/kota and kecamatan levels only. kode_kab leads every grouping set (a filter on one district reaches the scan).
create or replace view stg_mutu_umur_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null and ulang_ke = 1 and umur_bulan between 0 and 59
),
b as (
    select kode_kab, kode_kec, kode_puskesmas, periode, umur_bulan from u
)
select kode_kab,
       case when grouping(kode_kec) = 0 then 'kecamatan' when grouping(kode_puskesmas) = 0 then 'puskesmas'
            else 'kabkota' end as tingkat,
       case when grouping(kode_kec) = 0 then kode_kec when grouping(kode_puskesmas) = 0 then kode_puskesmas
            else kode_kab end as kode,
       periode, umur_bulan, count(*) as n
from b
group by grouping sets ((kode_kab, periode, umur_bulan), (kode_kab, kode_kec, periode, umur_bulan),
                        (kode_kab, kode_puskesmas, periode, umur_bulan))
having grouping(kode_puskesmas) = 1 or kode_puskesmas is not null;
