-- name: jumlah_baris
-- title: Jumlah baris per tabel | Row count per table
-- grain: one row per base table
-- params: (none)
-- source: duckdb catalog (estimated_size is exact after checkpoint for DuckDB tables)
select table_name as tabel, estimated_size as baris
from duckdb_tables()
where schema_name = 'main'
order by table_name
