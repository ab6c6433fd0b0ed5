-- name: desa_tanpa_pustu
-- title: Desa/kelurahan tanpa Pustu | Desa without a Pustu
-- grain: one row per desa/kelurahan without an active Pustu
-- params: $kab (VARCHAR)
-- source: wilayah, faskes (jenis = 'pustu', aktif)
select d.kode, d.nama, d.jenis, k.nama as kecamatan,
       (select count(*) from faskes p where p.kode_desa = d.kode and p.jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes') and p.aktif) as n_poskesdes,
       (select count(*) from faskes p where p.kode_desa = d.kode and p.jenis = 'posyandu' and p.aktif) as n_posyandu
from wilayah d
join wilayah k on k.kode = d.kode_kec
where d.level = 'desa' and d.kode_kab = $kab
  and not exists (select 1 from faskes p where p.kode_desa = d.kode and p.jenis = 'pustu' and p.aktif)
order by d.kode
