-- name: mutu_rekap
-- title: Pemeriksaan rekap stunting per unit dan periode | Stunting recap checks by unit and period
-- grain: one row per rekap_stunting row of the kab/kota (periode x jenis_unit x kode_unit)
-- params: $kab (VARCHAR)
-- source: rekap_stunting (reported totals and prevalence, flag_inkonsisten from the import), stg_rekap_unit
-- (kecamatan of each unit). sama_ronde_lalu: diukur, pendek and sangat_pendek all equal to the unit's previous
-- period (columns copied down a round).
select r.periode, r.jenis_unit, r.kode_unit, s.kode_kec, r.diukur, r.pendek, r.sangat_pendek,
       r.pendek + r.sangat_pendek as stunting_hitung, r.stunting_lapor, r.prevalensi_lapor,
       case when r.diukur > 0 then round(100.0 * (r.pendek + r.sangat_pendek) / r.diukur, 1) end as prevalensi_hitung,
       r.flag_inkonsisten,
       coalesce(r.diukur = lag(r.diukur) over w and r.pendek = lag(r.pendek) over w
                and r.sangat_pendek = lag(r.sangat_pendek) over w, false) as sama_ronde_lalu,
       r.sumber
from rekap_stunting r
join stg_rekap_unit s using (periode, jenis_unit, kode_unit)
where s.kode_kab = $kab
window w as (partition by r.jenis_unit, r.kode_unit order by r.periode)
order by r.periode, r.jenis_unit, r.kode_unit
