-- name: semua_prevalensi_kecamatan
-- title: Prevalensi stunting (data rutin) per kecamatan dan ronde, seluruh provinsi | Routine stunting prevalence by kecamatan and round, whole province
-- grain: one row per kecamatan x periode, per kab/kota of the province; the rows of stunting/prevalensi_kecamatan for every kab/kota at once (kode_kab beside them; a kab/kota's rounds are its own)
-- params: $prov (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: as stunting/prevalensi_kecamatan (stg_stunting_desa, stg_balita_sasaran_desa, wilayah; facts computed at import). ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
with kabs as (select kode as kode_kab from wilayah where level = 'kabkota' and parent = $prov),
agg as (
    select kode_kab, kode_kec, periode, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek
    from stg_stunting_desa where kode_kab in (select kode_kab from kabs)
    group by all
),
per as (select distinct kode_kab, periode from agg),
sas as (
    select kode_kec, tahun, sum(jumlah) as sasaran_balita, count(distinct kode_desa) as n_desa_sasaran
    from stg_balita_sasaran_desa
    where kode_kab in (select kode_kab from kabs) and sumber = $sumber_sasaran
    group by all
),
nd as (
    select kode_kec, count(*) as n_desa from wilayah
    where level = 'desa' and kode_kab in (select kode_kab from kabs) group by all
)
select k.kode_kab, k.kode, k.nama, per.periode,
       coalesce(agg.diukur, 0) as diukur,
       coalesce(agg.pendek, 0) as pendek,
       coalesce(agg.sangat_pendek, 0) as sangat_pendek,
       coalesce(agg.pendek, 0) + coalesce(agg.sangat_pendek, 0) as stunting,
       sas.sasaran_balita,
       coalesce(nd.n_desa, 0) as n_desa,
       coalesce(sas.n_desa_sasaran, 0) as n_desa_sasaran,
       case when sas.sasaran_balita is not null then sas.n_desa_sasaran < coalesce(nd.n_desa, 0) end as sasaran_parsial
from wilayah k
join per on per.kode_kab = k.kode_kab
left join agg on agg.kode_kec = k.kode and agg.periode = per.periode
left join nd on nd.kode_kec = k.kode
left join sas on sas.kode_kec = k.kode and sas.tahun = cast(left(per.periode, 4) as integer)
where k.level = 'kecamatan' and k.kode_kab in (select kode_kab from kabs)
order by k.kode_kab, per.periode, k.kode
