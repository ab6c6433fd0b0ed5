-- name: cap
-- title: Cap data untuk fakta | Data stamp of the facts
-- grain: one row: cap = the current stamp of the tables the facts are computed from; tersimpan = the stamp the facts were computed at (null = never)
-- params: none
-- source: pengukuran, wilayah, wilayah_kerja (row counts: every import refreshes the facts; a write outside an import that changes a count makes the facts stale, and readers then use the live rule); faskes, tenaga, ilp_puskesmas, ilp_posyandu, fakta_spm (small tables: row count and a checksum of the columns the facts read, so a hand edit of a value is caught too); skema (the schema stamp, last: a version whose rules or fact tables differ recomputes the facts once, when ilp.db.connect brings the file up to date); fakta_status.
-- One part per row joined by string_agg: the same parts as scalar subqueries inside concat_ws took ~30 ms to run on a large kabupaten (this runs before every dashboard question), as rows ~6 ms.
with bagian as (
    select 1 as i, count(*)::varchar as v from pengukuran
    union all select 2, count(*)::varchar from wilayah
    union all select 3, count(*)::varchar from wilayah_kerja
    union all select 4, concat(count(*), '/', coalesce(bit_xor(hash(kode_faskes, jenis, rawat_inap, kode_kec, kode_desa, aktif)), 0))
              from faskes
    union all select 5, concat(count(*), '/', coalesce(bit_xor(hash(kode_faskes, jenis_tenaga, jumlah, per_tanggal)), 0)) from tenaga
    union all select 6, concat(count(*), '/', coalesce(bit_xor(hash(kode_puskesmas, mulai)), 0)) from ilp_puskesmas
    union all select 7, concat(count(*), '/', coalesce(bit_xor(hash(kode_posyandu, semua_siklus_hidup)), 0)) from ilp_posyandu
    union all select 8, concat(count(*), '/', coalesce(bit_xor(hash(tahun, bulan, kode_puskesmas, kode_desa, layanan, jumlah)), 0))
              from fakta_spm
    union all select 9, max(stamp) from skema
)
select (select string_agg(v, ':' order by i) from bagian) as cap,
       (select cap from fakta_status where kode_kab = '*') as tersimpan
