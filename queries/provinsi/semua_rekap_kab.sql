-- name: semua_rekap_kab
-- title: Rekap stunting Puskesmas tiap kabupaten/kota per periode | Puskesmas stunting recap of every district by period
-- grain: one row per kab/kota of the province x periode with a recap; the rows of stunting/rekap_kab for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: stg_rekap_kab, the rule stunting/rekap_kab reads. ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_rekap_kab
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, periode
