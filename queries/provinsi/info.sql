-- name: info
-- title: Nama provinsi | Province name
-- grain: one row for the province in the code list (none when the list has no province row)
-- params: $prov (VARCHAR, e.g. '35')
-- source: wilayah (level 'provinsi')
select kode, nama
from wilayah
where level = 'provinsi' and kode = $prov
