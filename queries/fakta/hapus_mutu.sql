-- name: hapus_mutu
-- title: Hapus fakta_mutu satu kab/kota | Delete one district's rows of fakta_mutu
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_mutu
delete from fakta_mutu where kode_kab = $kab
