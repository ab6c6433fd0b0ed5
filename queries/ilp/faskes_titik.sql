-- name: faskes_titik
-- title: Titik fasilitas kesehatan | Facility points
-- grain: one row per active facility with coordinates
-- params: $kab (VARCHAR)
-- source: faskes
select f.kode_faskes, f.nama, f.jenis, f.rawat_inap, f.kode_kec, f.kode_desa, f.lat, f.lon, f.aturan_lokasi, f.sumber
from faskes f
join wilayah k on k.kode = f.kode_kec
where k.kode_kab = $kab and f.aktif and f.lat is not null and f.lon is not null
order by f.jenis, f.kode_faskes
