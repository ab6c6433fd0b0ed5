-- name: kab_faskes
-- title: Kecamatan fasilitas yang disentuh impor | Kecamatan of the facilities an import touched
-- grain: one row per distinct kecamatan code (faskes.kode_kec) of the facilities listed
-- params: $kode (VARCHAR[]: kode_faskes of the imported rows: SPM numerators, staffing, ILP status; or of a facility list before it is written: the kecamatan its facilities leave, ilp.fakta.kabs_left)
-- source: faskes. ilp/fakta.py takes the kab/kota from the first 5 characters, as for the other inputs (INPUTS)
select distinct kode_kec from faskes where kode_faskes in (select unnest($kode::varchar[]))
