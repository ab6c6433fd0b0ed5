-- name: stg_jaringan_mulai_hitung
-- title: Puskesmas per tanggal mulai ILP per kecamatan, dihitung langsung (staging) | Puskesmas by ILP start date by kecamatan, computed live (staging)
-- grain: one row per kecamatan x ILP start date (mulai) of at least one active facility
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_jaringan_faskes (ilp_puskesmas.mulai of the active facilities). The rule behind fakta_jaringan_mulai
-- (ilp/fakta.py). Kept per date, not as a count, so that a fact written at import never freezes "today": the
-- question counts the Puskesmas whose mulai <= current_date when it is asked.
create or replace view stg_jaringan_mulai_hitung as
select kode_kab, kode_kec, mulai, count(*) as n_puskesmas
from stg_jaringan_faskes
where mulai is not null
group by all;
