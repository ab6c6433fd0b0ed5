-- name: hapus_kualitas
-- title: Hapus fakta_kualitas satu kab/kota | Delete one district's rows of fakta_kualitas
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_kualitas
delete from fakta_kualitas where kode_kab = $kab
