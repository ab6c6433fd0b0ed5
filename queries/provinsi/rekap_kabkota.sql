-- name: rekap_kabkota
-- title: Rekap stunting per kabupaten/kota dan periode | Stunting recap by district and period
-- grain: one row per kab/kota of the province x periode with a recap
-- params: $prov (VARCHAR)
-- source: stg_rekap_unit (only the finest unit level present per periode and kab/kota, so nothing counts twice); n_unit_lapor = units reported
select r.kode_kab as kode, k.nama, r.periode, sum(r.diukur)::bigint as diukur, sum(r.stunting)::bigint as stunting,
       sum(r.pendek)::bigint as pendek, sum(r.sangat_pendek)::bigint as sangat_pendek, count(*) as n_unit_lapor,
       string_agg(distinct r.jenis_unit, ', ' order by r.jenis_unit) as jenis_unit
from stg_rekap_unit r
join wilayah k on k.kode = r.kode_kab
where k.parent = $prov and r.terhalus
group by all
order by r.periode, r.kode_kab
