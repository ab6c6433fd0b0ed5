-- name: rekap
-- title: Rekap stunting (agregat) per unit dan periode | Stunting recap (aggregate) by unit and period
-- grain: one row per rekap_stunting row of the kab/kota
-- params: $kab (VARCHAR)
-- source: rekap_stunting (imported recaps; flag_inkonsisten marks rows whose counts disagree)
select r.periode, r.jenis_unit, r.kode_unit,
       coalesce(f.nama, w.nama) as nama,
       r.diukur, r.pendek, r.sangat_pendek, r.pendek + r.sangat_pendek as stunting,
       r.stunting_lapor, r.prevalensi_lapor, r.flag_inkonsisten, r.sumber
from rekap_stunting r
left join faskes f on r.jenis_unit = 'puskesmas' and f.kode_faskes = r.kode_unit
left join wilayah w on r.jenis_unit <> 'puskesmas' and w.kode = r.kode_unit
left join wilayah kk on kk.kode = coalesce(f.kode_kec, w.kode_kec, w.kode)
where coalesce(kk.kode_kab, w.kode_kab) = $kab
order by r.periode, nama
