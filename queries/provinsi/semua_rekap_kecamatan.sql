-- name: semua_rekap_kecamatan
-- title: Rekap stunting Puskesmas per kecamatan dan periode, seluruh provinsi | Puskesmas stunting recap by kecamatan and period, whole province
-- grain: one row per kecamatan x periode with a recap in its kab/kota; the rows of stunting/rekap_kecamatan for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: as stunting/rekap_kecamatan (stg_rekap_unit, finest unit level per periode and kab/kota). ilp.provinsi.batched splits it; tests/test_partial_reruns.py checks it equals the per-district question.
with kabs as (select kode as kode_kab from wilayah where level = 'kabkota' and parent = $prov),
r as (
    select * from stg_rekap_unit where kode_kab in (select kode_kab from kabs) and terhalus
),
per as (select distinct kode_kab, periode, jenis_unit from r),
agg as (
    select kode_kec, periode, sum(diukur)::bigint as diukur, sum(stunting)::bigint as stunting, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek, count(*) as n_unit_lapor,
           string_agg(distinct sumber, '; ' order by sumber) as sumber
    from r
    group by all
)
select k.kode_kab, k.kode, k.nama, per.periode, agg.diukur, agg.stunting, agg.pendek, agg.sangat_pendek,
       coalesce(agg.n_unit_lapor, 0) as n_unit_lapor, per.jenis_unit, agg.sumber
from wilayah k
join per on per.kode_kab = k.kode_kab
left join agg on agg.kode_kec = k.kode and agg.periode = per.periode
where k.level = 'kecamatan' and k.kode_kab in (select kode_kab from kabs)
order by k.kode_kab, per.periode, k.kode
