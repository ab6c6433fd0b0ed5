"""python -m ilp import KIND FILE [--db PATH] [--accept-valid] [--sheet NAME] [--kab 35.23 ...]
                                  [--level kecamatan|desa] [--xwalk FILE] [--user NAME] [--lang id|en]

Same code path as the Kelola Data page (ilp.ingest.runner). Exit code 0 = the file was imported
(with --accept-valid: its valid rows), 1 = nothing was imported (rejected rows, bad file, or error).
Also runs standalone: python -m ilp.cli_import KIND FILE ...
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

MAX_PRINTED = 200


def _default_user() -> str:
    try:
        return os.environ.get("ILP_USER") or getpass.getuser()
    except Exception:
        return "cli"


def configure(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    from ilp.ingest.runner import KIND_NAMES
    p.add_argument("kind", metavar="KIND", choices=KIND_NAMES, help="jenis data / import kind: " + ", ".join(KIND_NAMES))
    p.add_argument("file", metavar="FILE", help="CSV, XLSX or geo file")
    p.add_argument("--db", default=None, help="DuckDB file (default: $ILP_DB or data/ilp.duckdb)")
    p.add_argument("--accept-valid", action="store_true",
                   help="import the valid rows even if some rows are rejected (they are reported)")
    p.add_argument("--sheet", default=None, help="Excel sheet name or number (default: the first sheet)")
    p.add_argument("--kab", nargs="+", action="extend", default=None, metavar="KODE",
                   help="kab/kota code(s) to keep, e.g. 35.23 (wilayah, boundaries, faskes)")
    p.add_argument("--level", choices=("kecamatan", "desa"), default=None, help="boundary level (boundaries)")
    p.add_argument("--xwalk", default=None, help="BPS-Kemendagri crosswalk CSV, loaded with the code list (wilayah)")
    p.add_argument("--sumber", default=None, help="eppgbm: EPPGBM | ASIK | SERENTAK_2024; rekap: source label")
    p.add_argument("--periode", default=None, metavar="YYYY-MM", help="rekap: period when the file has none")
    p.add_argument("--kolom", action="append", default=None, metavar='TARGET=HEADER',
                   help='rekap: map a header, e.g. --kolom diukur="Jml Ukur" (targets: unit puskesmas kecamatan desa '
                        'kode diukur pendek sangat_pendek stunting prevalensi periode bulan tahun)')
    p.add_argument("--jenis-unit", choices=("puskesmas", "kecamatan", "desa"), default=None, help="rekap: unit level")
    p.add_argument("--user", default=None, help="who imports (logged; default: the OS user)")
    p.add_argument("--lang", choices=("id", "en"), default=None, help="message language (default: id)")
    p.add_argument("--report", default=None, help="write the rejected rows to this CSV")
    return p


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("import", help="import a file (kinds: wilayah, boundaries, faskes, tenaga, sasaran, spm, "
                                             "eppgbm, rekap, survei, target)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    configure(p)
    p.set_defaults(func=main)
    return p


def _options(args) -> dict:
    opts: dict = {}
    if args.sheet:
        opts["sheet"] = args.sheet
    if args.kab:
        opts["kab"] = [k for item in args.kab for k in str(item).replace(",", " ").split() if k]
    if args.level:
        opts["level"] = args.level
    if args.xwalk:
        opts["xwalk"] = args.xwalk
    for key in ("sumber", "periode", "kolom", "jenis_unit"):
        if getattr(args, key, None):
            opts[key] = getattr(args, key)
    return opts


def main(args) -> int:
    from ilp import config, db
    from ilp.ingest import runner

    lang = args.lang or (config.get("lang") if config.get("lang") in ("id", "en") else "id")
    path = Path(args.file)
    if not path.is_file():
        print(("file tidak ditemukan: " if lang == "id" else "file not found: ") + str(path), file=sys.stderr)
        return 1
    if args.kind not in runner.REGISTRY:
        why = runner.unavailable_kinds().get(args.kind, "")
        print((f"jenis impor '{args.kind}' belum tersedia" if lang == "id" else f"import kind '{args.kind}' is not available")
              + (f" ({why})" if why else ""), file=sys.stderr)
        return 1
    try:
        con = db.connect(config.db_path(args.db))
    except Exception as e:
        print(("database tidak bisa dibuka: " if lang == "id" else "cannot open the database: ") + str(e), file=sys.stderr)
        return 1
    # Boundary files routinely carry features of neighbouring districts or new desa: the matched
    # features go in, the unmatched ones are listed, and only a file where nothing matched fails.
    accept = args.accept_valid or args.kind == "boundaries"
    try:
        res = runner.run_import(con, args.kind, path, path.name, args.user or _default_user(),
                                options=_options(args), accept_valid=accept)
    finally:
        con.close()
    for n in res.notes:
        print(("catatan: " if lang == "id" else "note: ") + n)
    out = sys.stdout if res.ok else sys.stderr
    for p in res.problems[:MAX_PRINTED]:
        print(p.text(lang, res.file_name), file=out)
    if len(res.problems) > MAX_PRINTED:
        more = len(res.problems) - MAX_PRINTED
        print(f"... dan {more} masalah lain" if lang == "id" else f"... and {more} more problems", file=out)
    if args.report and res.problems:
        runner.rejected_report(res.problems).write_csv(args.report)
        print(("laporan baris ditolak: " if lang == "id" else "rejected-rows report: ") + args.report, file=out)
    if not res.ok and res.rows_rejected and not args.accept_valid and not any(p.row is None for p in res.problems):
        print("tidak ada yang diimpor; perbaiki baris di atas, atau pakai --accept-valid untuk mengimpor baris yang sah saja"
              if lang == "id" else
              "nothing was imported; fix the rows above, or use --accept-valid to import the valid rows only", file=out)
    print(res.summary(lang), file=out)
    if args.kind == "boundaries":
        matched = [n for n in res.notes if n.startswith("matched ")]
        if matched:
            print(matched[-1], file=out)  # the last line: 'matched N of M' (features)
    return 0 if res.ok else 1


def build_parser() -> argparse.ArgumentParser:
    return configure(argparse.ArgumentParser(prog="python -m ilp.cli_import", description=__doc__,
                                             formatter_class=argparse.RawDescriptionHelpFormatter))


if __name__ == "__main__":
    sys.exit(main(build_parser().parse_args()))
