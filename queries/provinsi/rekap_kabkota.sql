-- name: rekap_kabkota
-- title: Rekap stunting per kabupaten/kota dan periode | Stunting recap by district and period
-- grain: one row per kab/kota of the province x periode with a recap
-- params: $prov (VARCHAR)
-- source: stg_rekap_kab (the recap rule of stunting/rekap_kab: only the finest unit level present per periode and kab/kota, so nothing counts twice); n_unit_lapor = units reported
select r.kode_kab as kode, k.nama, r.periode, r.diukur, r.stunting, r.pendek, r.sangat_pendek, r.n_unit_lapor,
       r.jenis_unit
from stg_rekap_kab r
join wilayah k on k.kode = r.kode_kab
where k.parent = $prov
order by r.periode, r.kode_kab
