-- name: periode_tersedia
-- title: Periode data SPM yang tersedia | Available SPM periods
-- grain: one row per tahun with the last month reported and the sasaran sources present
-- params: (none)
-- source: fakta_spm, sasaran
select f.tahun, max(f.bulan) as bulan_terakhir,
       (select list(distinct s.sumber order by s.sumber) from sasaran s where s.tahun = f.tahun) as sumber_sasaran
from fakta_spm f
group by all
order by f.tahun desc
