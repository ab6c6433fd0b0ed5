-- name: target_indikator
-- title: Target semua indikator (nasional dan kabupaten/kota) | Targets of every indicator (national and district)
-- grain: one row per indikator x tingkat x tahun (official points only; interpolation is done in ilp.targets)
-- params: $kab (VARCHAR)
-- source: target (any indicator id of ilp/indicators.toml, plus 'stunting_prevalensi_rutin': a district's target for routine data)
select indikator, tingkat, kode_wilayah, tahun, nilai, dasar, sumber
from target
where tingkat = 'nasional' or (tingkat = 'kabkota' and kode_wilayah = $kab)
order by indikator, tingkat, tahun
