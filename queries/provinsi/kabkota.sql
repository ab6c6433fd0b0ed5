-- name: kabkota
-- title: Kabupaten/kota dalam provinsi | Districts of the province
-- grain: one row per kab/kota of the province in the code list
-- params: $prov (VARCHAR, e.g. '35')
-- source: wilayah (kecamatan and desa counted per kab/kota), faskes (active Puskesmas), batas_wilayah (kecamatan polygons loaded)
select k.kode, k.nama, k.jenis,
       (select count(*) from wilayah c where c.level = 'kecamatan' and c.kode_kab = k.kode) as n_kecamatan,
       (select count(*) from wilayah d where d.level = 'desa' and d.kode_kab = k.kode) as n_desa,
       (select count(*) from faskes f join wilayah c on c.kode = f.kode_kec
         where f.jenis = 'puskesmas' and f.aktif and c.kode_kab = k.kode) as n_puskesmas,
       (select count(*) from batas_wilayah b join wilayah c on c.kode = b.kode
         where b.level = 'kecamatan' and c.kode_kab = k.kode) as n_batas_kecamatan
from wilayah k
where k.level = 'kabkota' and k.parent = $prov
order by k.kode
