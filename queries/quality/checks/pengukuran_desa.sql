-- name: pengukuran_desa
-- title: Pengukuran dengan desa atau fasilitas tidak dikenal | Measurements with an unknown desa or facility
-- grain: one row per unknown code (kode_desa, kode_posyandu or kode_puskesmas) with the number of measurements carrying it
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: pengukuran (kode_desa -> wilayah desa; kode_posyandu -> faskes Posyandu; kode_puskesmas -> faskes Puskesmas). Such measurements are left out of every prevalence.
with p as (
    select 'kode_desa' as kolom, p.kode_desa as kode, p.kode_desa
    from pengukuran p left join wilayah d on d.kode = p.kode_desa and d.level = 'desa'
    where d.kode is null
    union all
    select 'kode_posyandu', p.kode_posyandu, p.kode_desa
    from pengukuran p left join faskes f on f.kode_faskes = p.kode_posyandu and f.jenis = 'posyandu'
    where p.kode_posyandu is not null and f.kode_faskes is null
    union all
    select 'kode_puskesmas', p.kode_puskesmas, p.kode_desa
    from pengukuran p left join faskes f on f.kode_faskes = p.kode_puskesmas and f.jenis = 'puskesmas'
    where p.kode_puskesmas is not null and f.kode_faskes is null
)
select kolom, kode, count(*) as pengukuran
from p
where $kab is null or left(kode_desa, 5) = $kab
group by all
order by kolom, kode
