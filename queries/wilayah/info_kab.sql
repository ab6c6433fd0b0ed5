-- name: info_kab
-- title: Kabupaten/kota yang dimuat | Loaded district
-- grain: one row per kab/kota in the database
-- params: (none)
-- source: wilayah, meta
select w.kode, w.nama, w.jenis, w.versi,
       (select count(*) from wilayah k where k.parent = w.kode and k.level = 'kecamatan') as n_kecamatan,
       (select count(*) from wilayah d where d.kode_kab = w.kode and d.level = 'desa') as n_desa
from wilayah w
where w.level = 'kabkota'
order by w.kode
