-- name: hapus_spm_kumulatif
-- title: Hapus fakta_spm_kumulatif satu kab/kota | Delete one district's rows of fakta_spm_kumulatif
-- grain: statement (no rows)
-- params: $kab (VARCHAR)
-- source: fakta_spm_kumulatif; faskes and wilayah (the kab/kota's Puskesmas today: a Puskesmas moved here from another
-- kab/kota leaves no copy behind there)
delete from fakta_spm_kumulatif
where kode_kab = $kab
   or kode_puskesmas in (select f.kode_faskes from faskes f join wilayah k on k.kode = f.kode_kec where k.kode_kab = $kab)
