-- name: stg_ukur_bulan
-- title: Pengukuran dengan ronde dan wilayahnya (staging) | Measurements with their round and area (staging)
-- grain: one row per pengukuran row (child x tgl_ukur), flagged and unflagged alike
-- params: none (a view, created by ilp.db.init_schema)
-- source: pengukuran, wilayah
-- The weighing window (the one place it is defined): the rounds are the bulan penimbangan February and
-- August. A measurement dated from the 20th of the month before to the 10th of the month after belongs to
-- the round: 20 January .. 10 March -> 'YYYY-02'; 20 July .. 10 September -> 'YYYY-08'. Measurements
-- outside every window have bulan/periode null (not in a round; counted in queries/quality).
-- Campaign measurements (sumber 'SERENTAK_2024', the June 2024 Intervensi Serentak) are their own series:
-- jenis = 'kampanye', periode = their own month; they are never a round.
-- No window function here: a filter on kode_kab (or periode) reaches the scan before any numbering.
create or replace view stg_ukur_bulan as
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
)
select u.*, w.kode_kec, w.kode_kab, strftime(u.bulan, '%Y-%m') as periode
from p u
join wilayah w on w.kode = u.kode_desa;
