-- name: stg_ukur_ronde
-- title: Pengukuran per anak per ronde (staging) | Measurements per child per round (staging)
-- grain: one row per kab/kota x child x periode x jenis: the latest measurement with a valid (computed, unflagged) HAZ
-- params: none (a view, created by ilp.db.init_schema)
-- source: fakta_ukur_ronde, written at import from stg_ukur_ronde_hitung (the rule and the weighing window
-- are defined there and in stg_ukur_bulan). When the table is older than the data (rows written outside an
-- import), ilp.db.run reads the live rule instead (ilp/fakta.py).
create or replace view stg_ukur_ronde as
select * from fakta_ukur_ronde;
