-- name: stg_diflag_hitung
-- title: Pengukuran dengan HAZ diflag per kab/kota dan bulan, dihitung langsung (staging) | Flagged HAZ measurements by district and month, computed live (staging)
-- grain: one row per kab/kota x calendar month ('YYYY-MM' of tgl_ukur) with at least one flagged HAZ
-- params: none (a view, created by ilp.db.init_schema)
-- source: pengukuran, wilayah (flag_haz = 1: outside the WHO plausibility range); the rule behind fakta_diflag
create or replace view stg_diflag_hitung as
select w.kode_kab, strftime(p.tgl_ukur, '%Y-%m') as periode, count(*) as diflag
from pengukuran p join wilayah w on w.kode = p.kode_desa
where p.flag_haz = 1
group by all;
