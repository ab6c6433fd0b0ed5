-- name: stunting_kabkota
-- title: Stunting (data rutin e-PPGBM) per kabupaten/kota dan ronde | Routine stunting (e-PPGBM) by district and round
-- grain: one row per kab/kota of the province x periode of a weighing round (jenis 'ronde'); campaign months are not here
-- params: $prov (VARCHAR)
-- source: stg_stunting_desa (facts computed at import: latest valid measurement per child per round); wilayah (desa of each kab/kota). n_desa_lapor of n_desa gives the round's completeness per kab/kota (ilp.rounds.classify reads share_desa from these counts; the province has no Puskesmas share here). Recap-only districts are in provinsi/rekap_kabkota.
with agg as (
    select s.kode_kab, s.periode, sum(s.diukur)::bigint as diukur, sum(s.pendek)::bigint as pendek,
           sum(s.sangat_pendek)::bigint as sangat_pendek, sum(s.stunting)::bigint as stunting,
           count(distinct s.kode_desa) as n_desa_lapor
    from stg_stunting_desa s
    join wilayah k on k.kode = s.kode_kab
    where k.parent = $prov and s.jenis = 'ronde'
    group by all
),
nd as (
    select kode_kab, count(*) as n_desa from wilayah where level = 'desa' and left(kode, 2) = $prov group by all
)
select a.kode_kab as kode, k.nama, a.periode, a.diukur, a.pendek, a.sangat_pendek, a.stunting,
       a.n_desa_lapor, nd.n_desa
from agg a
join wilayah k on k.kode = a.kode_kab
left join nd on nd.kode_kab = a.kode_kab
order by a.periode, a.kode_kab
