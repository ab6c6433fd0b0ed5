-- name: rekap_kab
-- title: Rekap stunting Puskesmas kabupaten per periode | District Puskesmas stunting recap by period
-- grain: one row per periode with a recap in the kab/kota
-- params: $kab (VARCHAR)
-- source: stg_rekap_unit (finest unit level per periode only, see stunting/rekap_kecamatan); faskes (active Puskesmas of the kab/kota), wilayah_kerja; import_log (nama_file via import_id). n_puskesmas_lapor: Puskesmas rows reported; for desa rows the Puskesmas whose wilayah kerja holds a reporting desa; for kecamatan rows the Puskesmas standing in a reporting kecamatan.
with pkm as (
    select f.kode_faskes, f.kode_kec
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and f.aktif and k.kode_kab = $kab
),
r as (
    select * from stg_rekap_unit where kode_kab = $kab and terhalus
),
lapor as (
    select r.periode, coalesce(r.kode_puskesmas, wk.kode_puskesmas, p.kode_faskes) as kode_puskesmas
    from r
    left join wilayah_kerja wk on r.jenis_unit = 'desa' and wk.kode_desa = r.kode_unit
    left join pkm p on r.jenis_unit = 'kecamatan' and p.kode_kec = r.kode_unit
),
berkas as (
    select r.periode, string_agg(distinct l.nama_file, '; ' order by l.nama_file) as nama_file
    from r join import_log l on l.import_id = r.import_id
    group by all
)
select r.periode, sum(r.diukur)::bigint as diukur, sum(r.stunting)::bigint as stunting, sum(r.pendek)::bigint as pendek,
       sum(r.sangat_pendek)::bigint as sangat_pendek,
       (select count(distinct l.kode_puskesmas) from lapor l
         where l.periode = r.periode and l.kode_puskesmas in (select kode_faskes from pkm)) as n_puskesmas_lapor,
       (select count(*) from pkm) as n_puskesmas,
       count(*) as n_unit_lapor, any_value(r.jenis_unit) as jenis_unit,
       string_agg(distinct r.sumber, '; ' order by r.sumber) as sumber,
       any_value(b.nama_file) as nama_file
from r
left join berkas b using (periode)
group by r.periode
order by r.periode
