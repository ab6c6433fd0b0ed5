-- name: mutu_ringkas
-- title: Mutu data pengukuran per unit dan ronde | Measurement data quality by unit and round
-- grain: one row per tingkat (kabkota, kecamatan, puskesmas, posyandu) x kode x periode (weighing rounds only)
-- params: $kab (VARCHAR, e.g. '35.23')
-- source: stg_mutu_ringkas (fakta_mutu, written at import from the rule queries/staging/stg_mutu_ringkas_hitung.sql:
-- one measurement per child per round, the latest, earlier ones counted in ganda; SD, skewness and excess
-- kurtosis over the unflagged z-scores; decimal digits of height and weight)
select * exclude (kode_kab)
from stg_mutu_ringkas
where kode_kab = $kab
order by case tingkat when 'kabkota' then 1 when 'kecamatan' then 2 when 'puskesmas' then 3 else 4 end,
         kode, periode
