-- name: survei
-- title: Prevalensi stunting hasil survei (SSGI/SKI) | Survey stunting prevalence (SSGI/SKI)
-- grain: one row per wilayah x survei x tahun, for the kab/kota and national ('00')
-- params: $kab (VARCHAR)
-- source: survei_stunting (kab-level survey estimates; never mixed with routine data)
select kode_wilayah, survei, tahun, prevalensi, ci_bawah, ci_atas, sumber,
       case when kode_wilayah = '00' then 'nasional' else 'kabkota' end as tingkat
from survei_stunting
where kode_wilayah in ($kab, '00')
order by tingkat, tahun
