-- name: prevalensi_desa_kab
-- title: Prevalensi stunting (data rutin) semua desa pada satu ronde | Routine stunting prevalence of every desa in one round
-- grain: one row per desa of the kab/kota with measurements in the round
-- params: $kab (VARCHAR), $periode (VARCHAR 'YYYY-MM')
-- source: stg_stunting_desa (latest valid measurement per child per round, flagged excluded)
select d.kode, d.nama, k.nama as kecamatan, d.kode_kec,
       sum(s.diukur)::bigint as diukur, sum(s.pendek)::bigint as pendek, sum(s.sangat_pendek)::bigint as sangat_pendek,
       sum(s.stunting)::bigint as stunting
from stg_stunting_desa s
join wilayah d on d.kode = s.kode_desa
join wilayah k on k.kode = d.kode_kec
where s.kode_kab = $kab and s.periode = $periode
group by all
order by d.kode
