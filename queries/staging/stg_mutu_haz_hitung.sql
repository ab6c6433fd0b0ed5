-- name: stg_mutu_haz_hitung
-- title: Sebaran z-skor TB/U per 0,5 SD, dihitung langsung (staging) | Distribution of HAZ in 0.5 SD bins, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas) x kode x periode x bin (lower edge, -5 .. 4.5)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua, one measurement per child per round, unflagged HAZ only (WHO flags excluded). The rule
-- behind fakta_mutu_haz (ilp/fakta.py; queries/quality/mutu_sebaran_haz.sql reads it through stg_mutu_haz).
create or replace view stg_mutu_haz_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null and ulang_ke = 1 and haz is not null and flag_haz = 0
),
t as (
    select kode_kab, 'kabkota' as tingkat, kode_kab as kode, periode, haz from u
    union all select kode_kab, 'kecamatan', kode_kec, periode, haz from u
    union all select kode_kab, 'puskesmas', kode_puskesmas, periode, haz from u where kode_puskesmas is not null
)
select kode_kab, tingkat, kode, periode, greatest(least(floor(haz * 2) / 2, 4.5), -5.0) as bin, count(*) as n
from t
group by all;
