-- name: import_log
-- title: Riwayat impor | Import log
-- grain: one row per import attempt, newest first
-- params: (none)
-- source: import_log
select waktu, pengguna, jenis, nama_file, sha256, baris_dibaca, baris_diimpor, baris_ditolak, status, file_tersimpan
from import_log
order by waktu desc
limit 200
