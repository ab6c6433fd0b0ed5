-- name: stg_survei
-- title: Prevalensi stunting hasil survei (SSGI/SKI) tiap kabupaten/kota (staging) | Survey stunting prevalence of every district (staging)
-- grain: one row per kab/kota of the code list x wilayah (its own and the national '00') x survei x tahun
-- params: none (a view, created by ilp.db.init_schema)
-- source: survei_stunting (kab-level survey estimates; never mixed with routine data), wilayah (the kab/kota).
-- The one home of this rule: stunting/survei reads it for one kab/kota, provinsi/semua_survei for a province.
create or replace view stg_survei as
select k.kode as kode_kab, s.kode_wilayah, s.survei, s.tahun, s.prevalensi, s.ci_bawah, s.ci_atas, s.sumber,
       case when s.kode_wilayah = '00' then 'nasional' else 'kabkota' end as tingkat
from wilayah k
join survei_stunting s on s.kode_wilayah in (k.kode, '00')
where k.level = 'kabkota';
