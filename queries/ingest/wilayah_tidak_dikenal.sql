-- name: wilayah_tidak_dikenal
-- title: Kode wilayah yang tidak ada di tabel wilayah | Area codes missing from the wilayah table
-- grain: one row per unknown code
-- params: $kode (VARCHAR[], dotted Kemendagri codes), $level (VARCHAR or NULL = any level)
-- source: wilayah
select distinct k.kode
from unnest($kode::varchar[]) as k(kode)
where k.kode not in (select kode from wilayah where $level::varchar is null or level = $level::varchar)
order by 1
