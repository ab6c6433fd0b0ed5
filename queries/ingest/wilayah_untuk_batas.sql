-- name: wilayah_untuk_batas
-- title: Wilayah untuk mencocokkan batas dan faskes | Areas for matching boundaries and facilities
-- grain: one row per kab/kota, kecamatan and desa
-- params: (none)
-- source: wilayah
select kode, nama, level, parent, kode_kab, kode_kec
from wilayah
where level in ('kabkota', 'kecamatan', 'desa')
order by kode
