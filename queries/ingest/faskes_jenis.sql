-- name: faskes_jenis
-- title: Jenis faskes per kode | Facility type by code
-- grain: one row per known code
-- params: $kode (VARCHAR[])
-- source: faskes
select kode_faskes, jenis
from faskes
where list_contains($kode::varchar[], kode_faskes)
order by 1
