-- name: isi_stunting_desa
-- title: Isi fakta stunting per desa satu kab/kota | Fill one district's stunting facts by desa
-- grain: statement: one row per desa x periode x jenis
-- params: $kab (VARCHAR)
-- source: stg_stunting_desa_hitung over the per-child facts just written
insert into fakta_stunting_desa by name
select * from stg_stunting_desa_hitung where kode_kab = $kab
