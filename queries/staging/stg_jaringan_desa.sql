-- name: stg_jaringan_desa
-- title: Jaringan ILP per desa/kelurahan (staging) | ILP network by desa (staging)
-- grain: one row per desa/kelurahan of the code list (kode_kec, kode_kab beside it)
-- params: none (a view, created by ilp.db.init_schema)
-- source: wilayah, stg_jaringan_faskes (active facilities standing in the desa, in its own kecamatan). The one rule
-- behind queries/ilp/jaringan_desa.sql (one kecamatan) and jaringan_desa_kab.sql (the whole kab/kota).
create or replace view stg_jaringan_desa as
select d.kode, d.nama, d.jenis, d.kode_kec, d.kode_kab,
       count(f.kode_faskes) filter (where f.jenis = 'pustu') as n_pustu,
       count(f.kode_faskes) filter (where f.poskesdes) as n_poskesdes,
       count(f.kode_faskes) filter (where f.jenis = 'posyandu') as n_posyandu,
       sum(f.perawat) filter (where f.jenis = 'pustu') as perawat,
       sum(f.bidan) filter (where f.jenis = 'pustu') as bidan,
       sum(f.kader) filter (where f.jenis = 'posyandu') as kader,
       count(f.kode_faskes) filter (where f.jenis = 'posyandu' and f.semua_siklus_hidup) as posyandu_ilp
from wilayah d
left join stg_jaringan_faskes f on f.kode_desa = d.kode and f.kode_kec = d.kode_kec
where d.level = 'desa'
group by d.kode, d.nama, d.jenis, d.kode_kec, d.kode_kab;
