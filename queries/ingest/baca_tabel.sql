-- name: baca_tabel
-- title: Baca setiap kolom satu tabel (pemeriksaan checksum blok) | Read every column of one table (block checksum pass)
-- grain: one row (row count and a hash of every column, so that every block is read and its checksum verified)
-- params: $tabel (VARCHAR: a base table name from ingest/tabel_dasar)
-- source: any base table (the count is named so that no table's own column, e.g. fakta_mutu.n, collides with it)
select count(*) as _baris_dibaca, bit_xor(hash(columns(*)))
from query_table($tabel::varchar)
