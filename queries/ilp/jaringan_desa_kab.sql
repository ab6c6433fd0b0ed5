-- name: jaringan_desa_kab
-- title: Jaringan ILP per desa/kelurahan se-kabupaten/kota | ILP network by desa, whole district
-- grain: one row per desa/kelurahan of the kab/kota (kode_kec beside it)
-- params: $kab (VARCHAR, e.g. '35.23')
-- source: stg_jaringan_desa (the rule, over wilayah, faskes, the latest staffing snapshot and ilp_posyandu). The same
-- figures as ilp/jaringan_desa.sql for every kecamatan at once (the district's desa layer in one question, not one per kecamatan).
select kode, nama, jenis, kode_kec, n_pustu, n_poskesdes, n_posyandu, perawat, bidan, kader, posyandu_ilp
from stg_jaringan_desa
where kode_kab = $kab
order by kode
