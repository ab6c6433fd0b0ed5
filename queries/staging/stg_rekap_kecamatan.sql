-- name: stg_rekap_kecamatan
-- title: Rekap stunting Puskesmas per kecamatan dan periode, semua kabupaten/kota (staging) | Puskesmas stunting recap by kecamatan and period, every district (staging)
-- grain: one row per kecamatan x periode with a recap in its kab/kota; a kecamatan that did not report has null
-- counts and n_unit_lapor = 0
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_rekap_unit (rekap_stunting; Puskesmas rows roll up to faskes.kode_kec, desa rows to their kecamatan).
-- Per periode and kab/kota only the finest unit level present is used (desa, then puskesmas, then kecamatan), so a
-- periode reported at two levels is never counted twice; a kecamatan with two Puskesmas sums both. The one home of
-- this rule: stunting/rekap_kecamatan reads it for one kab/kota and provinsi/semua_rekap_kecamatan for a province.
create or replace view stg_rekap_kecamatan as
with r as (select * from stg_rekap_unit where terhalus),
per as (select distinct kode_kab, periode, jenis_unit from r),
agg as (
    select kode_kab, kode_kec, periode, sum(diukur)::bigint as diukur, sum(stunting)::bigint as stunting,
           sum(pendek)::bigint as pendek, sum(sangat_pendek)::bigint as sangat_pendek, count(*) as n_unit_lapor,
           string_agg(distinct sumber, '; ' order by sumber) as sumber
    from r
    group by all
)
select k.kode_kab, k.kode, k.nama, per.periode, agg.diukur, agg.stunting, agg.pendek, agg.sangat_pendek,
       coalesce(agg.n_unit_lapor, 0) as n_unit_lapor, per.jenis_unit, agg.sumber
from wilayah k
join per on per.kode_kab = k.kode_kab
left join agg on agg.kode_kab = k.kode_kab and agg.kode_kec = k.kode and agg.periode = per.periode
where k.level = 'kecamatan';
