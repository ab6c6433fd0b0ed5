-- name: wilayah_induk
-- title: Wilayah dengan induk tidak dikenal | Areas whose parent is unknown
-- grain: one row per wilayah (below provinsi) whose parent is not in wilayah or is not one level up
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: wilayah (foreign key parent -> wilayah.kode, levels provinsi > kabkota > kecamatan > desa)
select w.kode, w.nama, w.level, w.parent
from wilayah w
left join wilayah p on p.kode = w.parent
where w.level <> 'provinsi'
  and (p.kode is null
       or p.level <> case w.level when 'kabkota' then 'provinsi' when 'kecamatan' then 'kabkota' else 'kecamatan' end)
  and ($kab is null or coalesce(w.kode_kab, left(w.kode, 5)) = $kab)
order by w.kode
