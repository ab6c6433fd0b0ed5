-- name: stunting_kecamatan
-- title: Stunting (data rutin e-PPGBM) per kecamatan seluruh provinsi pada satu ronde | Routine stunting by kecamatan across the province in one round
-- grain: one row per kecamatan of the province with measurements in the round
-- params: $prov (VARCHAR), $periode (VARCHAR 'YYYY-MM')
-- source: stg_stunting_desa (facts computed at import), wilayah
select s.kode_kec as kode, c.nama, s.kode_kab, k.nama as kabkota,
       sum(s.diukur)::bigint as diukur, sum(s.stunting)::bigint as stunting,
       sum(s.pendek)::bigint as pendek, sum(s.sangat_pendek)::bigint as sangat_pendek
from stg_stunting_desa s
join wilayah c on c.kode = s.kode_kec
join wilayah k on k.kode = s.kode_kab
where k.parent = $prov and s.periode = $periode and s.jenis = 'ronde'
group by all
order by s.kode_kec
