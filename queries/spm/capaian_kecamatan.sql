-- name: capaian_kecamatan
-- title: Capaian SPM per kecamatan (kumulatif s.d. bulan) | SPM achievement by kecamatan (year to date)
-- grain: one row per kecamatan x layanan
-- params: $kab (VARCHAR), $tahun (INTEGER), $bulan (INTEGER), $sumber_sasaran (VARCHAR)
-- source: stg_spm_kumulatif (year-to-date numerators per Puskesmas, written at import) summed per kecamatan of the Puskesmas, sasaran (Puskesmas denominators summed likewise); not clipped
with pk as (
    select f.kode_faskes, f.kode_kec from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and k.kode_kab = $kab
),
num as (
    select kode_kec, layanan, sum(pembilang) as pembilang
    from stg_spm_kumulatif
    where kode_kab = $kab and tahun = $tahun and bulan = $bulan
    group by all
),
den as (
    select pk.kode_kec, s.layanan, sum(s.jumlah) as sasaran
    from sasaran s join pk on pk.kode_faskes = s.kode_unit
    where s.jenis_unit = 'puskesmas' and s.tahun = $tahun and s.sumber = $sumber_sasaran
    group by all
)
select k.kode, k.nama, l.layanan, l.no, l.nama_id, l.nama_en,
       coalesce(num.pembilang, 0) as pembilang, den.sasaran,
       100.0 * coalesce(num.pembilang, 0) / nullif(den.sasaran, 0) as capaian_pct
from wilayah k
cross join layanan_spm l
left join num on num.kode_kec = k.kode and num.layanan = l.layanan
left join den on den.kode_kec = k.kode and den.layanan = l.layanan
where k.level = 'kecamatan' and k.kode_kab = $kab
order by k.kode, l.no
