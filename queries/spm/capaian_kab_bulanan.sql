-- name: capaian_kab_bulanan
-- title: Capaian SPM kabupaten per layanan, kumulatif per bulan | District SPM achievement by service, cumulative by month
-- grain: one row per layanan x tahun x bulan with at least one Puskesmas report that month
-- params: $kab (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: stg_spm_kumulatif (year-to-date numerators per Puskesmas, written at import, summed over the kab's Puskesmas), sasaran (sum over the kab's Puskesmas, chosen source); not clipped
with pk as (
    select f.kode_faskes from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and k.kode_kab = $kab
),
kum as (
    select tahun, bulan, layanan, sum(pembilang) as pembilang_kumulatif
    from stg_spm_kumulatif
    where kode_kab = $kab
    group by all
    having count(jumlah_bulan) > 0   -- a month no Puskesmas reported is missing, not a flat line
),
sas as (
    select tahun, layanan, sum(jumlah) as sasaran, any_value(sumber) as sumber_sasaran
    from sasaran
    where jenis_unit = 'puskesmas' and sumber = $sumber_sasaran and kode_unit in (select kode_faskes from pk)
    group by all
)
select kum.tahun, kum.bulan, make_date(kum.tahun, kum.bulan, 1) as tanggal,
       l.layanan, l.no, l.nama_id, l.nama_en,
       kum.pembilang_kumulatif, sas.sasaran, sas.sumber_sasaran,
       100.0 * kum.pembilang_kumulatif / nullif(sas.sasaran, 0) as capaian_pct,
       -- the even path to 100% by December, for reading a mid-year figure
       100.0 * kum.bulan / 12 as target_proporsional_pct
from kum
join layanan_spm l using (layanan)
left join sas using (tahun, layanan)
order by l.no, kum.tahun, kum.bulan
