-- name: prevalensi_desa
-- title: Prevalensi stunting (data rutin) per desa dalam satu kecamatan | Routine stunting prevalence by desa
-- grain: one row per desa of the kecamatan x periode
-- params: $kec (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: v_ukur_ronde (latest valid measurement per child per round, flagged excluded); sasaran spm04 per desa
with agg as (
    select kode_desa, periode, count(*) as diukur,
           count(*) filter (where pendek) as pendek,
           count(*) filter (where sangat_pendek) as sangat_pendek
    from v_ukur_ronde where kode_kec = $kec
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
left join sasaran s on s.kode_unit = d.kode and s.jenis_unit = 'desa' and s.layanan = 'spm04'
     and s.sumber = $sumber_sasaran and s.tahun = cast(left(per.periode, 4) as integer)
where d.level = 'desa' and d.kode_kec = $kec
order by per.periode, d.kode
