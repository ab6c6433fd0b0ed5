-- name: faskes_kode
-- title: Kode faskes yang sudah ada | Facility codes already stored
-- grain: one row per facility
-- params: (none)
-- source: faskes
select kode_faskes
from faskes
order by 1
