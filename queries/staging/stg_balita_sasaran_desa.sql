-- name: stg_balita_sasaran_desa
-- title: Sasaran balita per desa (staging) | Under-five target population by desa (staging)
-- grain: one row per desa x tahun x sumber (sasaran source)
-- params: none (a view, created by ilp.db.init_schema)
-- source: sasaran (layanan spm04 = balita 0-59 bulan, jenis_unit 'desa'), wilayah
-- urutan_sumber ranks the sources when a question has no $sumber_sasaran: PUSDATIN, BPS_PROJ, DUKCAPIL, RIIL.
create or replace view stg_balita_sasaran_desa as
select s.kode_unit as kode_desa, d.kode_kec, d.kode_kab, s.tahun, s.sumber, s.jumlah,
       case s.sumber when 'PUSDATIN' then 1 when 'BPS_PROJ' then 2 when 'DUKCAPIL' then 3 else 4 end as urutan_sumber
from sasaran s
join wilayah d on d.kode = s.kode_unit
where s.jenis_unit = 'desa' and s.layanan = 'spm04';
