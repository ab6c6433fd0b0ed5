-- name: tenaga_tanpa_faskes
-- title: Data tenaga untuk fasilitas tidak dikenal | Staffing rows for an unknown facility
-- grain: one row per faskes code in tenaga that is not in faskes (with its row count)
-- params: $kab (VARCHAR or NULL = every kab/kota; rows of an unknown facility have no kab and are always listed)
-- source: tenaga (kode_faskes -> faskes)
select t.kode_faskes, count(*) as baris, min(t.per_tanggal) as per_tanggal_awal, max(t.per_tanggal) as per_tanggal_akhir
from tenaga t
left join faskes f on f.kode_faskes = t.kode_faskes
where f.kode_faskes is null and ($kab is null or true)
group by all
order by t.kode_faskes
