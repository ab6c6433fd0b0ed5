-- name: anak_tanpa_sidik
-- title: Pengukuran dari impor (bukan demo) | Measurements from imports (not the demo)
-- grain: one row (a count)
-- params: (none)
-- source: pengukuran
select count(*) as n
from pengukuran
where import_id is not null
