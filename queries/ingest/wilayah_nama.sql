-- name: wilayah_nama
-- title: Nama wilayah per kode | Area name by code
-- grain: one row per known code
-- params: $kode (VARCHAR[], dotted Kemendagri codes)
-- source: wilayah
select kode, nama
from wilayah
where list_contains($kode::varchar[], kode)
order by 1
