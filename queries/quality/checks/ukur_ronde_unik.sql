-- name: ukur_ronde_unik
-- title: Anak tercatat lebih dari sekali dalam satu ronde | Children counted more than once in a round
-- grain: one row per kab/kota x child x periode x jenis appearing more than once in stg_ukur_ronde (uniqueness of the staging model: a child counts once per round in each kab/kota)
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: stg_ukur_ronde. The keys are first grouped by their 64-bit hash (cheap to group, unlike the text ids);
-- only rows whose hash repeats are grouped by the keys themselves, so a hash collision is never reported.
with h as (
    select hash(kode_kab, id_anak, periode, jenis) as k
    from stg_ukur_ronde
    where $kab is null or kode_kab = $kab
    group by 1
    having count(*) > 1
)
select kode_kab, id_anak, periode, jenis, count(*) as baris
from stg_ukur_ronde
where ($kab is null or kode_kab = $kab) and hash(kode_kab, id_anak, periode, jenis) in (select k from h)
group by all
having count(*) > 1
order by periode, id_anak
