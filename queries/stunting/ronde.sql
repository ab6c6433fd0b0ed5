-- name: ronde
-- title: Kelengkapan ronde penimbangan | Weighing-round completeness
-- grain: one row per periode x jenis of child-level data in the kab/kota (jenis 'ronde' = February/August weighing round, 'kampanye' = a campaign month such as the June 2024 Intervensi Serentak)
-- params: $kab (VARCHAR)
-- source: stg_ukur_ronde (the weighing window is defined there); wilayah (desa of the kab/kota); faskes (active Puskesmas); wilayah_kerja (a child without a recorded Puskesmas counts for the Puskesmas whose wilayah kerja holds its desa); stg_balita_sasaran_desa (sasaran of the periode's year, from the first source available in the order PUSDATIN, BPS_PROJ, DUKCAPIL, RIIL). Status 'lengkap'/'sementara' is ilp.rounds.classify.
with u as (
    select u.periode, u.jenis, u.kode_desa, coalesce(u.kode_puskesmas, wk.kode_puskesmas) as kode_puskesmas, u.id_anak
    from stg_ukur_ronde u
    left join wilayah_kerja wk on u.kode_puskesmas is null and wk.kode_desa = u.kode_desa
    where u.kode_kab = $kab
),
pkm as (
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
agg as (
    select periode, jenis,
           count(distinct kode_desa) as n_desa_lapor,
           count(distinct kode_puskesmas) filter (where kode_puskesmas in (select kode_faskes from pkm)) as n_puskesmas_lapor,
           count(distinct id_anak) as diukur
    from u
    group by all
)
select a.periode, a.jenis, a.n_desa_lapor,
       (select count(*) from wilayah d where d.level = 'desa' and d.kode_kab = $kab) as n_desa,
       a.n_puskesmas_lapor,
       (select count(*) from pkm) as n_puskesmas,
       a.diukur, s.sasaran_balita
from agg a
left join sas s on s.tahun = cast(left(a.periode, 4) as integer)
order by a.periode, a.jenis
