-- name: prevalensi_desa_kab
-- title: Prevalensi stunting (data rutin) semua desa pada satu ronde | Routine stunting prevalence of every desa in one round
-- grain: one row per desa of the kab/kota with measurements in the round
-- params: $kab (VARCHAR), $periode (VARCHAR 'YYYY-MM')
-- source: v_ukur_ronde (latest valid measurement per child per round, flagged excluded)
select d.kode, d.nama, k.nama as kecamatan, d.kode_kec,
       count(*) as diukur,
       count(*) filter (where u.pendek) as pendek,
       count(*) filter (where u.sangat_pendek) as sangat_pendek,
       count(*) filter (where u.stunting) as stunting
from v_ukur_ronde u
join wilayah d on d.kode = u.kode_desa
join wilayah k on k.kode = d.kode_kec
where u.kode_kab = $kab and u.periode = $periode
group by all
order by d.kode
