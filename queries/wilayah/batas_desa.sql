-- name: batas_desa
-- title: Batas desa/kelurahan dalam satu kecamatan | Desa boundaries in one kecamatan
-- grain: one row per desa with a polygon
-- params: $kec (VARCHAR, e.g. '35.23.01')
-- source: batas_wilayah (simplified GeoJSON), wilayah
select b.kode, w.nama, w.jenis, b.geojson, b.lat, b.lon
from batas_wilayah b
join wilayah w using (kode)
where b.level = 'desa' and w.kode_kec = $kec
order by b.kode
