-- name: jumlah_referensi
-- title: Isi tabel referensi untuk impor | Reference tables' row counts for imports
-- grain: one row
-- params: $level (VARCHAR or NULL: count wilayah rows of this level only)
-- source: wilayah, faskes, layanan_spm
select
    (select count(*) from wilayah where $level::varchar is null or level = $level::varchar) as wilayah,
    (select count(*) from faskes) as faskes,
    (select count(*) from layanan_spm) as layanan_spm
