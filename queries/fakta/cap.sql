-- name: cap
-- title: Cap data untuk fakta | Data stamp of the facts
-- grain: one row: cap = the current stamp of the tables the facts are computed from; tersimpan = the stamp the facts were computed at (null = never)
-- params: none
-- source: pengukuran, wilayah, wilayah_kerja, faskes (row counts: every import refreshes the facts; a write outside an import that changes a count makes the facts stale, and readers then use the live rule); skema (the schema stamp: a version whose rules or fact tables differ recomputes the facts once, when ilp.db.connect brings the file up to date); fakta_status
select concat_ws(':', (select count(*) from pengukuran), (select count(*) from wilayah),
                 (select count(*) from wilayah_kerja), (select count(*) from faskes),
                 (select max(stamp) from skema)) as cap,
       (select cap from fakta_status where kode_kab = '*') as tersimpan
