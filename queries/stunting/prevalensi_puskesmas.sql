-- name: prevalensi_puskesmas
-- title: Prevalensi stunting (data rutin) per Puskesmas dan ronde | Routine stunting prevalence by Puskesmas and round
-- grain: one row per Puskesmas x periode
-- params: $kab (VARCHAR)
-- source: stg_ukur_ronde; the Puskesmas is the child's recorded Puskesmas, else the one whose catchment holds the desa
select coalesce(u.kode_puskesmas, wk.kode_puskesmas) as kode_puskesmas, f.nama as puskesmas, u.periode,
       count(*) as diukur,
       count(*) filter (where u.pendek) as pendek,
       count(*) filter (where u.sangat_pendek) as sangat_pendek,
       count(*) filter (where u.stunting) as stunting
from stg_ukur_ronde u
left join wilayah_kerja wk on wk.kode_desa = u.kode_desa and u.kode_puskesmas is null
left join faskes f on f.kode_faskes = coalesce(u.kode_puskesmas, wk.kode_puskesmas)
where u.kode_kab = $kab
group by all
order by u.periode, puskesmas
