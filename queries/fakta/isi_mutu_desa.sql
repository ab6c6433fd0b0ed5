-- name: isi_mutu_desa
-- title: Isi fakta_mutu_desa satu kab/kota | Fill one district's children-measured-by-desa facts
-- grain: statement: one row per kab/kota x desa x periode
-- params: $kab (VARCHAR)
-- source: stg_mutu_desa_hitung (the rule); the filter on kode_kab reaches the scan before the numbering of stg_ukur_semua
insert into fakta_mutu_desa by name
select * from stg_mutu_desa_hitung where kode_kab = $kab
