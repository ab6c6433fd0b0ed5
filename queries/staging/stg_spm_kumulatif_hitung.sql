-- name: stg_spm_kumulatif_hitung
-- title: Pembilang SPM kumulatif per Puskesmas, dihitung langsung (staging) | SPM year-to-date numerator by Puskesmas, computed live (staging)
-- grain: one row per Puskesmas x layanan x tahun x bulan (1..12), for every year in which the Puskesmas reported the service
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_spm (monthly numerators, desa rows summed), faskes (Puskesmas only) and wilayah (their kecamatan and
-- kab/kota). The rule behind fakta_spm_kumulatif (ilp/fakta.py); queries/spm/capaian_*.sql read it through
-- stg_spm_kumulatif. A month with no report is missing (jumlah_bulan null), never 0; pembilang and bulan_terakhir are
-- null until the first report of the year.
create or replace view stg_spm_kumulatif_hitung as
with bulanan as (
    select tahun, bulan, kode_puskesmas, layanan, sum(jumlah)::bigint as jumlah
    from fakta_spm
    group by all
),
pk as (
    select f.kode_faskes as kode_puskesmas, f.kode_kec, k.kode_kab
    from faskes f join wilayah k on k.kode = f.kode_kec
    where f.jenis = 'puskesmas' and k.kode_kab is not null
),
tahunan as (select distinct tahun, kode_puskesmas, layanan from bulanan),
bulan as (select unnest(range(1, 13))::integer as bulan)
select pk.kode_kab, pk.kode_kec, t.kode_puskesmas, t.layanan, t.tahun, b.bulan,
       m.jumlah as jumlah_bulan,
       (sum(m.jumlah) over w)::bigint as pembilang,
       max(m.bulan) over w as bulan_terakhir
from tahunan t
join pk using (kode_puskesmas)
cross join bulan b
left join bulanan m on m.tahun = t.tahun and m.kode_puskesmas = t.kode_puskesmas and m.layanan = t.layanan
     and m.bulan = b.bulan
window w as (partition by t.kode_puskesmas, t.layanan, t.tahun order by b.bulan);
