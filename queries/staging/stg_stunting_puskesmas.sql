-- name: stg_stunting_puskesmas
-- title: Stunting per Puskesmas dan ronde (staging) | Stunting by Puskesmas and round (staging)
-- grain: one row per kab/kota x counting Puskesmas x periode x jenis with at least one valid measurement
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_stunting_puskesmas, written at import from stg_ukur_ronde_hitung (kode_puskesmas_hitung: each
-- child counts in exactly one Puskesmas); n_desa = desa with a measured child counted in the Puskesmas
create or replace view stg_stunting_puskesmas as
select * from fakta_stunting_puskesmas;
