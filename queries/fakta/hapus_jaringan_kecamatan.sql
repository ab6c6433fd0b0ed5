-- name: hapus_jaringan_kecamatan
-- title: Hapus fakta_jaringan_kecamatan satu kab/kota | Delete one district's rows of fakta_jaringan_kecamatan
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_jaringan_kecamatan
delete from fakta_jaringan_kecamatan where kode_kab = $kab
