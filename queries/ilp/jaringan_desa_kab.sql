-- name: jaringan_desa_kab
-- title: Jaringan ILP per desa/kelurahan se-kabupaten/kota | ILP network by desa, whole district
-- grain: one row per desa/kelurahan of the kab/kota (kode_kec beside it)
-- params: $kab (VARCHAR, e.g. '35.23')
-- source: wilayah, faskes, stg_tenaga_terakhir (latest snapshot), ilp_posyandu. The same figures as
-- ilp/jaringan_desa.sql for every kecamatan at once (the district's desa layer in one question, not one per kecamatan).
with staf as (select kode_faskes, jenis_tenaga, jumlah from stg_tenaga_terakhir),
fk as (select * from faskes where aktif)
select d.kode, d.nama, d.jenis, d.kode_kec,
       count(distinct f.kode_faskes) filter (where f.jenis = 'pustu') as n_pustu,
       count(distinct f.kode_faskes) filter (where f.jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes')) as n_poskesdes,
       count(distinct f.kode_faskes) filter (where f.jenis = 'posyandu') as n_posyandu,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'perawat' and f.jenis = 'pustu') as perawat,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'bidan' and f.jenis = 'pustu') as bidan,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'kader' and f.jenis = 'posyandu') as kader,
       count(distinct f.kode_faskes) filter (where f.jenis = 'posyandu' and i.semua_siklus_hidup) as posyandu_ilp
from wilayah d
left join fk f on f.kode_desa = d.kode and f.kode_kec = d.kode_kec
left join staf s on s.kode_faskes = f.kode_faskes
left join ilp_posyandu i on i.kode_posyandu = f.kode_faskes
where d.level = 'desa' and d.kode_kab = $kab
group by all
order by d.kode
