-- name: target
-- title: Target prevalensi stunting (nasional dan daerah) | Stunting prevalence targets (national and district)
-- grain: one row per tingkat x tahun (official points only; interpolation is done in ilp.targets)
-- params: $kab (VARCHAR)
-- source: target (indikator 'stunting_prevalensi')
select tingkat, kode_wilayah, tahun, nilai, dasar, sumber
from target
where indikator = 'stunting_prevalensi'
  and (tingkat = 'nasional' or (tingkat = 'kabkota' and kode_wilayah = $kab))
order by tingkat, tahun
