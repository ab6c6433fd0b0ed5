-- name: cap_simpan
-- title: Simpan cap data fakta | Record the facts' data stamp
-- grain: statement: one row in fakta_status ('*')
-- params: $cap (VARCHAR)
-- source: queries/fakta/cap.sql
insert or replace into fakta_status values ('*', $cap)
