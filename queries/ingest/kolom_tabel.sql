-- name: kolom_tabel
-- title: Kolom satu tabel | Columns of one table
-- grain: one row per column, in table order
-- params: $tabel (VARCHAR, e.g. 'faskes')
-- source: information_schema.columns
select column_name
from information_schema.columns
where table_schema = 'main' and table_name = $tabel
order by ordinal_position
