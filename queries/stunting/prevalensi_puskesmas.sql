-- name: prevalensi_puskesmas
-- title: Prevalensi stunting (data rutin) per Puskesmas dan ronde | Routine stunting prevalence by Puskesmas and round
-- grain: one row per Puskesmas x periode (rounds and campaign months summed per periode, as before)
-- params: $kab (VARCHAR)
-- source: stg_stunting_puskesmas (facts computed at import). Counting once: each child counts in exactly one Puskesmas, its recorded Puskesmas, else the one its desa counts in (stg_desa_puskesmas: a desa shared by two catchments goes to the Puskesmas in its own kecamatan, then the lowest code)
select s.kode_puskesmas, f.nama as puskesmas, s.periode,
       sum(s.diukur)::bigint as diukur,
       sum(s.pendek)::bigint as pendek,
       sum(s.sangat_pendek)::bigint as sangat_pendek,
       sum(s.stunting)::bigint as stunting
from stg_stunting_puskesmas s
left join faskes f on f.kode_faskes = s.kode_puskesmas
where s.kode_kab = $kab
group by all
order by s.periode, puskesmas
