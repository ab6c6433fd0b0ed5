-- name: batas_kecamatan
-- title: Batas kecamatan seluruh provinsi | Kecamatan boundaries of the whole province
-- grain: one row per kecamatan of the province with a polygon
-- params: $prov (VARCHAR)
-- source: batas_wilayah (simplified GeoJSON as stored at import), wilayah; kode_kab lets a map colour or dissolve by kab/kota
select b.kode, w.nama, w.kode_kab, kab.nama as kabkota, b.geojson, b.lat, b.lon
from batas_wilayah b
join wilayah w on w.kode = b.kode
join wilayah kab on kab.kode = w.kode_kab
where b.level = 'kecamatan' and kab.parent = $prov
order by b.kode
