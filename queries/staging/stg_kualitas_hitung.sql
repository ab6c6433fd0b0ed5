-- name: stg_kualitas_hitung
-- title: Kualitas data pengukuran per kab/kota dan bulan, dihitung langsung (staging) | Measurement data quality by district and month, computed live (staging)
-- grain: one row per kab/kota x calendar month ('YYYY-MM' of tgl_ukur) with measurements
-- params: none (a view, created by ilp.db.init_schema)
-- source: pengukuran (WHO flags; the export's own ZS TB/U vs recomputed HAZ), wilayah. The rule behind
-- fakta_kualitas (ilp/fakta.py; queries/quality/kualitas_pengukuran.sql reads it through stg_kualitas).
create or replace view stg_kualitas_hitung as
select w.kode_kab,
       strftime(p.tgl_ukur, '%Y-%m') as periode,
       count(*) as pengukuran,
       count(distinct p.id_anak) as anak,
       count(*) filter (where p.haz is null) as haz_tidak_terhitung,
       count(*) filter (where p.flag_haz = 1) as haz_diflag,
       count(*) filter (where p.flag_waz = 1) as waz_diflag,
       count(*) filter (where p.flag_whz = 1) as whz_diflag,
       count(*) filter (where p.zs_tbu_lapor is not null and p.haz is not null) as zs_dibandingkan,
       count(*) filter (where abs(p.zs_tbu_lapor - p.haz) > 0.1) as zs_beda
from pengukuran p
join wilayah w on w.kode = p.kode_desa
group by all;
