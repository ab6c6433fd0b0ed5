-- name: hapus_jaringan_mulai
-- title: Hapus fakta_jaringan_mulai satu kab/kota | Delete one district's rows of fakta_jaringan_mulai
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_jaringan_mulai
delete from fakta_jaringan_mulai where kode_kab = $kab
