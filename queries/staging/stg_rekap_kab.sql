-- name: stg_rekap_kab
-- title: Rekap stunting Puskesmas tiap kabupaten/kota per periode (staging) | Puskesmas stunting recap of every district by period (staging)
-- grain: one row per kab/kota x periode with a recap
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_rekap_unit (finest unit level per periode and kab/kota only, see stg_rekap_kecamatan); faskes (active
-- Puskesmas of the kab/kota), wilayah_kerja; import_log (nama_file via import_id). n_puskesmas_lapor: Puskesmas rows
-- reported; for desa rows the Puskesmas whose wilayah kerja holds a reporting desa; for kecamatan rows the Puskesmas
-- standing in a reporting kecamatan. The one home of this rule: stunting/rekap_kab reads it for one kab/kota and
-- provinsi/semua_rekap_kab for every kab/kota of a province.
create or replace view stg_rekap_kab as
with pkm as (
    select k.kode_kab, f.kode_faskes, f.kode_kec
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and f.aktif
),
n_pkm as (select kode_kab, count(*) as n_puskesmas from pkm group by all),
r as (select * from stg_rekap_unit where terhalus),
lapor as (
    select r.kode_kab, r.periode, coalesce(r.kode_puskesmas, wk.kode_puskesmas, p.kode_faskes) as kode_puskesmas
    from r
    left join wilayah_kerja wk on r.jenis_unit = 'desa' and wk.kode_desa = r.kode_unit
    left join pkm p on r.jenis_unit = 'kecamatan' and p.kode_kec = r.kode_unit and p.kode_kab = r.kode_kab
),
n_lapor as (
    select l.kode_kab, l.periode, count(distinct l.kode_puskesmas) as n_puskesmas_lapor
    from lapor l join pkm on pkm.kode_kab = l.kode_kab and pkm.kode_faskes = l.kode_puskesmas
    group by all
),
berkas as (
    select r.kode_kab, r.periode, string_agg(distinct l.nama_file, '; ' order by l.nama_file) as nama_file
    from r join import_log l on l.import_id = r.import_id
    group by all
),
agg as (
    select r.kode_kab, r.periode, sum(r.diukur)::bigint as diukur, sum(r.stunting)::bigint as stunting,
           sum(r.pendek)::bigint as pendek, sum(r.sangat_pendek)::bigint as sangat_pendek,
           count(*) as n_unit_lapor, any_value(r.jenis_unit) as jenis_unit,
           string_agg(distinct r.sumber, '; ' order by r.sumber) as sumber
    from r
    group by r.kode_kab, r.periode
)
select a.kode_kab, a.periode, a.diukur, a.stunting, a.pendek, a.sangat_pendek,
       coalesce(nl.n_puskesmas_lapor, 0) as n_puskesmas_lapor,
       coalesce(np.n_puskesmas, 0) as n_puskesmas,
       a.n_unit_lapor, a.jenis_unit, a.sumber, b.nama_file
from agg a
left join n_lapor nl on nl.kode_kab = a.kode_kab and nl.periode = a.periode
left join n_pkm np on np.kode_kab = a.kode_kab
left join berkas b on b.kode_kab = a.kode_kab and b.periode = a.periode;
