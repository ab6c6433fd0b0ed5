-- Pantau ILP: DuckDB schema.
-- Conventions: `kode` is always the dotted Kemendagri code (35.23.01.2001). Counts are raw
-- numerators/denominators and are never clipped; capaian (achievement) is computed in queries.
-- Every fact row records `sumber` (source) and, where it came from a file, `import_id`.
-- Idempotent: every statement is `create ... if not exists`.

create table if not exists meta (
    key   varchar primary key,  -- setting name, e.g. 'is_demo', 'kode_kab', 'nama_kab', 'data_per'
    value varchar               -- setting value as text
);

-- ---------------------------------------------------------------- wilayah
create table if not exists wilayah (
    kode     varchar primary key,  -- dotted Kemendagri code; source: Kepmendagri code list (file `versi`)
    level    varchar not null check (level in ('provinsi', 'kabkota', 'kecamatan', 'desa')),  -- administrative level; 'desa' covers desa, kelurahan and desa adat
    nama     varchar not null,     -- official name as in the code list
    parent   varchar,              -- kode of the parent area (null for provinsi)
    kode_kab varchar,              -- kode of the kab/kota the area lies in (null for provinsi)
    kode_kec varchar,              -- kode of the kecamatan (desa only)
    jenis    varchar not null,     -- provinsi | kabupaten | kota | kecamatan | desa | kelurahan | desa_adat (from the code: kab 01-69 / kota 71-99; desa prefix 1/2/3)
    versi    varchar not null      -- code-list version, e.g. 'KEPMENDAGRI_300.2.2-2138_2025' or 'DEMO'
);

create table if not exists xwalk_bps_dagri (
    kode_bps   varchar not null,   -- BPS code without dots (kab 4 digits, kecamatan 7 digits)
    level      varchar not null check (level in ('kabkota', 'kecamatan', 'desa')),  -- level of both codes
    nama_bps   varchar,            -- name as written by BPS
    kode_dagri varchar not null,   -- dotted Kemendagri code
    nama_dagri varchar,            -- name as written by Kemendagri
    sumber     varchar not null,   -- e.g. 'BPS bridging 2020'
    valid_from date,               -- first day the pair is valid (null = unknown)
    valid_to   date,               -- last day the pair is valid (null = still valid)
    primary key (kode_bps, kode_dagri)
);

create table if not exists batas_wilayah (
    kode        varchar primary key,  -- dotted Kemendagri code of the polygon's area
    level       varchar not null check (level in ('kecamatan', 'desa')),
    geom_wkb    blob not null,        -- full geometry, WKB, EPSG:4326
    geojson     varchar not null,     -- simplified geometry for the map (GeoJSON geometry, shared borders kept, coordinates rounded)
    luas_km2    double,               -- area in km2 computed in an equal-area projection (indicative: polygons may be simplified)
    lat         double,               -- representative point latitude (degrees, EPSG:4326)
    lon         double,               -- representative point longitude (degrees, EPSG:4326)
    aturan_cocok varchar not null,    -- how the feature was matched: kode | kode_bps | nama | nama_fuzzy | demo
    sumber      varchar not null,     -- source file or dataset
    import_id   varchar               -- import_log.import_id, null for the demo
);

-- ---------------------------------------------------------------- fasilitas
create table if not exists faskes (
    kode_faskes   varchar primary key, -- facility code (Kemenkes code for Puskesmas, e.g. P3523090101; local code otherwise); opaque ID
    nama          varchar not null,    -- facility name
    jenis         varchar not null check (jenis in ('puskesmas', 'pustu', 'poskesdes', 'polindes', 'pkd', 'ponkesdes', 'pusling', 'posyandu', 'rumah_sakit', 'klinik')),
    rawat_inap    boolean,             -- Puskesmas only: true = rawat inap, false = non rawat inap
    kode_kec      varchar not null,    -- kecamatan kode (Kemendagri) where the facility stands
    kode_desa     varchar,             -- desa/kelurahan kode where it stands (null if unknown, e.g. hospitals from the 2019 list)
    kode_induk    varchar,             -- parent Puskesmas kode_faskes (Pustu, Poskesdes, Posyandu, Pusling)
    dusun_rw      varchar,             -- Posyandu: dusun / RW served (free text)
    lat           double,              -- latitude, degrees EPSG:4326 (null if unknown)
    lon           double,              -- longitude, degrees EPSG:4326 (null if unknown)
    aktif         boolean not null default true,  -- false = closed / not operating
    aturan_lokasi varchar not null,    -- how kode_kec was determined: kode | crosswalk_bps | titik_dalam_poligon | poligon_terdekat (≤ 2 km outside every polygon) | demo
    sumber        varchar not null,    -- source dataset, e.g. 'Kemenkes faskes 2019'
    import_id     varchar
);

create table if not exists wilayah_kerja (
    kode_puskesmas varchar not null,  -- faskes.kode_faskes of a Puskesmas
    kode_desa      varchar not null,  -- desa/kelurahan in its catchment (wilayah kerja)
    sumber         varchar not null,
    primary key (kode_puskesmas, kode_desa)
);

create table if not exists tenaga (
    kode_faskes  varchar not null,   -- Pustu (perawat, bidan) or Posyandu (kader)
    jenis_tenaga varchar not null check (jenis_tenaga in ('perawat', 'bidan', 'kader', 'dokter', 'gizi', 'kesling', 'lainnya')),
    jumlah       integer not null check (jumlah >= 0),  -- head count on per_tanggal (persons)
    per_tanggal  date not null,      -- date of the staffing snapshot
    sumber       varchar not null,   -- e.g. 'SISDMK', 'laporan Puskesmas'
    import_id    varchar,
    primary key (kode_faskes, jenis_tenaga, per_tanggal)
);

-- ---------------------------------------------------------------- ILP rollout
create table if not exists ilp_puskesmas (
    kode_puskesmas varchar primary key,  -- faskes.kode_faskes
    tahap          integer not null check (tahap between 0 and 9),  -- rollout phase: 1 = pilot (lokus), 2, 3 ... ; 0 = not yet planned
    mulai          date,                 -- date ILP started (null = not started)
    sk_klaster     boolean not null default false,  -- SK (decree) on the cluster structure signed
    sumber         varchar not null,
    import_id      varchar
);

create table if not exists ilp_posyandu (
    kode_posyandu      varchar primary key,  -- faskes.kode_faskes of a Posyandu
    semua_siklus_hidup boolean not null,     -- serves every life stage (ILP Posyandu)
    lapor_asik         boolean not null,     -- reports through ASIK
    per_tanggal        date not null,        -- date of the status
    sumber             varchar not null,
    import_id          varchar
);

-- ---------------------------------------------------------------- SPM
create table if not exists layanan_spm (
    layanan  varchar primary key,  -- 'spm01' .. 'spm12'
    no       integer not null,     -- 1..12, order of Permenkes 4/2019
    nama_id  varchar not null,     -- Indonesian name
    nama_en  varchar not null,     -- English name
    sasaran  varchar not null      -- denominator definition (Indonesian)
);

create table if not exists sasaran (
    tahun      integer not null,   -- year the target population applies to
    kode_unit  varchar not null,   -- Puskesmas kode_faskes, or a wilayah kode
    jenis_unit varchar not null check (jenis_unit in ('puskesmas', 'desa', 'kecamatan', 'kabkota')),
    layanan    varchar not null,   -- layanan_spm.layanan ('spm04' = balita 0-59 bulan, also the denominator for measurement coverage)
    sumber     varchar not null check (sumber in ('PUSDATIN', 'BPS_PROJ', 'DUKCAPIL', 'RIIL')),  -- Pusdatin estimate, BPS projection, Dukcapil registry, real count
    jumlah     double not null check (jumlah >= 0),  -- persons
    import_id  varchar,
    primary key (tahun, kode_unit, layanan, sumber)
);

create table if not exists fakta_spm (
    tahun          integer not null,
    bulan          integer not null check (bulan between 1 and 12),
    kode_puskesmas varchar not null,   -- reporting Puskesmas
    kode_desa      varchar not null default '',  -- desa where available, '' = whole Puskesmas
    layanan        varchar not null,   -- layanan_spm.layanan
    jumlah         integer not null check (jumlah >= 0),  -- persons served to standard in that month (numerator; summed for year to date)
    sumber         varchar not null,
    import_id      varchar,
    primary key (tahun, bulan, kode_puskesmas, kode_desa, layanan)
);

-- ---------------------------------------------------------------- stunting
create table if not exists pengukuran (
    id_anak        varchar not null,  -- pseudonymous child id: salted SHA-256 of the NIK (NIK and names are never stored)
    jk             tinyint not null check (jk in (1, 2)),  -- sex: 1 = laki-laki, 2 = perempuan
    tgl_lahir      date not null,
    tgl_ukur       date not null,
    berat_kg       double check (berat_kg > 0 and berat_kg < 60),    -- weight, kg
    tinggi_cm      double check (tinggi_cm > 30 and tinggi_cm < 140), -- length/height as measured, cm
    cara_ukur      varchar check (cara_ukur in ('L', 'H')),          -- L = telentang (lying), H = berdiri (standing), null = unknown
    kode_desa      varchar not null,  -- desa of residence (Kemendagri)
    kode_posyandu  varchar,           -- faskes.kode_faskes of the Posyandu, if known
    kode_puskesmas varchar,           -- faskes.kode_faskes of the Puskesmas, if known
    zs_tbu_lapor   double,            -- the export's own 'ZS TB/U', kept for QA only
    umur_hari      integer,           -- age in whole days at measurement (computed)
    haz            double,            -- length/height-for-age z (WHO 2006, recomputed)
    waz            double,            -- weight-for-age z
    whz            double,            -- weight-for-length/height z
    baz            double,            -- BMI-for-age z
    flag_haz       tinyint,           -- 1 = implausible (WHO flag), null = no z
    flag_waz       tinyint,
    flag_whz       tinyint,
    flag_baz       tinyint,
    sumber         varchar not null check (sumber in ('EPPGBM', 'ASIK', 'SERENTAK_2024', 'DEMO')),
    import_id      varchar,
    primary key (id_anak, tgl_ukur)
);

create table if not exists rekap_stunting (
    periode           varchar not null,  -- 'YYYY-MM' of the weighing round
    jenis_unit        varchar not null check (jenis_unit in ('puskesmas', 'kecamatan', 'desa')),
    kode_unit         varchar not null,  -- Puskesmas kode_faskes or wilayah kode
    diukur            integer not null check (diukur >= 0),        -- children measured (length/height)
    pendek            integer not null check (pendek >= 0),        -- -3 <= HAZ < -2
    sangat_pendek     integer not null check (sangat_pendek >= 0), -- HAZ < -3
    stunting_lapor    integer,           -- reported stunting total, if the file had one
    prevalensi_lapor  double,            -- reported prevalence %, if the file had one
    flag_inkonsisten  varchar,           -- why the row is inconsistent (null = consistent)
    sumber            varchar not null,
    import_id         varchar,
    primary key (periode, jenis_unit, kode_unit)
);

create table if not exists survei_stunting (
    kode_wilayah varchar not null,   -- kab/kota kode (or '00' for national)
    survei       varchar not null check (survei in ('RISKESDAS', 'SSGBI', 'SSGI', 'SKI')),
    tahun        integer not null,
    prevalensi   double not null check (prevalensi between 0 and 100),  -- %, stunting (TB/U < -2 SD) among under-fives
    ci_bawah     double,             -- lower 95% CI, % (null = not published)
    ci_atas      double,             -- upper 95% CI, %
    sumber       varchar not null,   -- citation / URL
    import_id    varchar,
    primary key (kode_wilayah, survei, tahun)
);

create table if not exists target (
    indikator    varchar not null,   -- indicator id, e.g. 'stunting_prevalensi'
    tahun        integer not null,
    tingkat      varchar not null check (tingkat in ('nasional', 'kabkota')),
    kode_wilayah varchar not null default '',  -- '' for national targets
    nilai        double not null,    -- target value in the indicator's unit
    dasar        varchar not null,   -- legal basis, e.g. 'Perpres 72/2021'
    sumber       varchar,            -- URL or document
    import_id    varchar,
    primary key (indikator, tahun, tingkat, kode_wilayah)
);

-- ---------------------------------------------------------------- imports
create table if not exists import_log (
    import_id      varchar primary key,  -- uuid
    waktu          timestamp not null,   -- when (local time of the server)
    pengguna       varchar not null,     -- who
    jenis          varchar not null,     -- import kind (wilayah, boundaries, faskes, ...)
    nama_file      varchar not null,     -- original file name (sanitised)
    sha256         varchar not null,     -- checksum of the raw file
    baris_dibaca   integer not null,
    baris_diimpor  integer not null,
    baris_ditolak  integer not null,
    status         varchar not null,     -- 'berhasil' | 'sebagian' | 'gagal' | 'dibatalkan'
    file_tersimpan varchar               -- path of the kept raw file under data/uploads/
);

-- ---------------------------------------------------------------- facts computed at import
-- Written by ilp/fakta.py inside the import's transaction (and by the demo build), per kab/kota touched,
-- from the live rules in queries/staging/*_hitung.sql; the dashboard reads these through the stg_ views.
create table if not exists fakta_ukur_ronde (
    id_anak        varchar not null,  -- pseudonymous child id (hashed NIK or psd-...)
    jk             tinyint,           -- 1 = laki-laki, 2 = perempuan
    tgl_ukur       date not null,     -- date of the measurement that counts (the latest valid one in the round)
    umur_hari      integer,           -- age in days at measurement
    haz            double,            -- height-for-age z-score (WHO 2006), valid and unflagged
    kode_desa      varchar not null,  -- desa of the measurement
    kode_posyandu  varchar,
    kode_puskesmas varchar,           -- the Puskesmas recorded with the measurement (null if none)
    kode_puskesmas_hitung varchar,    -- the one Puskesmas the child counts in (recorded, else the desa's: stg_desa_puskesmas)
    kode_kec       varchar not null,
    kode_kab       varchar not null,
    jenis          varchar not null,  -- 'ronde' (February/August weighing round) | 'kampanye'
    periode        varchar not null,  -- 'YYYY-MM'
    stunting       boolean not null,  -- haz < -2
    pendek         boolean not null,  -- -3 <= haz < -2
    sangat_pendek  boolean not null,  -- haz < -3
    primary key (kode_kab, id_anak, jenis, periode)
);

create table if not exists fakta_stunting_desa (
    kode_desa     varchar not null,
    kode_kec      varchar not null,
    kode_kab      varchar not null,
    periode       varchar not null,   -- 'YYYY-MM'
    jenis         varchar not null,   -- 'ronde' | 'kampanye'
    diukur        bigint not null,    -- children with a valid measurement in the round (latest per child)
    pendek        bigint not null,
    sangat_pendek bigint not null,
    stunting      bigint not null,
    primary key (kode_desa, periode, jenis)
);

create table if not exists fakta_stunting_puskesmas (
    kode_kab       varchar not null,
    kode_puskesmas varchar,           -- the counting Puskesmas (null: no recorded Puskesmas and the desa is in no catchment)
    periode        varchar not null,
    jenis          varchar not null,
    diukur         bigint not null,
    pendek         bigint not null,
    sangat_pendek  bigint not null,
    stunting       bigint not null,
    n_desa         bigint not null    -- desa with at least one child counted in this Puskesmas
);

create table if not exists fakta_diflag (
    kode_kab varchar not null,
    periode  varchar not null,        -- calendar month of tgl_ukur, 'YYYY-MM'
    diflag   bigint not null,         -- measurements with a flagged HAZ (outside the WHO plausibility range)
    primary key (kode_kab, periode)
);

-- Data-quality facts (issue 14): the Mutu questions' aggregates, written with the facts above by
-- ilp/fakta.py per kab/kota touched, from the rules queries/staging/stg_{mutu_ringkas,mutu_umur,mutu_haz,
-- mutu_desa,kualitas}_hitung.sql (same columns, same order; the grain of each is stated there). No primary
-- key: a code missing in a source row (kode null) stays a row, as the rule gives it.
create table if not exists fakta_mutu (          -- stg_mutu_ringkas_hitung: kab x tingkat x kode x periode
    kode_kab           varchar not null,
    tingkat            varchar not null,
    kode               varchar,
    periode            varchar not null,
    n                  bigint not null,
    tanpa_jk           bigint not null,
    tanpa_tgl_lahir    bigint not null,
    tanpa_berat        bigint not null,
    tanpa_tinggi       bigint not null,
    tanpa_cara         bigint not null,
    lahir_tgl_1_15     bigint not null,
    laki               bigint not null,
    perempuan          bigint not null,
    n_haz              bigint not null,
    n_waz              bigint not null,
    n_whz              bigint not null,
    flag_haz           bigint not null,
    flag_waz           bigint not null,
    flag_whz           bigint not null,
    mean_haz           double,
    sd_haz             double,
    sd_waz             double,
    sd_whz             double,
    skew_haz           double,
    kurt_haz           double,
    skew_whz           double,
    kurt_whz           double,
    umur_bulat         bigint not null,
    umur_tetangga      bigint not null,
    n_bawah_24         bigint not null,
    berdiri_bawah_24   bigint not null,
    n_24_plus          bigint not null,
    telentang_24_plus  bigint not null,
    zs_dibandingkan    bigint not null,
    zs_beda            bigint not null,
    tinggi_d0          bigint not null,
    tinggi_d1          bigint not null,
    tinggi_d2          bigint not null,
    tinggi_d3          bigint not null,
    tinggi_d4          bigint not null,
    tinggi_d5          bigint not null,
    tinggi_d6          bigint not null,
    tinggi_d7          bigint not null,
    tinggi_d8          bigint not null,
    tinggi_d9          bigint not null,
    berat_d0           bigint not null,
    berat_d1           bigint not null,
    berat_d2           bigint not null,
    berat_d3           bigint not null,
    berat_d4           bigint not null,
    berat_d5           bigint not null,
    berat_d6           bigint not null,
    berat_d7           bigint not null,
    berat_d8           bigint not null,
    berat_d9           bigint not null,
    ganda              bigint not null
);

create table if not exists fakta_mutu_umur (
    kode_kab           varchar not null,
    tingkat            varchar not null,
    kode               varchar,
    periode            varchar not null,
    umur_bulan         bigint not null,
    n                  bigint not null
);

create table if not exists fakta_mutu_haz (
    kode_kab           varchar not null,
    tingkat            varchar not null,
    kode               varchar,
    periode            varchar not null,
    bin                double,
    n                  bigint not null
);

create table if not exists fakta_mutu_desa (
    kode_kab           varchar not null,
    kode_desa          varchar,
    periode            varchar not null,
    diukur             bigint not null
);

create table if not exists fakta_kualitas (
    kode_kab           varchar not null,
    periode            varchar not null,
    pengukuran         bigint not null,
    anak               bigint not null,
    haz_tidak_terhitung bigint not null,
    haz_diflag         bigint not null,
    waz_diflag         bigint not null,
    whz_diflag         bigint not null,
    zs_dibandingkan    bigint not null,
    zs_beda            bigint not null
);

create table if not exists fakta_spm_kumulatif (   -- stg_spm_kumulatif_hitung: SPM year to date
    kode_kab       varchar not null,  -- kab/kota of the Puskesmas (wilayah of its kecamatan)
    kode_kec       varchar not null,  -- kecamatan where the Puskesmas stands (faskes.kode_kec)
    kode_puskesmas varchar not null,
    layanan        varchar not null,
    tahun          integer not null,
    bulan          integer not null,  -- 1..12: every month of a year in which the Puskesmas reported the service
    jumlah_bulan   bigint,            -- numerator reported for this month (null = no report that month, not 0)
    pembilang      bigint,            -- year to date: sum of the reports January..bulan (null = none yet)
    bulan_terakhir integer            -- the last month with a report, January..bulan (null = none yet)
);

create table if not exists fakta_jaringan_kecamatan (   -- stg_jaringan_kecamatan_hitung: ILP network per kecamatan
    kode_kab              varchar not null,
    kode_kec              varchar not null,
    n_desa                bigint not null,
    desa_dengan_pustu     bigint not null,
    n_pustu               bigint not null,
    pustu_lengkap         bigint not null,
    pustu_ada_data_tenaga bigint not null,
    n_puskesmas           bigint not null,
    n_puskesmas_ranap     bigint not null,
    puskesmas_ada_status  bigint not null,
    n_poskesdes           bigint not null,
    n_posyandu            bigint not null,
    posyandu_ilp          bigint not null,
    posyandu_ada_status   bigint not null,
    n_kader               bigint,        -- null = no kader figure loaded for any Posyandu of the kecamatan
    posyandu_ada_data_kader bigint not null
);

create table if not exists fakta_jaringan_mulai (   -- stg_jaringan_mulai_hitung: Puskesmas by ILP start date
    kode_kab    varchar not null,
    kode_kec    varchar not null,
    mulai       date not null,           -- counted as ILP from this date on: the question compares it with today
    n_puskesmas bigint not null
);

create table if not exists fakta_status (
    kode_kab  varchar primary key,    -- '*' = the whole database
    cap       varchar not null        -- the data stamp the facts were computed from (queries/fakta/cap.sql)
);

create table if not exists skema (
    stamp varchar not null            -- checksum of schema.sql + staging views that last set up this file (ilp.db.schema_stamp)
);

-- ---------------------------------------------------------------- views
-- The staging views (stg_ukur_ronde: one row per child per round, with the weighing window;
-- stg_stunting_desa, stg_balita_sasaran_desa, stg_tenaga_terakhir, stg_rekap_unit) are in
-- queries/staging/*.sql, created after these tables by ilp.db.init_schema.
drop view if exists v_ukur_ronde;  -- replaced by stg_ukur_ronde
