-- name: semua_prevalensi_kab
-- title: Prevalensi stunting (data rutin) tiap kabupaten/kota per ronde | Routine stunting prevalence of every district by round
-- grain: one row per kab/kota of the province x periode; the rows of stunting/prevalensi_kab for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR), $sumber_sasaran (VARCHAR)
-- source: as stunting/prevalensi_kab (stg_stunting_desa, stg_diflag, stg_balita_sasaran_desa; facts computed at import). One question for the province page instead of one per kab/kota; ilp.provinsi.batched splits it and tests/test_partial_reruns.py checks it equals the per-district question.
with kabs as (select kode as kode_kab from wilayah where level = 'kabkota' and parent = $prov),
sas as (
    select kode_kab, tahun, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    where kode_kab in (select kode_kab from kabs) and sumber = $sumber_sasaran
    group by all
),
agg as (
    select kode_kab, periode, jenis, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek, sum(stunting)::bigint as stunting
    from stg_stunting_desa where kode_kab in (select kode_kab from kabs)
    group by all
),
flag as (
    select kode_kab, periode, diflag from stg_diflag where kode_kab in (select kode_kab from kabs)
)
select agg.kode_kab, agg.periode, agg.diukur, agg.pendek, agg.sangat_pendek, agg.stunting,
       coalesce(flag.diflag, 0) as pengukuran_diflag, sas.sasaran_balita, agg.jenis
from agg
left join flag using (kode_kab, periode)
left join sas on sas.kode_kab = agg.kode_kab and sas.tahun = cast(left(agg.periode, 4) as integer)
order by agg.kode_kab, agg.periode
