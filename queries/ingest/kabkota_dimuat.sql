-- name: kabkota_dimuat
-- title: Kab/kota yang sudah ada di tabel wilayah | Kab/kota already in the wilayah table
-- grain: one row per kab/kota code
-- params: (none)
-- source: wilayah
select distinct kode_kab
from wilayah
where kode_kab is not null
order by 1
