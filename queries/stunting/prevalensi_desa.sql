-- name: prevalensi_desa
-- title: Prevalensi stunting (data rutin) per desa dalam satu kecamatan | Routine stunting prevalence by desa
-- grain: one row per desa of the kecamatan x periode
-- params: $kec (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_stunting_desa (latest valid measurement per child per round, flagged excluded); stg_balita_sasaran_desa
with agg as (
    select kode_desa, periode, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek, sum(sangat_pendek)::bigint as sangat_pendek
    from stg_stunting_desa where kode_kec = $kec
    group by all
),
per as (select distinct periode from agg)
select d.kode, d.nama, per.periode,
       coalesce(agg.diukur, 0) as diukur,
       coalesce(agg.pendek, 0) as pendek,
       coalesce(agg.sangat_pendek, 0) as sangat_pendek,
       coalesce(agg.pendek, 0) + coalesce(agg.sangat_pendek, 0) as stunting,
       s.jumlah as sasaran_balita
from wilayah d
cross join per
left join agg on agg.kode_desa = d.kode and agg.periode = per.periode
left join stg_balita_sasaran_desa s on s.kode_desa = d.kode and s.sumber = $sumber_sasaran
     and s.tahun = cast(left(per.periode, 4) as integer)
where d.level = 'desa' and d.kode_kec = $kec
order by per.periode, d.kode
