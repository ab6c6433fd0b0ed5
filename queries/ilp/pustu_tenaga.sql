-- name: pustu_tenaga
-- title: Ketenagaan Pustu (standar 1 perawat + 1 bidan) | Pustu staffing (standard: 1 nurse + 1 midwife)
-- grain: one row per active Pustu
-- params: $kab (VARCHAR)
-- source: faskes, stg_tenaga_terakhir (latest snapshot per Pustu and type); standard per Kemenkes DREAMS dashboard
select p.kode_faskes, p.nama, k.nama as kecamatan, d.nama as desa, pk.nama as puskesmas,
       max(s.jumlah) filter (where s.jenis_tenaga = 'perawat') as perawat,
       max(s.jumlah) filter (where s.jenis_tenaga = 'bidan') as bidan,
       max(s.per_tanggal) as per_tanggal,
       coalesce(max(s.jumlah) filter (where s.jenis_tenaga = 'perawat'), 0) >= 1
         and coalesce(max(s.jumlah) filter (where s.jenis_tenaga = 'bidan'), 0) >= 1 as lengkap
from faskes p
join wilayah k on k.kode = p.kode_kec
left join wilayah d on d.kode = p.kode_desa
left join faskes pk on pk.kode_faskes = p.kode_induk
left join stg_tenaga_terakhir s on s.kode_faskes = p.kode_faskes
where p.jenis = 'pustu' and p.aktif and k.kode_kab = $kab
group by all
order by lengkap, kecamatan, desa
