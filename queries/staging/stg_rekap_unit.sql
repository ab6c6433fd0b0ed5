-- name: stg_rekap_unit
-- title: Rekap stunting per unit, dengan kecamatan dan kabupaten (staging) | Stunting recap by unit, with its kecamatan and district (staging)
-- grain: one row per rekap_stunting row (periode x jenis_unit x kode_unit)
-- params: none (a view, created by ilp.db.init_schema)
-- source: rekap_stunting; a Puskesmas row belongs to faskes.kode_kec, a desa row to its kecamatan
-- tingkat orders the unit levels from finest to coarsest (desa 1, puskesmas 2, kecamatan 3); terhalus is
-- true for the rows of the finest level present in that periode and kab/kota: the marts use only those,
-- so a periode reported at two levels is never counted twice.
create or replace view stg_rekap_unit as
with r as (
    select r.periode, r.jenis_unit, r.kode_unit, r.diukur, r.pendek, r.sangat_pendek,
           r.pendek + r.sangat_pendek as stunting, r.flag_inkonsisten, r.sumber, r.import_id,
           case r.jenis_unit when 'desa' then w.kode_kec when 'puskesmas' then f.kode_kec else w.kode end as kode_kec,
           case r.jenis_unit when 'desa' then 1 when 'puskesmas' then 2 else 3 end as tingkat,
           case r.jenis_unit when 'puskesmas' then r.kode_unit end as kode_puskesmas
    from rekap_stunting r
    left join faskes f on r.jenis_unit = 'puskesmas' and f.kode_faskes = r.kode_unit
    left join wilayah w on r.jenis_unit <> 'puskesmas' and w.kode = r.kode_unit
)
select r.*, k.kode_kab,
       r.tingkat = min(r.tingkat) over (partition by k.kode_kab, r.periode) as terhalus
from r
left join wilayah k on k.kode = r.kode_kec;
