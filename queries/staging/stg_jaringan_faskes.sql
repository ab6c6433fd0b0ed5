-- name: stg_jaringan_faskes
-- title: Fasilitas aktif jaringan ILP dengan tenaga dan status ILP (staging) | Active ILP network facilities with staffing and ILP status (staging)
-- grain: one row per active facility (faskes.aktif) whose kecamatan is in the code list
-- params: none (a view, created by ilp.db.init_schema)
-- source: faskes, wilayah (kab/kota of the kecamatan; the desa if it is a desa of the same kab/kota), stg_tenaga_terakhir
-- (latest snapshot), ilp_posyandu, ilp_puskesmas. The one home of the network's facility rules, rolled up per desa
-- (stg_jaringan_desa) and per kecamatan (stg_jaringan_kecamatan_hitung, stg_jaringan_mulai_hitung).
-- poskesdes: the village health posts counted together (poskesdes, polindes, pkd, ponkesdes).
create or replace view stg_jaringan_faskes as
with staf as (
    select kode_faskes,
           max(jumlah) filter (where jenis_tenaga = 'perawat') as perawat,
           max(jumlah) filter (where jenis_tenaga = 'bidan') as bidan,
           max(jumlah) filter (where jenis_tenaga = 'kader') as kader
    from stg_tenaga_terakhir
    group by all
)
select f.kode_faskes, f.jenis, f.rawat_inap, k.kode_kab, f.kode_kec, f.kode_desa,
       d.kode as desa_kab,                                  -- the facility's desa when it is a desa of its kab/kota
       f.jenis in ('poskesdes', 'polindes', 'pkd', 'ponkesdes') as poskesdes,
       s.perawat, s.bidan, s.kader,
       s.kode_faskes is not null as ada_data_tenaga,        -- any staffing row (of any type) loaded
       coalesce(s.perawat, 0) >= 1 and coalesce(s.bidan, 0) >= 1 as lengkap,   -- Pustu standard: 1 perawat + 1 bidan
       i.semua_siklus_hidup,                                -- Posyandu: serves every life stage (null = no status)
       ip.kode_puskesmas is not null as ada_status_ilp,     -- an ILP rollout row exists for the facility
       ip.mulai                                             -- ILP start date (null = not started)
from faskes f
join wilayah k on k.kode = f.kode_kec
left join wilayah d on d.kode = f.kode_desa and d.level = 'desa' and d.kode_kab = k.kode_kab
left join staf s on s.kode_faskes = f.kode_faskes
left join ilp_posyandu i on i.kode_posyandu = f.kode_faskes
left join ilp_puskesmas ip on ip.kode_puskesmas = f.kode_faskes
where f.aktif;
