-- name: batas_kecamatan
-- title: Batas kecamatan (disederhanakan) | Kecamatan boundaries (simplified)
-- grain: one row per kecamatan with a polygon
-- params: $kab (VARCHAR)
-- source: batas_wilayah (simplified GeoJSON), wilayah
select b.kode, w.nama, b.geojson, b.lat, b.lon, b.luas_km2
from batas_wilayah b
join wilayah w using (kode)
where b.level = 'kecamatan' and w.kode_kab = $kab
order by b.kode
