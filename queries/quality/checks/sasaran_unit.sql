-- name: sasaran_unit
-- title: Sasaran untuk unit atau layanan tidak dikenal | Target population for an unknown unit or service
-- grain: one row per sasaran row whose unit is not a faskes Puskesmas / wilayah of its jenis_unit, or whose layanan is not an SPM service
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: sasaran (kode_unit -> faskes or wilayah by jenis_unit; layanan -> layanan_spm)
select s.tahun, s.kode_unit, s.jenis_unit, s.layanan, s.sumber, s.jumlah,
       case when l.layanan is null then 'layanan' else 'kode_unit' end as masalah
from sasaran s
left join faskes f on s.jenis_unit = 'puskesmas' and f.kode_faskes = s.kode_unit and f.jenis = 'puskesmas'
left join wilayah w on s.jenis_unit <> 'puskesmas' and w.kode = s.kode_unit
     and w.level = case s.jenis_unit when 'kabkota' then 'kabkota' else s.jenis_unit end
left join wilayah k on k.kode = f.kode_kec
left join layanan_spm l on l.layanan = s.layanan
where (l.layanan is null or coalesce(f.kode_faskes, w.kode) is null)
  and ($kab is null or coalesce(k.kode_kab, w.kode_kab, w.kode) = $kab
       or coalesce(f.kode_faskes, w.kode) is null)
order by s.tahun, s.kode_unit, s.layanan
