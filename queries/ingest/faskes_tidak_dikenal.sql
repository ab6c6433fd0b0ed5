-- name: faskes_tidak_dikenal
-- title: Kode faskes yang tidak ada di tabel faskes | Facility codes missing from the faskes table
-- grain: one row per unknown code
-- params: $kode (VARCHAR[]), $jenis (VARCHAR or NULL = any jenis, e.g. 'puskesmas')
-- source: faskes
select distinct k.kode
from unnest($kode::varchar[]) as k(kode)
where k.kode not in (select kode_faskes from faskes where $jenis::varchar is null or jenis = $jenis::varchar)
order by 1
