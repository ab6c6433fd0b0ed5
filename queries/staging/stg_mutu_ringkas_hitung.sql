-- name: stg_mutu_ringkas_hitung
-- title: Mutu data pengukuran per unit dan ronde, dihitung langsung (staging) | Measurement data quality by unit and round, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas, posyandu) x kode x periode (weighing rounds only)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua (pengukuran with its round). The rule behind fakta_mutu (ilp/fakta.py fills it from
-- this view at import, per kab/kota; queries/quality/mutu_ringkas.sql reads it through stg_mutu_ringkas).
-- One measurement per child per round (the latest; earlier ones are counted in ganda). SD, skewness (adjusted
-- Fisher-Pearson, as Excel SKEW) and excess kurtosis (0 = normal, as Excel KURT) are over the unflagged
-- z-scores (WHO flags excluded, as the WHO/UNICEF 2019 recommendations and the Anthro Survey Analyser do).
-- Decimal digits: round(value * 10) mod 10. kode_kab leads every grouping, so a filter on one district
-- reaches the scan before the numbering of stg_ukur_semua.
create or replace view stg_mutu_ringkas_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null
),
t as (
    select 'kabkota' as tingkat, kode_kab as kode, * from u
    union all select 'kecamatan', kode_kec, * from u
    union all select 'puskesmas', kode_puskesmas, * from u where kode_puskesmas is not null
    union all select 'posyandu', kode_posyandu, * from u where kode_posyandu is not null
),
g as (
    select kode_kab, tingkat, kode, periode, count(*) filter (where ulang_ke > 1) as ganda
    from t group by all
),
a as (
    select kode_kab, tingkat, kode, periode,
           count(*) as n,
           count(*) filter (where jk is null) as tanpa_jk,
           count(*) filter (where tgl_lahir is null) as tanpa_tgl_lahir,
           count(*) filter (where berat_kg is null) as tanpa_berat,
           count(*) filter (where tinggi_cm is null) as tanpa_tinggi,
           count(*) filter (where cara_ukur is null) as tanpa_cara,
           count(*) filter (where day(tgl_lahir) in (1, 15)) as lahir_tgl_1_15,
           count(*) filter (where jk = 1) as laki,
           count(*) filter (where jk = 2) as perempuan,
           count(haz) as n_haz, count(waz) as n_waz, count(whz) as n_whz,
           count(*) filter (where flag_haz = 1) as flag_haz,
           count(*) filter (where flag_waz = 1) as flag_waz,
           count(*) filter (where flag_whz = 1) as flag_whz,
           avg(haz) filter (where flag_haz = 0) as mean_haz,
           stddev_samp(haz) filter (where flag_haz = 0) as sd_haz,
           stddev_samp(waz) filter (where flag_waz = 0) as sd_waz,
           stddev_samp(whz) filter (where flag_whz = 0) as sd_whz,
           skewness(haz) filter (where flag_haz = 0) as skew_haz,
           kurtosis(haz) filter (where flag_haz = 0) as kurt_haz,
           skewness(whz) filter (where flag_whz = 0) as skew_whz,
           kurtosis(whz) filter (where flag_whz = 0) as kurt_whz,
           count(*) filter (where umur_bulan in (12, 24, 36, 48)) as umur_bulat,
           count(*) filter (where umur_bulan in (11, 13, 23, 25, 35, 37, 47, 49)) as umur_tetangga,
           count(*) filter (where umur_hari < 731 and cara_ukur is not null) as n_bawah_24,
           count(*) filter (where umur_hari < 731 and cara_ukur = 'H') as berdiri_bawah_24,
           count(*) filter (where umur_hari >= 731 and cara_ukur is not null) as n_24_plus,
           count(*) filter (where umur_hari >= 731 and cara_ukur = 'L') as telentang_24_plus,
           count(*) filter (where zs_tbu_lapor is not null and haz is not null) as zs_dibandingkan,
           count(*) filter (where abs(zs_tbu_lapor - haz) > 0.1) as zs_beda,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 0) as tinggi_d0,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 1) as tinggi_d1,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 2) as tinggi_d2,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 3) as tinggi_d3,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 4) as tinggi_d4,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 5) as tinggi_d5,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 6) as tinggi_d6,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 7) as tinggi_d7,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 8) as tinggi_d8,
           count(*) filter (where round(tinggi_cm * 10) % 10 = 9) as tinggi_d9,
           count(*) filter (where round(berat_kg * 10) % 10 = 0) as berat_d0,
           count(*) filter (where round(berat_kg * 10) % 10 = 1) as berat_d1,
           count(*) filter (where round(berat_kg * 10) % 10 = 2) as berat_d2,
           count(*) filter (where round(berat_kg * 10) % 10 = 3) as berat_d3,
           count(*) filter (where round(berat_kg * 10) % 10 = 4) as berat_d4,
           count(*) filter (where round(berat_kg * 10) % 10 = 5) as berat_d5,
           count(*) filter (where round(berat_kg * 10) % 10 = 6) as berat_d6,
           count(*) filter (where round(berat_kg * 10) % 10 = 7) as berat_d7,
           count(*) filter (where round(berat_kg * 10) % 10 = 8) as berat_d8,
           count(*) filter (where round(berat_kg * 10) % 10 = 9) as berat_d9
    from t
    where ulang_ke = 1
    group by all
)
select a.*, g.ganda
from a
join g using (kode_kab, tingkat, kode, periode);
