-- name: hapus_diflag
-- title: Hapus fakta_diflag satu kab/kota | Delete one district's rows of fakta_diflag
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_diflag
delete from fakta_diflag where kode_kab = $kab
