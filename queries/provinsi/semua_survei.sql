-- name: semua_survei
-- title: Prevalensi stunting hasil survei (SSGI/SKI) tiap kabupaten/kota | Survey stunting prevalence of every district
-- grain: one row per kab/kota of the province x (its own and the national '00') survei x tahun; the rows of stunting/survei for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: survei_stunting (never mixed with routine data). ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
with kabs as (select kode as kode_kab from wilayah where level = 'kabkota' and parent = $prov)
select k.kode_kab, s.kode_wilayah, s.survei, s.tahun, s.prevalensi, s.ci_bawah, s.ci_atas, s.sumber,
       case when s.kode_wilayah = '00' then 'nasional' else 'kabkota' end as tingkat
from kabs k
join survei_stunting s on s.kode_wilayah in (k.kode_kab, '00')
order by k.kode_kab, tingkat, s.tahun
