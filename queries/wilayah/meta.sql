-- name: meta
-- title: Pengaturan basis data | Database settings
-- grain: one row per key
-- params: (none)
-- source: meta
select key, value from meta order by key
