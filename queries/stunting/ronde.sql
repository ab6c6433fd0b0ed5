-- name: ronde
-- title: Kelengkapan ronde penimbangan | Weighing-round completeness
-- grain: one row per periode x jenis of child-level data in the kab/kota (jenis 'ronde' = February/August weighing round, 'kampanye' = a campaign month such as the June 2024 Intervensi Serentak)
-- params: $kab (VARCHAR)
-- source: stg_stunting_desa and stg_stunting_puskesmas (facts computed at import; the weighing window is defined in stg_ukur_bulan); wilayah (desa of the kab/kota); faskes (active Puskesmas); a child without a recorded Puskesmas counts for the ONE Puskesmas its desa counts in (stg_desa_puskesmas); stg_balita_sasaran_desa (sasaran of the periode's year, from the first source available in the order PUSDATIN, BPS_PROJ, DUKCAPIL, RIIL). Status 'lengkap'/'sementara' is ilp.rounds.classify.
with pkm as (
    select f.kode_faskes
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and f.aktif and k.kode_kab = $kab
),
sas as (
    select tahun, urutan_sumber, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    where kode_kab = $kab
    group by tahun, urutan_sumber
    qualify row_number() over (partition by tahun order by urutan_sumber) = 1
),
desa as (
    select periode, jenis, count(distinct kode_desa) as n_desa_lapor, sum(diukur)::bigint as diukur
    from stg_stunting_desa
    where kode_kab = $kab
    group by all
),
pk as (
    select periode, jenis, count(distinct kode_puskesmas) as n_puskesmas_lapor
    from stg_stunting_puskesmas
    where kode_kab = $kab and kode_puskesmas in (select kode_faskes from pkm)
    group by all
),
agg as (
    select d.periode, d.jenis, d.n_desa_lapor, coalesce(pk.n_puskesmas_lapor, 0) as n_puskesmas_lapor, d.diukur
    from desa d left join pk using (periode, jenis)
)
select a.periode, a.jenis, a.n_desa_lapor,
       (select count(*) from wilayah d where d.level = 'desa' and d.kode_kab = $kab) as n_desa,
       a.n_puskesmas_lapor,
       (select count(*) from pkm) as n_puskesmas,
       a.diukur, s.sasaran_balita
from agg a
left join sas s on s.tahun = cast(left(a.periode, 4) as integer)
order by a.periode, a.jenis
