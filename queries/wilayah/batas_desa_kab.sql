-- name: batas_desa_kab
-- title: Batas desa/kelurahan se-kabupaten/kota | Desa boundaries of a whole district
-- grain: one row per desa with a polygon (kode_kec beside it)
-- params: $kab (VARCHAR, e.g. '35.23')
-- source: batas_wilayah (simplified GeoJSON), wilayah. The rows of wilayah/batas_desa.sql for every kecamatan of
-- the kab/kota in one question.
select b.kode, w.nama, w.jenis, b.geojson, b.lat, b.lon, w.kode_kec
from batas_wilayah b
join wilayah w using (kode)
where b.level = 'desa' and w.kode_kab = $kab
order by b.kode
