-- name: kualitas_pengukuran
-- title: Kualitas data pengukuran per ronde | Measurement data quality by round
-- grain: one row per periode (all months with measurements)
-- params: $kab (VARCHAR)
-- source: pengukuran (WHO flags; the export's own ZS TB/U vs recomputed HAZ)
select strftime(p.tgl_ukur, '%Y-%m') as periode,
       count(*) as pengukuran,
       count(distinct p.id_anak) as anak,
       count(*) filter (where p.haz is null) as haz_tidak_terhitung,
       count(*) filter (where p.flag_haz = 1) as haz_diflag,
       count(*) filter (where p.flag_waz = 1) as waz_diflag,
       count(*) filter (where p.flag_whz = 1) as whz_diflag,
       count(*) filter (where p.zs_tbu_lapor is not null and p.haz is not null) as zs_dibandingkan,
       count(*) filter (where abs(p.zs_tbu_lapor - p.haz) > 0.1) as zs_beda
from pengukuran p
join wilayah w on w.kode = p.kode_desa
where w.kode_kab = $kab
group by all
order by periode
