-- name: semua_prevalensi_kecamatan
-- title: Prevalensi stunting (data rutin) per kecamatan dan ronde, seluruh provinsi | Routine stunting prevalence by kecamatan and round, whole province
-- grain: one row per kecamatan x periode, per kab/kota of the province; the rows of stunting/prevalensi_kecamatan for every kab/kota at once (kode_kab beside them; a kab/kota's rounds are its own)
-- params: $prov (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_prevalensi_kecamatan, the rule stunting/prevalensi_kecamatan reads. ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_prevalensi_kecamatan($sumber_sasaran)
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, periode, kode
