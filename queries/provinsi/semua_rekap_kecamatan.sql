-- name: semua_rekap_kecamatan
-- title: Rekap stunting Puskesmas per kecamatan dan periode, seluruh provinsi | Puskesmas stunting recap by kecamatan and period, whole province
-- grain: one row per kecamatan x periode with a recap in its kab/kota; the rows of stunting/rekap_kecamatan for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: stg_rekap_kecamatan, the rule stunting/rekap_kecamatan reads. ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_rekap_kecamatan
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, periode, kode
