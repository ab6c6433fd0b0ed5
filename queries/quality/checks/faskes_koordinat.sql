-- name: faskes_koordinat
-- title: Koordinat fasilitas di luar Indonesia | Facility coordinates outside Indonesia
-- grain: one row per faskes with a coordinate outside latitude -11..6 or longitude 95..141.5 (only one of lat/lon given counts too)
-- params: $kab (VARCHAR or NULL = every kab/kota)
-- source: faskes (lat, lon, degrees EPSG:4326); the box around Indonesia is a range test, not a boundary test
select f.kode_faskes, f.nama, f.lat, f.lon
from faskes f
where ((f.lat is null) <> (f.lon is null)
       or f.lat not between -11.0 and 6.0 or f.lon not between 95.0 and 141.5)
  and ($kab is null or left(f.kode_kec, 5) = $kab)
order by f.kode_faskes
