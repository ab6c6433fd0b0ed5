-- name: semua_ronde
-- title: Kelengkapan ronde penimbangan tiap kabupaten/kota | Weighing-round completeness of every district
-- grain: one row per kab/kota of the province x periode x jenis; the rows of stunting/ronde for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: stg_ronde, the rule stunting/ronde reads. One question for the province page instead of one per kab/kota; ilp.provinsi.batched splits it and tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_ronde
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, periode, jenis
