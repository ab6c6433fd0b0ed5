-- name: stg_prevalensi_kab
-- title: Prevalensi stunting (data rutin) tiap kabupaten/kota per ronde (staging) | Routine stunting prevalence of every district by round (staging)
-- grain: one row per kab/kota x periode x jenis with measurements (weighing rounds and campaign months, see jenis)
-- params: sumber_sasaran (a table macro, created by ilp.db.init_schema: the source of sasaran_balita)
-- source: stg_stunting_desa (latest valid measurement per child per round); stg_diflag (flagged HAZ per calendar
-- month); stg_balita_sasaran_desa summed per kab/kota and year; all facts computed at import. The one home of
-- this rule: stunting/prevalensi_kab reads it for one kab/kota (its kode_kab filter reaches the facts' scan) and
-- provinsi/semua_prevalensi_kab for every kab/kota of a province.
create or replace macro stg_prevalensi_kab(sumber_sasaran) as table
with sas as (
    select kode_kab, tahun, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    where sumber = sumber_sasaran
    group by all
),
agg as (
    select kode_kab, periode, jenis, sum(diukur)::bigint as diukur, sum(pendek)::bigint as pendek,
           sum(sangat_pendek)::bigint as sangat_pendek, sum(stunting)::bigint as stunting
    from stg_stunting_desa
    group by all
)
select agg.kode_kab, agg.periode, agg.diukur, agg.pendek, agg.sangat_pendek, agg.stunting,
       coalesce(flag.diflag, 0) as pengukuran_diflag, sas.sasaran_balita, agg.jenis
from agg
left join stg_diflag flag on flag.kode_kab = agg.kode_kab and flag.periode = agg.periode
left join sas on sas.kode_kab = agg.kode_kab and sas.tahun = cast(left(agg.periode, 4) as integer);
