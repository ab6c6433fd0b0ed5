-- name: stg_prevalensi_kecamatan
-- title: Prevalensi stunting (data rutin) per kecamatan dan ronde, semua kabupaten/kota (staging) | Routine stunting prevalence by kecamatan and round, every district (staging)
-- grain: one row per kecamatan x periode of its kab/kota (a kab/kota's rounds are its own); kecamatan without
-- measurements appear with diukur = 0; sasaran_parsial is true when some desa of the kecamatan have no sasaran of
-- that source and year (the denominator of the measurement coverage is then partial: n_desa_sasaran of n_desa);
-- null when no desa has one
-- params: sumber_sasaran (a table macro, created by ilp.db.init_schema: the source of sasaran_balita)
-- source: stg_stunting_desa (latest valid measurement per child per round, WHO-flagged HAZ excluded);
-- stg_balita_sasaran_desa; wilayah. The one home of this rule: stunting/prevalensi_kecamatan reads it for one
-- kab/kota (its kode_kab filter reaches the facts' scan) and provinsi/semua_prevalensi_kecamatan for a province.
create or replace macro stg_prevalensi_kecamatan(sumber_sasaran) as table
with agg as (
    select kode_kab, kode_kec, periode, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek
    from stg_stunting_desa
    group by all
),
per as (select distinct kode_kab, periode from agg),
sas as (
    select kode_kab, kode_kec, tahun, sum(jumlah) as sasaran_balita, count(distinct kode_desa) as n_desa_sasaran
    from stg_balita_sasaran_desa
    where sumber = sumber_sasaran
    group by all
),
nd as (select kode_kab, kode_kec, count(*) as n_desa from wilayah where level = 'desa' group by all)
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
left join agg on agg.kode_kab = k.kode_kab and agg.kode_kec = k.kode and agg.periode = per.periode
left join nd on nd.kode_kab = k.kode_kab and nd.kode_kec = k.kode
left join sas on sas.kode_kab = k.kode_kab and sas.kode_kec = k.kode and sas.tahun = cast(left(per.periode, 4) as integer)
where k.level = 'kecamatan';
