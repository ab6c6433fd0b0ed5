-- name: semua_ronde
-- title: Kelengkapan ronde penimbangan tiap kabupaten/kota | Weighing-round completeness of every district
-- grain: one row per kab/kota of the province x periode x jenis; the rows of stunting/ronde for every kab/kota at once (kode_kab beside them)
-- params: $prov (VARCHAR)
-- source: as stunting/ronde (stg_stunting_desa, stg_stunting_puskesmas, wilayah, faskes, stg_balita_sasaran_desa; facts computed at import). One question for the province page instead of one per kab/kota; ilp.provinsi.batched splits it and tests/test_partial_reruns.py checks it equals the per-district question.
with kabs as (select kode as kode_kab from wilayah where level = 'kabkota' and parent = $prov),
pkm as (
    select k.kode_kab, f.kode_faskes
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and f.aktif and k.kode_kab in (select kode_kab from kabs)
),
n_pkm as (select kode_kab, count(*) as n_puskesmas from pkm group by all),
n_desa as (
    select kode_kab, count(*) as n_desa from wilayah
    where level = 'desa' and kode_kab in (select kode_kab from kabs) group by all
),
sas as (
    select kode_kab, tahun, urutan_sumber, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    where kode_kab in (select kode_kab from kabs)
    group by kode_kab, tahun, urutan_sumber
    qualify row_number() over (partition by kode_kab, tahun order by urutan_sumber) = 1
),
desa as (
    select kode_kab, periode, jenis, count(distinct kode_desa) as n_desa_lapor, sum(diukur)::bigint as diukur
    from stg_stunting_desa
    where kode_kab in (select kode_kab from kabs)
    group by all
),
pk as (
    select s.kode_kab, s.periode, s.jenis, count(distinct s.kode_puskesmas) as n_puskesmas_lapor
    from stg_stunting_puskesmas s
    join pkm on pkm.kode_kab = s.kode_kab and pkm.kode_faskes = s.kode_puskesmas
    group by all
),
agg as (
    select d.kode_kab, d.periode, d.jenis, d.n_desa_lapor, coalesce(pk.n_puskesmas_lapor, 0) as n_puskesmas_lapor,
           d.diukur
    from desa d left join pk using (kode_kab, periode, jenis)
)
select a.kode_kab, a.periode, a.jenis, a.n_desa_lapor,
       coalesce(nd.n_desa, 0) as n_desa,
       a.n_puskesmas_lapor,
       coalesce(np.n_puskesmas, 0) as n_puskesmas,
       a.diukur, s.sasaran_balita
from agg a
left join n_desa nd using (kode_kab)
left join n_pkm np using (kode_kab)
left join sas s on s.kode_kab = a.kode_kab and s.tahun = cast(left(a.periode, 4) as integer)
order by a.kode_kab, a.periode, a.jenis
