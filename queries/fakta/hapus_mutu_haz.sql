-- name: hapus_mutu_haz
-- title: Hapus fakta_mutu_haz satu kab/kota | Delete one district's rows of fakta_mutu_haz
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_mutu_haz
delete from fakta_mutu_haz where kode_kab = $kab
