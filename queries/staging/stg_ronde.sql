-- name: stg_ronde
-- title: Kelengkapan ronde penimbangan tiap kabupaten/kota (staging) | Weighing-round completeness of every district (staging)
-- grain: one row per kab/kota x periode x jenis of child-level data (jenis 'ronde' = February/August weighing
-- round, 'kampanye' = a campaign month such as the June 2024 Intervensi Serentak); a kab/kota's rounds are its own
-- params: none (a view, created by ilp.db.init_schema)
-- source: stg_stunting_desa and stg_stunting_puskesmas (facts computed at import; the weighing window is defined in
-- stg_ukur_bulan); wilayah (desa of the kab/kota); faskes (active Puskesmas); a child without a recorded Puskesmas
-- counts for the ONE Puskesmas its desa counts in (stg_desa_puskesmas); stg_balita_sasaran_desa (sasaran of the
-- periode's year, from the first source available in the order PUSDATIN, BPS_PROJ, DUKCAPIL, RIIL, per kab/kota).
-- Status 'lengkap'/'sementara' is ilp.rounds.classify. The one home of this rule: stunting/ronde reads it for one
-- kab/kota (its kode_kab filter reaches the facts' scan) and provinsi/semua_ronde for every kab/kota of a province.
create or replace view stg_ronde as
with pkm as (
    select k.kode_kab, f.kode_faskes
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and f.aktif
),
n_pkm as (select kode_kab, count(*) as n_puskesmas from pkm group by all),
n_desa as (select kode_kab, count(*) as n_desa from wilayah where level = 'desa' group by all),
sas as (
    select kode_kab, tahun, urutan_sumber, sum(jumlah) as sasaran_balita
    from stg_balita_sasaran_desa
    group by kode_kab, tahun, urutan_sumber
    qualify row_number() over (partition by kode_kab, tahun order by urutan_sumber) = 1
),
desa as (
    select kode_kab, periode, jenis, count(distinct kode_desa) as n_desa_lapor, sum(diukur)::bigint as diukur
    from stg_stunting_desa
    group by all
),
pk as (
    select s.kode_kab, s.periode, s.jenis, count(distinct s.kode_puskesmas) as n_puskesmas_lapor
    from stg_stunting_puskesmas s
    join pkm on pkm.kode_kab = s.kode_kab and pkm.kode_faskes = s.kode_puskesmas
    group by all
)
select d.kode_kab, d.periode, d.jenis, d.n_desa_lapor,
       coalesce(nd.n_desa, 0) as n_desa,
       coalesce(pk.n_puskesmas_lapor, 0) as n_puskesmas_lapor,
       coalesce(np.n_puskesmas, 0) as n_puskesmas,
       d.diukur, s.sasaran_balita
from desa d
left join pk on pk.kode_kab = d.kode_kab and pk.periode = d.periode and pk.jenis = d.jenis
left join n_desa nd on nd.kode_kab = d.kode_kab
left join n_pkm np on np.kode_kab = d.kode_kab
left join sas s on s.kode_kab = d.kode_kab and s.tahun = cast(left(d.periode, 4) as integer);
