-- name: tabel_dasar
-- title: Tabel dasar di database | Base tables in the database
-- grain: one row per base table of schema main
-- params: (none)
-- source: information_schema.tables
select table_name
from information_schema.tables
where table_schema = 'main' and table_type = 'BASE TABLE'
order by table_name
