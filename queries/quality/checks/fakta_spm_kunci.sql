-- name: fakta_spm_kunci
-- title: Capaian SPM untuk Puskesmas, desa atau layanan tidak dikenal | SPM numbers for an unknown Puskesmas, desa or service
-- grain: one row per fakta_spm row breaking a foreign key
-- params: $kab (VARCHAR or NULL = every kab/kota; rows of an unknown Puskesmas have no kab and are always listed)
-- source: fakta_spm (kode_puskesmas -> faskes Puskesmas; kode_desa '' or -> wilayah desa; layanan -> layanan_spm)
select s.tahun, s.bulan, s.kode_puskesmas, s.kode_desa, s.layanan, s.jumlah,
       case when f.kode_faskes is null then 'kode_puskesmas' when l.layanan is null then 'layanan' else 'kode_desa' end as masalah
from fakta_spm s
left join faskes f on f.kode_faskes = s.kode_puskesmas and f.jenis = 'puskesmas'
left join wilayah d on d.kode = s.kode_desa and d.level = 'desa'
left join layanan_spm l on l.layanan = s.layanan
where (f.kode_faskes is null or l.layanan is null or (s.kode_desa <> '' and d.kode is null))
  and ($kab is null or f.kode_faskes is null or left(f.kode_kec, 5) = $kab)
order by s.tahun, s.bulan, s.kode_puskesmas
