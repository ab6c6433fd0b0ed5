-- name: isi_diflag
-- title: Isi fakta pengukuran diflag satu kab/kota | Fill one district's flagged-measurement facts
-- grain: statement: one row per calendar month with a flagged HAZ
-- params: $kab (VARCHAR)
-- source: stg_diflag_hitung
insert into fakta_diflag by name
select * from stg_diflag_hitung where kode_kab = $kab
