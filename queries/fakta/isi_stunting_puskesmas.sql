-- name: isi_stunting_puskesmas
-- title: Isi fakta stunting per Puskesmas satu kab/kota | Fill one district's stunting facts by Puskesmas
-- grain: statement: one row per counting Puskesmas x periode x jenis
-- params: $kab (VARCHAR)
-- source: stg_stunting_puskesmas_hitung over the per-child facts just written
insert into fakta_stunting_puskesmas by name
select * from stg_stunting_puskesmas_hitung where kode_kab = $kab
