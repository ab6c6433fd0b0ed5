-- name: wilayah_kerja_kunci
-- title: Wilayah kerja dengan Puskesmas atau desa tidak dikenal | Catchment rows with an unknown Puskesmas or desa
-- grain: one row per wilayah_kerja row breaking a foreign key
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: wilayah_kerja (kode_puskesmas -> faskes Puskesmas; kode_desa -> wilayah desa)
select wk.kode_puskesmas, wk.kode_desa,
       case when f.kode_faskes is null then 'kode_puskesmas' else 'kode_desa' end as masalah
from wilayah_kerja wk
left join faskes f on f.kode_faskes = wk.kode_puskesmas and f.jenis = 'puskesmas'
left join wilayah d on d.kode = wk.kode_desa and d.level = 'desa'
where (f.kode_faskes is null or d.kode is null)
  and ($kab is null or left(wk.kode_desa, 5) = $kab)
order by wk.kode_puskesmas, wk.kode_desa
