-- name: mutu_sebaran_haz
-- title: Sebaran z-skor TB/U per 0,5 SD | Distribution of HAZ in 0.5 SD bins
-- grain: one row per tingkat (kabkota, kecamatan, puskesmas) x kode x periode x bin (lower edge, -5 .. 4.5)
-- params: $kab (VARCHAR)
-- source: stg_ukur_semua, one measurement per child per round, unflagged HAZ only (WHO flags excluded)
with u as (
    select * from stg_ukur_semua
    where kode_kab = $kab and jenis = 'ronde' and periode is not null and ulang_ke = 1
          and haz is not null and flag_haz = 0
),
t as (
    select 'kabkota' as tingkat, kode_kab as kode, periode, haz from u
    union all select 'kecamatan', kode_kec, periode, haz from u
    union all select 'puskesmas', kode_puskesmas, periode, haz from u where kode_puskesmas is not null
)
select tingkat, kode, periode, greatest(least(floor(haz * 2) / 2, 4.5), -5.0) as bin, count(*) as n
from t
group by all
order by tingkat, kode, periode, bin
