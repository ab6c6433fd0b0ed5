-- name: stg_ukur_ronde
-- title: Pengukuran per anak per ronde (staging) | Measurements per child per round (staging)
-- grain: one row per child x periode x jenis: the latest measurement with a valid (computed, unflagged) HAZ
-- params: none (a view, created by ilp.db.init_schema)
-- source: pengukuran, wilayah
-- The weighing window (the one place it is defined): the rounds are the bulan penimbangan February and
-- August. A measurement dated from the 20th of the month before to the 10th of the month after belongs to
-- the round: 20 January .. 10 March -> 'YYYY-02'; 20 July .. 10 September -> 'YYYY-08'. Measurements
-- outside every window are not in a round (they are counted in queries/quality).
-- Campaign measurements (sumber 'SERENTAK_2024', the June 2024 Intervensi Serentak) are their own series:
-- jenis = 'kampanye', periode = their own month; they are never a round.
-- Children are counted, not measurements; flagged values are excluded here and counted in queries/quality.
create or replace view stg_ukur_ronde as
with p as (
    select p.*,
           case when p.sumber = 'SERENTAK_2024' then 'kampanye' else 'ronde' end as jenis,
           case
               when p.sumber = 'SERENTAK_2024' then date_trunc('month', p.tgl_ukur)
               when (month(p.tgl_ukur) = 1 and day(p.tgl_ukur) >= 20) or month(p.tgl_ukur) = 2
                    or (month(p.tgl_ukur) = 3 and day(p.tgl_ukur) <= 10)
                   then make_date(year(p.tgl_ukur), 2, 1)
               when (month(p.tgl_ukur) = 7 and day(p.tgl_ukur) >= 20) or month(p.tgl_ukur) = 8
                    or (month(p.tgl_ukur) = 9 and day(p.tgl_ukur) <= 10)
                   then make_date(year(p.tgl_ukur), 8, 1)
           end as bulan
    from pengukuran p
    where p.haz is not null and p.flag_haz = 0
)
select u.id_anak, u.jk, u.tgl_ukur, u.umur_hari, u.haz, u.kode_desa, u.kode_posyandu, u.kode_puskesmas,
       w.kode_kec, w.kode_kab, u.jenis,
       strftime(u.bulan, '%Y-%m') as periode,
       u.haz < -2 as stunting,
       u.haz >= -3 and u.haz < -2 as pendek,
       u.haz < -3 as sangat_pendek
from p u
join wilayah w on w.kode = u.kode_desa
where u.bulan is not null
qualify row_number() over (partition by u.id_anak, u.jenis, u.bulan order by u.tgl_ukur desc) = 1;
