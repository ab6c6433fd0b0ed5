-- name: semua_prevalensi_kab
-- title: Prevalensi stunting (data rutin) tiap kabupaten/kota per ronde | Routine stunting prevalence of every district by round
-- grain: one row per kab/kota of the province x periode; the rows of stunting/prevalensi_kab for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_prevalensi_kab, the rule stunting/prevalensi_kab reads. One question for the province page instead of one per kab/kota; ilp.provinsi.batched splits it and tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_prevalensi_kab($sumber_sasaran)
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, periode
