-- name: capaian_puskesmas
-- title: Capaian SPM per Puskesmas dan layanan (kumulatif s.d. bulan) | SPM achievement by Puskesmas and service (year to date)
-- grain: one row per Puskesmas x layanan
-- params: $kab (VARCHAR), $tahun (INTEGER), $bulan (INTEGER 1-12, year to date up to this month), $sumber_sasaran (VARCHAR, e.g. 'PUSDATIN')
-- source: stg_spm_kumulatif (fakta_spm summed Jan..bulan, written at import: queries/staging/stg_spm_kumulatif_hitung.sql), sasaran (annual denominator of the chosen source); capaian not clipped
with num as (
    select kode_puskesmas, layanan, pembilang, bulan_terakhir
    from stg_spm_kumulatif
    where kode_kab = $kab and tahun = $tahun and bulan = $bulan
),
pk as (
    select f.kode_faskes, f.nama, f.kode_kec, k.nama as kecamatan
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and k.kode_kab = $kab
)
select pk.kode_faskes as kode_puskesmas, pk.nama as puskesmas, pk.kode_kec, pk.kecamatan,
       l.layanan, l.no, l.nama_id, l.nama_en,
       coalesce(num.pembilang, 0) as pembilang,
       s.jumlah as sasaran,
       s.sumber as sumber_sasaran,
       num.bulan_terakhir,
       100.0 * coalesce(num.pembilang, 0) / nullif(s.jumlah, 0) as capaian_pct
from pk
cross join layanan_spm l
left join num on num.kode_puskesmas = pk.kode_faskes and num.layanan = l.layanan
left join sasaran s on s.kode_unit = pk.kode_faskes and s.jenis_unit = 'puskesmas'
     and s.layanan = l.layanan and s.tahun = $tahun and s.sumber = $sumber_sasaran
order by pk.kecamatan, pk.nama, l.no
