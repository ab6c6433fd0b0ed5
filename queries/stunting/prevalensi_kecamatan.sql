-- name: prevalensi_kecamatan
-- title: Prevalensi stunting (data rutin) per kecamatan dan ronde | Routine stunting prevalence by kecamatan and round
-- grain: one row per kecamatan x periode (round 'YYYY-MM'); kecamatan without measurements appear with diukur = 0;
-- sasaran_parsial is true when some desa of the kecamatan have no sasaran of that source and year (the
-- denominator of the measurement coverage is then partial: n_desa_sasaran of n_desa); null when no desa has one
-- params: $kab (VARCHAR), $sumber_sasaran (VARCHAR, denominator source for measurement coverage)
-- source: stg_prevalensi_kecamatan (the rule, shared with provinsi/semua_prevalensi_kecamatan: stg_stunting_desa, latest valid measurement per child per round, WHO-flagged HAZ excluded; stg_balita_sasaran_desa)
select * exclude (kode_kab)
from stg_prevalensi_kecamatan($sumber_sasaran)
where kode_kab = $kab
order by periode, kode
