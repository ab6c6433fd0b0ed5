-- name: semua_survei
-- title: Prevalensi stunting hasil survei (SSGI/SKI) tiap kabupaten/kota | Survey stunting prevalence of every district
-- grain: one row per kab/kota of the province x (its own and the national '00') survei x tahun; the rows of stunting/survei for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: stg_survei, the rule stunting/survei reads (survei_stunting, never mixed with routine data). ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
select *
from stg_survei
where kode_kab in (select kode from wilayah where level = 'kabkota' and parent = $prov)
order by kode_kab, tingkat, tahun
