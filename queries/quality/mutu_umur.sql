-- name: mutu_umur
-- title: Sebaran umur anak yang diukur, per bulan | Age distribution of measured children, by month
-- grain: one row per tingkat (kabkota, kecamatan, puskesmas) x kode x periode x umur_bulan (0-59)
-- params: $kab (VARCHAR)
-- source: stg_ukur_semua, one measurement per child per round; umur_bulan = completed calendar months
with u as (
    select * from stg_ukur_semua
    where kode_kab = $kab and jenis = 'ronde' and periode is not null and ulang_ke = 1
          and umur_bulan between 0 and 59
),
t as (
    select 'kabkota' as tingkat, kode_kab as kode, periode, umur_bulan from u
    union all select 'kecamatan', kode_kec, periode, umur_bulan from u
    union all select 'puskesmas', kode_puskesmas, periode, umur_bulan from u where kode_puskesmas is not null
)
select tingkat, kode, periode, umur_bulan, count(*) as n
from t
group by all
order by tingkat, kode, periode, umur_bulan
