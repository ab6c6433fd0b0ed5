-- name: hapus_stunting_puskesmas
-- title: Hapus fakta_stunting_puskesmas satu kab/kota | Delete one district's rows of fakta_stunting_puskesmas
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_stunting_puskesmas
delete from fakta_stunting_puskesmas where kode_kab = $kab
