-- name: stg_desa_puskesmas
-- title: Puskesmas penghitung tiap desa (staging) | The one Puskesmas each desa counts in (staging)
-- grain: one row per desa that lies in at least one Puskesmas catchment (wilayah_kerja)
-- params: none (a view, created by ilp.db.init_schema)
-- source: wilayah_kerja, faskes, wilayah
-- Counting once (documented in docs/metode.md): a desa shared by two catchments counts in ONE Puskesmas:
-- the active Puskesmas that stands in the desa's own kecamatan first, then the lowest kode_faskes.
-- n_puskesmas says how many catchments hold the desa (> 1 = shared).
create or replace view stg_desa_puskesmas as
select wk.kode_desa, wk.kode_puskesmas, count(*) over (partition by wk.kode_desa) as n_puskesmas
from wilayah_kerja wk
left join faskes f on f.kode_faskes = wk.kode_puskesmas
left join wilayah d on d.kode = wk.kode_desa
qualify row_number() over (
    partition by wk.kode_desa
    order by (f.aktif is not false and f.jenis = 'puskesmas') desc, (f.kode_kec = d.kode_kec) desc nulls last,
             wk.kode_puskesmas) = 1;
