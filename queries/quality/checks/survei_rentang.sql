-- name: survei_rentang
-- title: Survei stunting: wilayah tidak dikenal atau selang kepercayaan tidak memuat nilainya | Survey stunting: unknown area or a confidence interval not containing the value
-- grain: one row per survei_stunting row breaking a rule
-- params: $kab (VARCHAR or NULL = every kab/kota; the national series '00' is checked too)
-- source: survei_stunting (kode_wilayah '00' or -> wilayah kabkota/provinsi; ci_bawah <= prevalensi <= ci_atas)
select s.kode_wilayah, s.survei, s.tahun, s.prevalensi, s.ci_bawah, s.ci_atas,
       case when s.kode_wilayah <> '00' and w.kode is null then 'kode_wilayah' else 'selang' end as masalah
from survei_stunting s
left join wilayah w on w.kode = s.kode_wilayah
where ((s.kode_wilayah <> '00' and w.kode is null)
       or s.ci_bawah > s.prevalensi or s.ci_atas < s.prevalensi)
  and ($kab is null or s.kode_wilayah in ('00', $kab, left($kab, 2)))
order by s.kode_wilayah, s.survei, s.tahun
