-- name: hapus_ukur_ronde
-- title: Hapus fakta_ukur_ronde satu kab/kota | Delete one district's rows of fakta_ukur_ronde
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_ukur_ronde
delete from fakta_ukur_ronde where kode_kab = $kab
