-- name: mutu_unit
-- title: Nama unit untuk laporan mutu data | Unit names for the data-quality report
-- grain: one row per tingkat x kode (the kab/kota, its kecamatan, and the Puskesmas and Posyandu standing in it)
-- params: $kab (VARCHAR)
-- source: wilayah, faskes (jenis 'puskesmas', 'posyandu'); kode_kec is the kecamatan a unit lies in
select 'kabkota' as tingkat, kode, nama, null::varchar as kode_kec from wilayah where kode = $kab
union all
select 'kecamatan', kode, nama, kode from wilayah where level = 'kecamatan' and kode_kab = $kab
union all
select f.jenis, f.kode_faskes, f.nama, f.kode_kec
from faskes f
join wilayah k on k.kode = f.kode_kec
where f.jenis in ('puskesmas', 'posyandu') and k.kode_kab = $kab
order by 1, 2
