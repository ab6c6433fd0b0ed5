-- name: stg_ukur_ronde_hitung
-- title: Pengukuran per anak per ronde, dihitung langsung (staging) | Measurements per child per round, computed live (staging)
-- grain: one row per kab/kota x child x periode x jenis: the latest measurement with a valid (computed, unflagged) HAZ
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_bulan (the weighing window), stg_desa_puskesmas (the counting Puskesmas)
-- The rule behind the fact table fakta_ukur_ronde (ilp/fakta.py fills it from this view at import, per
-- kab/kota; the stg_ukur_ronde view reads the table). Children are counted, not measurements; flagged
-- values are excluded here and counted in queries/quality. Numbering is per kab/kota (kode_kab leads the
-- partition), so a filter on one district applies before the numbering. kode_puskesmas_hitung: the child's
-- recorded Puskesmas, else the one Puskesmas its desa counts in (stg_desa_puskesmas): never two.
create or replace view stg_ukur_ronde_hitung as
select u.id_anak, u.jk, u.tgl_ukur, u.umur_hari, u.haz, u.kode_desa, u.kode_posyandu, u.kode_puskesmas,
       coalesce(u.kode_puskesmas, dp.kode_puskesmas) as kode_puskesmas_hitung,
       u.kode_kec, u.kode_kab, u.jenis, u.periode,
       u.haz < -2 as stunting,
       u.haz >= -3 and u.haz < -2 as pendek,
       u.haz < -3 as sangat_pendek
from stg_ukur_bulan u
left join stg_desa_puskesmas dp on dp.kode_desa = u.kode_desa
where u.bulan is not null and u.haz is not null and u.flag_haz = 0
qualify row_number() over (partition by u.kode_kab, u.id_anak, u.jenis, u.periode order by u.tgl_ukur desc) = 1;
