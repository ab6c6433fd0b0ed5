-- name: isi_ukur_ronde
-- title: Isi fakta anak per ronde satu kab/kota | Fill one district's per-child-per-round facts
-- grain: statement: one row per kab/kota x child x periode x jenis
-- params: $kab (VARCHAR)
-- source: stg_ukur_ronde_hitung (the rule); the filter on kode_kab reaches the scan before the numbering
insert into fakta_ukur_ronde by name
select * from stg_ukur_ronde_hitung where kode_kab = $kab
