-- name: faskes_tanpa_wilayah
-- title: Fasilitas dengan kecamatan/desa tidak dikenal atau induk salah | Facilities with an unknown kecamatan/desa or a wrong parent
-- grain: one row per faskes breaking a rule (masalah names it)
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: faskes (kode_kec -> wilayah kecamatan; kode_desa -> wilayah desa of that kecamatan; kode_induk -> a Puskesmas)
select f.kode_faskes, f.nama, f.jenis, f.kode_kec, f.kode_desa, f.kode_induk,
       case when k.kode is null then 'kode_kec'
            when f.kode_desa is not null and d.kode is null then 'kode_desa'
            when f.kode_desa is not null and d.kode_kec <> f.kode_kec then 'kode_desa_di_kecamatan_lain'
            else 'kode_induk' end as masalah
from faskes f
left join wilayah k on k.kode = f.kode_kec and k.level = 'kecamatan'
left join wilayah d on d.kode = f.kode_desa and d.level = 'desa'
left join faskes i on i.kode_faskes = f.kode_induk and i.jenis = 'puskesmas'
where (k.kode is null
       or (f.kode_desa is not null and (d.kode is null or d.kode_kec <> f.kode_kec))
       or (f.kode_induk is not null and i.kode_faskes is null))
  and ($kab is null or left(f.kode_kec, 5) = $kab)
order by f.kode_faskes
