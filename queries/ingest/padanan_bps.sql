-- name: padanan_bps
-- title: Padanan kode BPS ke Kemendagri | BPS to Kemendagri code crosswalk
-- grain: one row per crosswalk pair
-- params: (none)
-- source: xwalk_bps_dagri
select kode_bps, level, kode_dagri
from xwalk_bps_dagri
order by level, kode_bps
