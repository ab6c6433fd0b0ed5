-- name: batas_tanpa_wilayah
-- title: Batas wilayah tanpa kode wilayah | Boundaries without a matching area code
-- grain: one row per batas_wilayah polygon whose kode is not a wilayah of the same level
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: batas_wilayah (foreign key kode -> wilayah.kode with the same level)
select b.kode, b.level, b.sumber
from batas_wilayah b
left join wilayah w on w.kode = b.kode and w.level = b.level
where w.kode is null and ($kab is null or left(b.kode, 5) = $kab)
order by b.kode
