-- name: stg_tenaga_terakhir
-- title: Ketenagaan terakhir per fasilitas (staging) | Latest staffing per facility (staging)
-- grain: one row per faskes x jenis_tenaga: the latest snapshot (per_tanggal)
-- params: none (a view, created by ilp.db.init_schema)
-- source: tenaga
create or replace view stg_tenaga_terakhir as
select kode_faskes, jenis_tenaga, jumlah, per_tanggal, sumber
from tenaga
qualify row_number() over (partition by kode_faskes, jenis_tenaga order by per_tanggal desc) = 1;
