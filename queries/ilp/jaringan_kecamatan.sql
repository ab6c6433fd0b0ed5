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
)
select k.kode, k.nama,
       (select count(*) from desa d where d.kode_kec = k.kode) as n_desa,
       (select count(distinct p.kode_desa) from pustu p where p.kode_kec = k.kode and p.kode_desa in (select kode from desa)) as desa_dengan_pustu,
       (select count(*) from pustu p where p.kode_kec = k.kode) as n_pustu,
       (select count(*) from pustu p where p.kode_kec = k.kode and p.perawat >= 1 and p.bidan >= 1) as pustu_lengkap,
       (select count(*) from pustu p where p.kode_kec = k.kode and p.ada_data_tenaga) as pustu_ada_data_tenaga,
       (select count(*) from fk where fk.kode_kec = k.kode and fk.jenis = 'puskesmas') as n_puskesmas,
       (select count(*) from fk where fk.kode_kec = k.kode and fk.jenis = 'puskesmas' and fk.rawat_inap) as n_puskesmas_ranap,
       (select count(*) from fk join ilp_puskesmas i on i.kode_puskesmas = fk.kode_faskes
         where fk.kode_kec = k.kode and i.mulai is not null and i.mulai <= current_date) as puskesmas_ilp,
       (select count(*) from fk join ilp_puskesmas i on i.kode_puskesmas = fk.kode_faskes
         where fk.kode_kec = k.kode) as puskesmas_ada_status,
       (select count(*) from fk where fk.kode_kec = k.kode and fk.jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes')) as n_poskesdes,
       (select count(*) from posyandu p where p.kode_kec = k.kode) as n_posyandu,
       (select count(*) from posyandu p where p.kode_kec = k.kode and p.semua_siklus_hidup) as posyandu_ilp,
       (select count(*) from posyandu p where p.kode_kec = k.kode and p.semua_siklus_hidup is not null) as posyandu_ada_status,
       (select sum(p.kader) from posyandu p where p.kode_kec = k.kode) as n_kader,
       (select count(p.kader) from posyandu p where p.kode_kec = k.kode) as posyandu_ada_data_kader,
       (select b.sasaran_balita from balita b where b.kode_kec = k.kode) as sasaran_balita
from wilayah k
where k.level = 'kecamatan' and k.kode_kab = $kab
order by k.kode
