-- name: rekap_kecamatan
-- title: Rekap stunting Puskesmas per kecamatan dan periode | Puskesmas stunting recap by kecamatan and period
-- grain: one row per kecamatan of the kab/kota x periode with a recap; a kecamatan that did not report has null counts and n_unit_lapor = 0
-- params: $kab (VARCHAR)
-- source: stg_rekap_kecamatan (the rule, shared with provinsi/semua_rekap_kecamatan: stg_rekap_unit, finest unit level per periode, so a periode reported at two levels is never counted twice)
select * exclude (kode_kab)
from stg_rekap_kecamatan
where kode_kab = $kab
order by periode, kode
