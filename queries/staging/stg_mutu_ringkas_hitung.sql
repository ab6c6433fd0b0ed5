-- name: stg_mutu_ringkas_hitung
-- title: Mutu data pengukuran per unit dan ronde, dihitung langsung (staging) | Measurement data quality by unit and round, computed live (staging)
-- grain: one row per kab/kota x tingkat (kabkota, kecamatan, puskesmas, posyandu) x kode x periode (weighing rounds only)
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_ukur_semua (pengukuran with its round). The rule behind fakta_mutu (ilp/fakta.py fills it from
-- this view at import, per kab/kota; queries/quality/mutu_ringkas.sql reads it through stg_mutu_ringkas).
-- One measurement per child per round (the latest; earlier ones are counted in ganda). SD, skewness (adjusted
-- Fisher-Pearson, as Excel SKEW) and excess kurtosis (0 = normal, as Excel KURT) are over the unflagged
-- z-scores (WHO flags excluded, as the WHO/UNICEF 2019 recommendations and the Anthro Survey Analyser do).
-- Decimal digits: round(value * 10) mod 10. One grouped pass over the measurements (GROUPING SETS, one per
-- tingkat; tingkat from grouping()): rows without a Puskesmas or Posyandu code count at the kab/kota and
-- kecamatan levels only, and a unit is listed when it has a child's latest measurement of the round.
-- kode_kab leads every grouping set, so a filter on one district reaches the scan before the numbering of
-- stg_ukur_semua.
create or replace view stg_mutu_ringkas_hitung as
with u as (
    select * from stg_ukur_semua
    where jenis = 'ronde' and periode is not null
)
select kode_kab,
       case when grouping(kode_kec) = 0 then 'kecamatan' when grouping(kode_puskesmas) = 0 then 'puskesmas'
            when grouping(kode_posyandu) = 0 then 'posyandu' else 'kabkota' end as tingkat,
       case when grouping(kode_kec) = 0 then kode_kec when grouping(kode_puskesmas) = 0 then kode_puskesmas
            when grouping(kode_posyandu) = 0 then kode_posyandu else kode_kab end as kode,
       periode,
       count(*) filter (where ulang_ke = 1) as n,
       count(*) filter (where ulang_ke = 1 and jk is null) as tanpa_jk,
       count(*) filter (where ulang_ke = 1 and tgl_lahir is null) as tanpa_tgl_lahir,
       count(*) filter (where ulang_ke = 1 and berat_kg is null) as tanpa_berat,
       count(*) filter (where ulang_ke = 1 and tinggi_cm is null) as tanpa_tinggi,
       count(*) filter (where ulang_ke = 1 and cara_ukur is null) as tanpa_cara,
       count(*) filter (where ulang_ke = 1 and day(tgl_lahir) in (1, 15)) as lahir_tgl_1_15,
       count(*) filter (where ulang_ke = 1 and jk = 1) as laki,
       count(*) filter (where ulang_ke = 1 and jk = 2) as perempuan,
       count(haz) filter (where ulang_ke = 1) as n_haz,
       count(waz) filter (where ulang_ke = 1) as n_waz,
       count(whz) filter (where ulang_ke = 1) as n_whz,
       count(*) filter (where ulang_ke = 1 and flag_haz = 1) as flag_haz,
       count(*) filter (where ulang_ke = 1 and flag_waz = 1) as flag_waz,
       count(*) filter (where ulang_ke = 1 and flag_whz = 1) as flag_whz,
       avg(haz) filter (where ulang_ke = 1 and flag_haz = 0) as mean_haz,
       stddev_samp(haz) filter (where ulang_ke = 1 and flag_haz = 0) as sd_haz,
       stddev_samp(waz) filter (where ulang_ke = 1 and flag_waz = 0) as sd_waz,
       stddev_samp(whz) filter (where ulang_ke = 1 and flag_whz = 0) as sd_whz,
       skewness(haz) filter (where ulang_ke = 1 and flag_haz = 0) as skew_haz,
       kurtosis(haz) filter (where ulang_ke = 1 and flag_haz = 0) as kurt_haz,
       skewness(whz) filter (where ulang_ke = 1 and flag_whz = 0) as skew_whz,
       kurtosis(whz) filter (where ulang_ke = 1 and flag_whz = 0) as kurt_whz,
       count(*) filter (where ulang_ke = 1 and umur_bulan in (12, 24, 36, 48)) as umur_bulat,
       count(*) filter (where ulang_ke = 1 and umur_bulan in (11, 13, 23, 25, 35, 37, 47, 49)) as umur_tetangga,
       count(*) filter (where ulang_ke = 1 and umur_hari < 731 and cara_ukur is not null) as n_bawah_24,
       count(*) filter (where ulang_ke = 1 and umur_hari < 731 and cara_ukur = 'H') as berdiri_bawah_24,
       count(*) filter (where ulang_ke = 1 and umur_hari >= 731 and cara_ukur is not null) as n_24_plus,
       count(*) filter (where ulang_ke = 1 and umur_hari >= 731 and cara_ukur = 'L') as telentang_24_plus,
       count(*) filter (where ulang_ke = 1 and zs_tbu_lapor is not null and haz is not null) as zs_dibandingkan,
       count(*) filter (where ulang_ke = 1 and abs(zs_tbu_lapor - haz) > 0.1) as zs_beda,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 0) as tinggi_d0,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 1) as tinggi_d1,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 2) as tinggi_d2,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 3) as tinggi_d3,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 4) as tinggi_d4,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 5) as tinggi_d5,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 6) as tinggi_d6,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 7) as tinggi_d7,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 8) as tinggi_d8,
       count(*) filter (where ulang_ke = 1 and round(tinggi_cm * 10) % 10 = 9) as tinggi_d9,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 0) as berat_d0,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 1) as berat_d1,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 2) as berat_d2,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 3) as berat_d3,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 4) as berat_d4,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 5) as berat_d5,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 6) as berat_d6,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 7) as berat_d7,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 8) as berat_d8,
       count(*) filter (where ulang_ke = 1 and round(berat_kg * 10) % 10 = 9) as berat_d9,
       count(*) filter (where ulang_ke > 1) as ganda
from u
group by grouping sets ((kode_kab, periode), (kode_kab, kode_kec, periode), (kode_kab, kode_puskesmas, periode),
                        (kode_kab, kode_posyandu, periode))
having count(*) filter (where ulang_ke = 1) > 0
   and (grouping(kode_puskesmas) = 1 or kode_puskesmas is not null)
   and (grouping(kode_posyandu) = 1 or kode_posyandu is not null);
