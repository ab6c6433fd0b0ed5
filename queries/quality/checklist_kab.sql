-- name: checklist_kab
-- title: Daftar periksa data kabupaten baru | New-district data checklist
-- grain: one row per checklist item (wilayah, batas_kecamatan, batas_desa, faskes, tenaga, sasaran, spm, stunting, survei, target), in checklist order
-- params: $kab (VARCHAR dotted kab/kota code)
-- source: wilayah, batas_wilayah, faskes, tenaga, sasaran, fakta_spm, pengukuran, rekap_stunting, survei_stunting, target, import_log (date loaded = latest successful import of the item's kind, any district)
with kec as (select kode from wilayah where kode_kab = $kab and level = 'kecamatan'),
desa as (select kode from wilayah where kode_kab = $kab and level = 'desa'),
fk as (select kode_faskes, jenis from faskes where kode_kec in (select kode from kec)),
items as (
    select 1 as urut, 'wilayah' as item, 'wilayah' as jenis, count(*) as baris,
           null::varchar as periode_awal, null::varchar as periode_akhir
    from wilayah where kode_kab = $kab and level in ('kecamatan', 'desa')
    union all
    select 2, 'batas_kecamatan', 'boundaries', count(*), null, null
    from batas_wilayah where level = 'kecamatan' and kode in (select kode from kec)
    union all
    select 3, 'batas_desa', 'boundaries', count(*), null, null
    from batas_wilayah where level = 'desa' and kode in (select kode from desa)
    union all
    select 4, 'faskes', 'faskes', count(*), null, null from fk
    union all
    select 5, 'tenaga', 'tenaga', count(*), strftime(min(per_tanggal), '%Y-%m'), strftime(max(per_tanggal), '%Y-%m')
    from tenaga where kode_faskes in (select kode_faskes from fk)
    union all
    select 6, 'sasaran', 'sasaran', count(*), min(tahun)::varchar, max(tahun)::varchar
    from sasaran where kode_unit in (select kode_faskes from fk) or kode_unit in (select kode from desa)
        or kode_unit in (select kode from kec) or kode_unit = $kab
    union all
    select 7, 'spm', 'spm', count(*), min(printf('%04d-%02d', tahun, bulan)), max(printf('%04d-%02d', tahun, bulan))
    from fakta_spm where kode_puskesmas in (select kode_faskes from fk)
    union all
    select 8, 'stunting', 'eppgbm', count(*), min(p), max(p) from (
        select strftime(tgl_ukur, '%Y-%m') as p from pengukuran where kode_desa in (select kode from desa)
        union all
        select periode from rekap_stunting
        where kode_unit in (select kode_faskes from fk) or kode_unit in (select kode from kec)
            or kode_unit in (select kode from desa))
    union all
    select 9, 'survei', 'survei', count(*), min(tahun)::varchar, max(tahun)::varchar
    from survei_stunting where kode_wilayah = $kab
    union all
    select 10, 'target', 'target', count(*), min(tahun)::varchar, max(tahun)::varchar
    from target where kode_wilayah = $kab
),
loaded as (
    select jenis, max(waktu) as dimuat from import_log where status in ('berhasil', 'sebagian') group by jenis
)
select i.urut, i.item, i.baris, i.periode_awal, i.periode_akhir,
       case when i.item = 'stunting' then (select max(dimuat) from loaded where jenis in ('eppgbm', 'rekap'))
            else l.dimuat end as dimuat
from items i left join loaded l on l.jenis = i.jenis
order by i.urut
