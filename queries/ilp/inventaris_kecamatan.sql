-- name: inventaris_kecamatan
-- title: Inventaris fasilitas per kecamatan | Facility inventory by kecamatan
-- grain: one row per kecamatan x jenis fasilitas
-- params: $kab (VARCHAR)
-- source: faskes
select k.kode, k.nama as kecamatan, f.jenis,
       count(*) as jumlah,
       count(*) filter (where f.rawat_inap) as rawat_inap
from faskes f
join wilayah k on k.kode = f.kode_kec
where k.kode_kab = $kab and f.aktif
group by all
order by k.kode, f.jenis
