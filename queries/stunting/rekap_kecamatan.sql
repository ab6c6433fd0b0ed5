-- name: rekap_kecamatan
-- title: Rekap stunting Puskesmas per kecamatan dan periode | Puskesmas stunting recap by kecamatan and period
-- grain: one row per kecamatan of the kab/kota x periode with a recap; a kecamatan that did not report has null counts and n_unit_lapor = 0
-- params: $kab (VARCHAR)
-- source: stg_rekap_unit (rekap_stunting; Puskesmas rows roll up to faskes.kode_kec, desa rows to their kecamatan). Per periode only the finest unit level present is used (desa, then puskesmas, then kecamatan), so a periode reported at two levels is never counted twice; a kecamatan with two Puskesmas sums both.
with r as (
    select * from stg_rekap_unit where kode_kab = $kab and terhalus
),
per as (select distinct periode, jenis_unit from r),
agg as (
    select kode_kec, periode, sum(diukur)::bigint as diukur, sum(stunting)::bigint as stunting, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek, count(*) as n_unit_lapor,
           string_agg(distinct sumber, '; ' order by sumber) as sumber
    from r
    group by all
)
select k.kode, k.nama, per.periode, agg.diukur, agg.stunting, agg.pendek, agg.sangat_pendek,
       coalesce(agg.n_unit_lapor, 0) as n_unit_lapor, per.jenis_unit, agg.sumber
from wilayah k
cross join per
left join agg on agg.kode_kec = k.kode and agg.periode = per.periode
where k.level = 'kecamatan' and k.kode_kab = $kab
order by per.periode, k.kode
