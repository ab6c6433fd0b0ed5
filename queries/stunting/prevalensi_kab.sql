-- name: prevalensi_kab
-- title: Prevalensi stunting (data rutin) kabupaten per ronde | District routine stunting prevalence by round
-- grain: one row per periode (weighing rounds and campaign months, see jenis)
-- params: $kab (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_prevalensi_kab (the rule, shared with provinsi/semua_prevalensi_kab: stg_stunting_desa, stg_diflag, stg_balita_sasaran_desa; all facts computed at import)
select * exclude (kode_kab)
from stg_prevalensi_kab($sumber_sasaran)
where kode_kab = $kab
order by periode
