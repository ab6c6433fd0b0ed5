-- name: jaringan_kecamatan
-- title: Jaringan ILP per kecamatan | ILP network by kecamatan
-- grain: one row per kecamatan of the kab/kota
-- params: $kab (VARCHAR), $tahun (INTEGER, year of sasaran balita), $sumber_sasaran (VARCHAR, e.g. 'PUSDATIN')
-- source: wilayah, faskes, stg_tenaga_terakhir (latest snapshot per facility and type), ilp_puskesmas, ilp_posyandu, sasaran (spm04 balita per desa, chosen year and source)
with desa as (
    select kode, kode_kec from wilayah where level = 'desa' and kode_kab = $kab
),
fk as (
    select f.* from faskes f join wilayah k on k.kode = f.kode_kec where k.kode_kab = $kab and f.aktif
),
staf as (select kode_faskes, jenis_tenaga, jumlah from stg_tenaga_terakhir),
pustu as (
    select p.kode_faskes, p.kode_kec, p.kode_desa,
           coalesce(max(s.jumlah) filter (where s.jenis_tenaga = 'perawat'), 0) as perawat,
           coalesce(max(s.jumlah) filter (where s.jenis_tenaga = 'bidan'), 0) as bidan,
           count(s.jenis_tenaga) > 0 as ada_data_tenaga
    from fk p left join staf s using (kode_faskes)
    where p.jenis = 'pustu'
    group by all
),
posyandu as (
    select p.kode_faskes, p.kode_kec,
           s.jumlah as kader,
           i.semua_siklus_hidup
    from fk p
    left join staf s on s.kode_faskes = p.kode_faskes and s.jenis_tenaga = 'kader'
    left join ilp_posyandu i on i.kode_posyandu = p.kode_faskes
    where p.jenis = 'posyandu'
),
balita as (
    select d.kode_kec, sum(s.jumlah) as sasaran_balita
    from sasaran s join desa d on d.kode = s.kode_unit
    where s.jenis_unit = 'desa' and s.layanan = 'spm04'
      and s.tahun = $tahun and s.sumber = $sumber_sasaran
    group by all
),
n_desa as (select kode_kec, count(*) as n_desa from desa group by all),
pu as (
    select p.kode_kec,
           count(distinct d.kode) as desa_dengan_pustu,
           count(*) as n_pustu,
           count(*) filter (where p.perawat >= 1 and p.bidan >= 1) as pustu_lengkap,
           count(*) filter (where p.ada_data_tenaga) as pustu_ada_data_tenaga
    from pustu p left join desa d on d.kode = p.kode_desa
    group by all
),
pk as (
    select kode_kec,
           count(*) filter (where jenis = 'puskesmas') as n_puskesmas,
           count(*) filter (where jenis = 'puskesmas' and rawat_inap) as n_puskesmas_ranap,
           count(*) filter (where jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes')) as n_poskesdes
    from fk group by all
),
pk_ilp as (
    select fk.kode_kec,
           count(*) filter (where i.mulai is not null and i.mulai <= current_date) as puskesmas_ilp,
           count(*) as puskesmas_ada_status
    from fk join ilp_puskesmas i on i.kode_puskesmas = fk.kode_faskes
    group by all
),
py as (
    select kode_kec,
           count(*) as n_posyandu,
           count(*) filter (where semua_siklus_hidup) as posyandu_ilp,
           count(semua_siklus_hidup) as posyandu_ada_status,
           sum(kader) as n_kader,
           count(kader) as posyandu_ada_data_kader
    from posyandu group by all
)
select k.kode, k.nama,
       coalesce(nd.n_desa, 0) as n_desa,
       coalesce(pu.desa_dengan_pustu, 0) as desa_dengan_pustu,
       coalesce(pu.n_pustu, 0) as n_pustu,
       coalesce(pu.pustu_lengkap, 0) as pustu_lengkap,
       coalesce(pu.pustu_ada_data_tenaga, 0) as pustu_ada_data_tenaga,
       coalesce(pk.n_puskesmas, 0) as n_puskesmas,
       coalesce(pk.n_puskesmas_ranap, 0) as n_puskesmas_ranap,
       coalesce(pk_ilp.puskesmas_ilp, 0) as puskesmas_ilp,
       coalesce(pk_ilp.puskesmas_ada_status, 0) as puskesmas_ada_status,
       coalesce(pk.n_poskesdes, 0) as n_poskesdes,
       coalesce(py.n_posyandu, 0) as n_posyandu,
       coalesce(py.posyandu_ilp, 0) as posyandu_ilp,
       coalesce(py.posyandu_ada_status, 0) as posyandu_ada_status,
       py.n_kader,
       coalesce(py.posyandu_ada_data_kader, 0) as posyandu_ada_data_kader,
       b.sasaran_balita
from wilayah k
left join n_desa nd on nd.kode_kec = k.kode
left join pu on pu.kode_kec = k.kode
left join pk on pk.kode_kec = k.kode
left join pk_ilp on pk_ilp.kode_kec = k.kode
left join py on py.kode_kec = k.kode
left join balita b on b.kode_kec = k.kode
where k.level = 'kecamatan' and k.kode_kab = $kab
order by k.kode
