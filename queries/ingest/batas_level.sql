-- name: batas_level
-- title: Poligon batas wilayah satu level | Stored boundary polygons of one level
-- grain: one row per area with a polygon
-- params: $level (VARCHAR: kecamatan or desa), $kab (VARCHAR or NULL = every kab/kota, e.g. '35.23')
-- source: batas_wilayah (full geometry as WKB)
select kode, geom_wkb
from batas_wilayah
where level = $level and ($kab::varchar is null or kode like $kab::varchar || '.%')
order by kode
