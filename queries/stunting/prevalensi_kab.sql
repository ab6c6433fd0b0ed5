-- name: prevalensi_kab
-- title: Prevalensi stunting (data rutin) kabupaten per ronde | District routine stunting prevalence by round
-- grain: one row per periode
-- params: $kab (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: v_ukur_ronde; pengukuran (flagged count); sasaran spm04 per desa summed
with sas as (
    select s.tahun, sum(s.jumlah) as sasaran_balita
    from sasaran s join wilayah d on d.kode = s.kode_unit
    where s.jenis_unit = 'desa' and s.layanan = 'spm04' and s.sumber = $sumber_sasaran and d.kode_kab = $kab
    group by all
),
agg as (
    select periode, count(*) as diukur,
           count(*) filter (where pendek) as pendek,
           count(*) filter (where sangat_pendek) as sangat_pendek,
           count(*) filter (where stunting) as stunting
    from v_ukur_ronde where kode_kab = $kab
    group by all
),
flag as (
    select strftime(p.tgl_ukur, '%Y-%m') as periode, count(*) as diflag
    from pengukuran p join wilayah w on w.kode = p.kode_desa
    where w.kode_kab = $kab and p.flag_haz = 1
    group by all
)
select agg.*, coalesce(flag.diflag, 0) as pengukuran_diflag, sas.sasaran_balita
from agg
left join flag using (periode)
left join sas on sas.tahun = cast(left(agg.periode, 4) as integer)
order by periode
