-- name: prevalensi_kab
-- title: Prevalensi stunting (data rutin) kabupaten per ronde | District routine stunting prevalence by round
-- grain: one row per periode (weighing rounds and campaign months, see jenis)
-- params: $kab (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_stunting_desa (latest valid measurement per child per round); stg_diflag (flagged HAZ per calendar month); stg_balita_sasaran_desa summed; all facts computed at import
with sas as (
    select tahun, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    where kode_kab = $kab and sumber = $sumber_sasaran
    group by all
),
agg as (
    select periode, jenis, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek, sum(stunting)::bigint as stunting
    from stg_stunting_desa where kode_kab = $kab
    group by all
),
flag as (
    select periode, diflag from stg_diflag where kode_kab = $kab
)
select agg.periode, agg.diukur, agg.pendek, agg.sangat_pendek, agg.stunting,
       coalesce(flag.diflag, 0) as pengukuran_diflag, sas.sasaran_balita, agg.jenis
from agg
left join flag using (periode)
left join sas on sas.tahun = cast(left(agg.periode, 4) as integer)
order by agg.periode
