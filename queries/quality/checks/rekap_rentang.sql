-- name: rekap_rentang
-- title: Rekap stunting: unit tidak dikenal atau jumlah tidak masuk akal | Stunting recap: unknown unit or impossible counts
-- grain: one row per rekap_stunting row whose unit is unknown, whose pendek + sangat_pendek exceeds diukur, or whose periode is not 'YYYY-MM'
-- params: $kab (VARCHAR or NULL = every kab/kota; rows of an unknown unit have no kab and are always listed)
-- source: stg_rekap_unit (rekap_stunting with the unit's kecamatan)
select periode, jenis_unit, kode_unit, diukur, pendek, sangat_pendek,
       case when kode_kec is null or kode_kab is null then 'kode_unit'
            when not regexp_full_match(periode, '[0-9]{4}-(0[1-9]|1[0-2])') then 'periode'
            else 'jumlah' end as masalah
from stg_rekap_unit
where (kode_kec is null or kode_kab is null or pendek + sangat_pendek > diukur
       or not regexp_full_match(periode, '[0-9]{4}-(0[1-9]|1[0-2])'))
  and ($kab is null or kode_kab is null or kode_kab = $kab)
order by periode, jenis_unit, kode_unit
