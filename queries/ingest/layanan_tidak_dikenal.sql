-- name: layanan_tidak_dikenal
-- title: Kode layanan SPM yang tidak ada di tabel layanan_spm | SPM service codes missing from layanan_spm
-- grain: one row per unknown code
-- params: $kode (VARCHAR[], e.g. ['spm04'])
-- source: layanan_spm
select distinct k.kode
from unnest($kode::varchar[]) as k(kode)
where k.kode not in (select layanan from layanan_spm)
order by 1
