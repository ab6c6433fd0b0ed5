-- name: kabkota
-- title: Kab/kota yang punya fakta atau data | Districts with facts or data
-- grain: one row per kab/kota code found in the code list, the measurements or the facts
-- params: none
-- source: wilayah (kode_kab of desa), fakta_status, fakta_ukur_ronde
select distinct kode_kab from wilayah where kode_kab is not null
union
select distinct kode_kab from fakta_ukur_ronde
order by 1
