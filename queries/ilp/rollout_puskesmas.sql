-- name: rollout_puskesmas
-- title: Tahapan penerapan ILP per Puskesmas | ILP rollout by Puskesmas
-- grain: one row per Puskesmas
-- params: $kab (VARCHAR)
-- source: faskes, ilp_puskesmas, ilp_posyandu
select p.kode_faskes, p.nama, k.kode as kode_kec, k.nama as kecamatan, p.rawat_inap,
       i.tahap, i.mulai, coalesce(i.sk_klaster, false) as sk_klaster,
       i.mulai is not null and i.mulai <= current_date as sudah_ilp,
       (select count(*) from faskes y where y.kode_induk = p.kode_faskes and y.jenis = 'posyandu' and y.aktif) as n_posyandu,
       (select count(*) from faskes y join ilp_posyandu ip on ip.kode_posyandu = y.kode_faskes
         where y.kode_induk = p.kode_faskes and y.jenis = 'posyandu' and y.aktif and ip.semua_siklus_hidup) as posyandu_ilp
from faskes p
join wilayah k on k.kode = p.kode_kec
left join ilp_puskesmas i on i.kode_puskesmas = p.kode_faskes
where p.jenis = 'puskesmas' and k.kode_kab = $kab
order by i.tahap nulls last, i.mulai nulls last, p.nama
