-- name: hapus_stunting_desa
-- title: Hapus fakta_stunting_desa satu kab/kota | Delete one district's rows of fakta_stunting_desa
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_stunting_desa
delete from fakta_stunting_desa where kode_kab = $kab
