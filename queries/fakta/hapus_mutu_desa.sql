-- name: hapus_mutu_desa
-- title: Hapus fakta_mutu_desa satu kab/kota | Delete one district's rows of fakta_mutu_desa
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_mutu_desa
delete from fakta_mutu_desa where kode_kab = $kab
