-- name: survei
-- title: Prevalensi stunting hasil survei (SSGI/SKI) | Survey stunting prevalence (SSGI/SKI)
-- grain: one row per wilayah x survei x tahun, for the kab/kota and national ('00')
-- params: $kab (VARCHAR)
-- source: stg_survei (the rule, shared with provinsi/semua_survei: survei_stunting, kab-level survey estimates; never mixed with routine data)
select * exclude (kode_kab)
from stg_survei
where kode_kab = $kab
order by tingkat, tahun
