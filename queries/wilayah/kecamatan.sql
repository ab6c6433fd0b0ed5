-- name: kecamatan
-- title: Daftar kecamatan | Kecamatan list
-- grain: one row per kecamatan of the kab/kota
-- params: $kab (VARCHAR, e.g. '35.23')
-- source: wilayah
select kode, nama
from wilayah
where level = 'kecamatan' and kode_kab = $kab
order by kode
