-- name: jaringan_desa
-- title: Jaringan ILP per desa/kelurahan | ILP network by desa
-- grain: one row per desa/kelurahan of the kecamatan
-- params: $kec (VARCHAR, e.g. '35.23.01')
-- source: wilayah, faskes, stg_tenaga_terakhir (latest snapshot), ilp_posyandu
with staf as (select kode_faskes, jenis_tenaga, jumlah from stg_tenaga_terakhir),
fk as (select * from faskes where aktif and kode_kec = $kec)
select d.kode, d.nama, d.jenis,
       count(distinct f.kode_faskes) filter (where f.jenis = 'pustu') as n_pustu,
       count(distinct f.kode_faskes) filter (where f.jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes')) as n_poskesdes,
       count(distinct f.kode_faskes) filter (where f.jenis = 'posyandu') as n_posyandu,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'perawat' and f.jenis = 'pustu') as perawat,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'bidan' and f.jenis = 'pustu') as bidan,
       sum(s.jumlah) filter (where s.jenis_tenaga = 'kader' and f.jenis = 'posyandu') as kader,
       count(distinct f.kode_faskes) filter (where f.jenis = 'posyandu' and i.semua_siklus_hidup) as posyandu_ilp
from wilayah d
left join fk f on f.kode_desa = d.kode
left join staf s on s.kode_faskes = f.kode_faskes
left join ilp_posyandu i on i.kode_posyandu = f.kode_faskes
where d.level = 'desa' and d.kode_kec = $kec
group by all
order by d.kode
