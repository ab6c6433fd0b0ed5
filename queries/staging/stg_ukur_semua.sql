-- name: stg_ukur_semua
-- title: Semua pengukuran dengan ronde dan wilayahnya (staging) | Every measurement with its round and area (staging)
-- grain: one row per pengukuran row (child x tgl_ukur), flagged and unflagged alike
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_bulan (pengukuran with its round, the weighing window defined there), wilayah
-- The data-quality checks (queries/quality/mutu_*.sql) need every measurement, flagged ones included, with
-- the round it belongs to. periode follows the weighing window of stg_ukur_ronde (20 Jan .. 10 Mar ->
-- 'YYYY-02', 20 Jul .. 10 Sep -> 'YYYY-08'; campaign rows: jenis 'kampanye', their own month); rows outside
-- every window have periode null. ulang_ke = 1 for the latest measurement of the child in the round, 2, 3 ...
-- for the earlier ones (duplicates within a round, per kab/kota as in stg_ukur_ronde_hitung, so a filter on
-- kode_kab applies before the numbering). umur_bulan = completed calendar months at measurement.
create or replace view stg_ukur_semua as
select u.id_anak, u.jk, u.tgl_lahir, u.tgl_ukur, u.berat_kg, u.tinggi_cm, u.cara_ukur, u.kode_desa,
       u.kode_posyandu, u.kode_puskesmas, u.zs_tbu_lapor, u.umur_hari, u.haz, u.waz, u.whz,
       u.flag_haz, u.flag_waz, u.flag_whz, u.sumber, u.kode_kec, u.kode_kab, u.jenis, u.periode,
       (year(u.tgl_ukur) - year(u.tgl_lahir)) * 12 + month(u.tgl_ukur) - month(u.tgl_lahir)
           - case when day(u.tgl_ukur) < day(u.tgl_lahir) then 1 else 0 end as umur_bulan,
       row_number() over (partition by u.kode_kab, u.id_anak, u.jenis, u.bulan order by u.tgl_ukur desc) as ulang_ke
from stg_ukur_bulan u;
