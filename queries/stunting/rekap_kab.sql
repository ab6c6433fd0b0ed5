-- name: rekap_kab
-- title: Rekap stunting Puskesmas kabupaten per periode | District Puskesmas stunting recap by period
-- grain: one row per periode with a recap in the kab/kota
-- params: $kab (VARCHAR)
-- source: stg_rekap_kab (the rule, shared with provinsi/semua_rekap_kab: stg_rekap_unit finest level, faskes, wilayah_kerja, import_log)
select * exclude (kode_kab)
from stg_rekap_kab
where kode_kab = $kab
order by periode
