-- name: kualitas_pengukuran
-- title: Kualitas data pengukuran per ronde | Measurement data quality by round
-- grain: one row per periode (all months with measurements)
-- params: $kab (VARCHAR)
-- source: stg_kualitas (fakta_kualitas, written at import from the rule queries/staging/stg_kualitas_hitung.sql:
-- pengukuran's WHO flags, the export's own ZS TB/U vs recomputed HAZ)
select * exclude (kode_kab)
from stg_kualitas
where kode_kab = $kab
order by periode
