-- name: jaringan_desa
-- title: Jaringan ILP per desa/kelurahan | ILP network by desa
-- grain: one row per desa/kelurahan of the kecamatan
-- params: $kec (VARCHAR, e.g. '35.23.01')
-- source: stg_jaringan_desa (the rule, over wilayah, faskes, the latest staffing snapshot and ilp_posyandu; the same
-- figures as ilp/jaringan_desa_kab.sql, one kecamatan)
select kode, nama, jenis, n_pustu, n_poskesdes, n_posyandu, perawat, bidan, kader, posyandu_ilp
from stg_jaringan_desa
where kode_kec = $kec
order by kode
