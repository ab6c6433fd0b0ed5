-- name: jaringan_kecamatan
-- title: Jaringan ILP per kecamatan | ILP network by kecamatan
-- grain: one row per kecamatan of the kab/kota
-- params: $kab (VARCHAR), $tahun (INTEGER, year of sasaran balita), $sumber_sasaran (VARCHAR, e.g. 'PUSDATIN')
-- source: stg_jaringan_kecamatan (counts of the network written at import: queries/staging/stg_jaringan_kecamatan_hitung.sql, over wilayah, faskes, the latest staffing, ilp_puskesmas, ilp_posyandu), stg_jaringan_mulai (Puskesmas per ILP start date: ILP once mulai <= today, decided when asked), sasaran (spm04 balita per desa, chosen year and source)
with ilp as (
    select kode_kec, sum(n_puskesmas)::bigint as puskesmas_ilp
    from stg_jaringan_mulai
    where kode_kab = $kab and mulai <= current_date
    group by all
),
balita as (
    select d.kode_kec, sum(s.jumlah) as sasaran_balita
    from sasaran s join wilayah d on d.kode = s.kode_unit
    where d.level = 'desa' and d.kode_kab = $kab
      and s.jenis_unit = 'desa' and s.layanan = 'spm04' and s.tahun = $tahun and s.sumber = $sumber_sasaran
    group by all
)
select j.kode_kec as kode, k.nama,
       j.n_desa, j.desa_dengan_pustu, j.n_pustu, j.pustu_lengkap, j.pustu_ada_data_tenaga,
       j.n_puskesmas, j.n_puskesmas_ranap, coalesce(i.puskesmas_ilp, 0) as puskesmas_ilp, j.puskesmas_ada_status,
       j.n_poskesdes, j.n_posyandu, j.posyandu_ilp, j.posyandu_ada_status, j.n_kader, j.posyandu_ada_data_kader,
       b.sasaran_balita
from stg_jaringan_kecamatan j
join wilayah k on k.kode = j.kode_kec
left join ilp i on i.kode_kec = j.kode_kec
left join balita b on b.kode_kec = j.kode_kec
where j.kode_kab = $kab
order by j.kode_kec
