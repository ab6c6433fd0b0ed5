-- name: wilayah_level
-- title: Kode dan nama wilayah satu level | Area codes and names of one level
-- grain: one row per area
-- params: $level (VARCHAR: provinsi, kabkota, kecamatan, desa)
-- source: wilayah
select kode, nama, parent, kode_kab, kode_kec
from wilayah
where level = $level
order by 1
