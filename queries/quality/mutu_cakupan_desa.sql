-- name: mutu_cakupan_desa
-- title: Cakupan pengukuran per desa (anak diukur ÷ sasaran balita) | Measurement coverage by desa (children measured ÷ under-five target)
-- grain: one row per desa x periode (weighing rounds with any measurement in the kab/kota)
-- params: $kab (VARCHAR)
-- source: stg_mutu_desa (children, one per round: fakta_mutu_desa, written at import from the rule
-- queries/staging/stg_mutu_desa_hitung.sql), stg_balita_sasaran_desa (the first source by urutan_sumber
-- for the round's year); sasaran null when the desa has none for that year (never shown as 0)
with d as (
    select kode_desa, periode, diukur
    from stg_mutu_desa
    where kode_kab = $kab
),
r as (select distinct periode from d),
s as (
    select kode_desa, tahun, sumber, jumlah
    from stg_balita_sasaran_desa
    where kode_kab = $kab
    qualify row_number() over (partition by kode_desa, tahun order by urutan_sumber) = 1
)
select w.kode as kode_desa, w.nama as nama_desa, w.kode_kec, k.nama as nama_kec, r.periode,
       coalesce(d.diukur, 0) as diukur, s.jumlah as sasaran, s.sumber as sumber_sasaran
from wilayah w
cross join r
join wilayah k on k.kode = w.kode_kec
left join d on d.kode_desa = w.kode and d.periode = r.periode
left join s on s.kode_desa = w.kode and s.tahun = cast(left(r.periode, 4) as integer)
where w.level = 'desa' and w.kode_kab = $kab
order by r.periode, w.kode
