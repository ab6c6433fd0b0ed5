-- name: hapus_mutu_umur
-- title: Hapus fakta_mutu_umur satu kab/kota | Delete one district's rows of fakta_mutu_umur
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_mutu_umur
delete from fakta_mutu_umur where kode_kab = $kab
