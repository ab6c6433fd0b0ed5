-- name: stg_jaringan_kecamatan_hitung
-- title: Jaringan ILP per kecamatan, dihitung langsung (staging) | ILP network by kecamatan, computed live (staging)
-- grain: one row per kecamatan of the code list (with its kab/kota)
-- params: none (a view, created by ilp.db.init_schema)
-- source: wilayah (desa per kecamatan), stg_jaringan_faskes (active facilities of the kecamatan, their staffing and
-- ILP status). The rule behind fakta_jaringan_kecamatan (ilp/fakta.py); queries/ilp/jaringan_kecamatan.sql reads it
-- through stg_jaringan_kecamatan. What depends on today's date (a Puskesmas counts as ILP once its start date has
-- passed) is not here: stg_jaringan_mulai_hitung keeps the start dates, compared with the date when asked.
create or replace view stg_jaringan_kecamatan_hitung as
with n_desa as (
    select kode_kec, count(*) as n_desa from wilayah where level = 'desa' group by all
)
select k.kode_kab, k.kode as kode_kec,
       coalesce(any_value(nd.n_desa), 0) as n_desa,
       count(distinct f.desa_kab) filter (where f.jenis = 'pustu') as desa_dengan_pustu,
       count(f.kode_faskes) filter (where f.jenis = 'pustu') as n_pustu,
       count(f.kode_faskes) filter (where f.jenis = 'pustu' and f.lengkap) as pustu_lengkap,
       count(f.kode_faskes) filter (where f.jenis = 'pustu' and f.ada_data_tenaga) as pustu_ada_data_tenaga,
       count(f.kode_faskes) filter (where f.jenis = 'puskesmas') as n_puskesmas,
       count(f.kode_faskes) filter (where f.jenis = 'puskesmas' and f.rawat_inap) as n_puskesmas_ranap,
       count(f.kode_faskes) filter (where f.ada_status_ilp) as puskesmas_ada_status,
       count(f.kode_faskes) filter (where f.poskesdes) as n_poskesdes,
       count(f.kode_faskes) filter (where f.jenis = 'posyandu') as n_posyandu,
       count(f.kode_faskes) filter (where f.jenis = 'posyandu' and f.semua_siklus_hidup) as posyandu_ilp,
       count(f.semua_siklus_hidup) filter (where f.jenis = 'posyandu') as posyandu_ada_status,
       sum(f.kader) filter (where f.jenis = 'posyandu')::bigint as n_kader,
       count(f.kader) filter (where f.jenis = 'posyandu') as posyandu_ada_data_kader
from wilayah k
left join stg_jaringan_faskes f on f.kode_kec = k.kode and f.kode_kab = k.kode_kab
left join n_desa nd on nd.kode_kec = k.kode
where k.level = 'kecamatan' and k.kode_kab is not null
group by k.kode_kab, k.kode;
