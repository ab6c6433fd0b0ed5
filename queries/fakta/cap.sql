-- name: cap
-- title: Cap data untuk fakta | Data stamp of the facts
-- grain: one row: cap = the current stamp of the tables the facts are computed from; tersimpan = the stamp the facts were computed at (null = never)
-- params: none
-- source: pengukuran, wilayah, wilayah_kerja (row counts: every import refreshes the facts; a write outside an import that changes a count makes the facts stale, and readers then use the live rule); faskes, tenaga, ilp_puskesmas, ilp_posyandu, fakta_spm (small tables: row count and a checksum of the columns the facts read, so a hand edit of a value is caught too); skema (the schema stamp, last: a version whose rules or fact tables differ recomputes the facts once, when ilp.db.connect brings the file up to date); fakta_status
select concat_ws(':', (select count(*) from pengukuran), (select count(*) from wilayah),
                 (select count(*) from wilayah_kerja),
                 (select concat(count(*), '/', coalesce(bit_xor(hash(kode_faskes, jenis, rawat_inap, kode_kec, kode_desa, aktif)), 0))
                  from faskes),
                 (select concat(count(*), '/', coalesce(bit_xor(hash(kode_faskes, jenis_tenaga, jumlah, per_tanggal)), 0))
                  from tenaga),
                 (select concat(count(*), '/', coalesce(bit_xor(hash(kode_puskesmas, mulai)), 0)) from ilp_puskesmas),
                 (select concat(count(*), '/', coalesce(bit_xor(hash(kode_posyandu, semua_siklus_hidup)), 0)) from ilp_posyandu),
                 (select concat(count(*), '/', coalesce(bit_xor(hash(tahun, bulan, kode_puskesmas, kode_desa, layanan, jumlah)), 0))
                  from fakta_spm),
                 (select max(stamp) from skema)) as cap,
       (select cap from fakta_status where kode_kab = '*') as tersimpan
