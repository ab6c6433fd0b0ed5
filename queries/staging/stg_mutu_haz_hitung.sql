-- name: stg_mutu_haz_hitung
-- title: Sebaran z-skor TB/U per 0,5 SD, dihitung langsung (staging) | Distribution of HAZ in 0.5 SD bins, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x bin (lower edge, -5 .. 4.5)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua, one measurement per child per round, unflagged HAZ only (WHO flags excluded). The rule
-- behind fakta_mutu_haz (ilp/fakta.py; queries/quality/mutu_sebaran_haz.sql reads it through stg_mutu_haz).
-- One grouped pass (GROUPING SETS, one per tingkat; tingkat from grouping()); a row without a Puskesmas code counts
-- at the kab/kota and kecamatan levels only. kode_kab leads every grouping set (a filter on one district reaches the scan).
create or replace view stg_mutu_haz_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null and ulang_ke = 1 and haz is not null and flag_haz = 0
),
b as (
    select kode_kab, kode_kec, kode_puskesmas, periode, greatest(least(floor(haz * 2) / 2, 4.5), -5.0) as bin from u
)
select kode_kab,
       case when grouping(kode_kec) = 0 then 'kecamatan' when grouping(kode_puskesmas) = 0 then 'puskesmas'
            else 'kabkota' end as tingkat,
       case when grouping(kode_kec) = 0 then kode_kec when grouping(kode_puskesmas) = 0 then kode_puskesmas
            else kode_kab end as kode,
       periode, bin, count(*) as n
from b
group by grouping sets ((kode_kab, periode, bin), (kode_kab, kode_kec, periode, bin),
                        (kode_kab, kode_puskesmas, periode, bin))
having grouping(kode_puskesmas) = 1 or kode_puskesmas is not null;
