"""python -m ilp <command>: demo, import, zscore, brief, mutu, perbarui-fakta, hash-password.

The database path is --db PATH, else the ILP_DB environment variable, else data/ilp.duckdb.
"""
from __future__ import annotations

import argparse
import sys
import time

from ilp import config


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, help="path of the DuckDB file (default: $ILP_DB or data/ilp.duckdb)")


def _lang(a) -> str:
    lang = getattr(a, "lang", None) or config.get("lang")
    return lang if lang in ("id", "en") else "id"


def cmd_demo(a) -> int:
    from ilp import demo
    from ilp.i18n import t
    path = config.db_path(a.db)
    t0 = time.perf_counter()
    if getattr(a, "provinsi", False):
        from ilp.demo import provinsi
        counts = provinsi.build(path, n_kab=a.provinsi, seed=a.seed)
    else:
        counts = demo.build(path, seed=a.seed)
    print(t("impor.cli.demo_dibangun", _lang(a), path=path, detik=f"{time.perf_counter() - t0:.1f}"))
    for k, v in counts.items():
        print(f"  {k}: {v}")
    return 0


def cmd_zscore(a) -> int:
    from ilp.i18n import t
    from ilp.ingest.zscore_csv import ZscoreError, zscore_file
    lang = _lang(a)
    try:
        res = zscore_file(a.input, a.output, lang)
    except ZscoreError as e:
        for p in e.problems:
            print(t("impor.zscore.gagal", lang, isi=p.text(lang, a.input)), file=sys.stderr)
        return 1
    except OSError as e:
        print(t("impor.zscore.gagal", lang, isi=e), file=sys.stderr)
        return 1
    print(t("impor.zscore.selesai", lang, out=a.output, **res))
    return 0


def cmd_brief(a) -> int:
    from ilp import briefing, db
    con = db.connect(config.db_path(a.db), read_only=True)
    try:
        build = briefing.build_pptx if str(a.out).lower().endswith(".pptx") else briefing.build_pdf
        out = build(con, a.out, kab=a.kab, lang=a.lang)
    finally:
        con.close()
    from ilp.i18n import t
    print(t("impor.cli.ringkasan_ditulis", a.lang, path=out))
    return 0


def cmd_mutu(a) -> int:
    from functools import partial

    from ilp import db
    from ilp.i18n import t
    from ilp.mutu import report
    lang = _lang(a)
    con = db.connect(config.db_path(a.db), read_only=True)
    try:
        kab = a.kab or db.get_meta(con, "kode_kab")
        if not kab:
            print(t("mutu.cli.tanpa_kab", lang), file=sys.stderr)
            return 1
        try:
            counts = report.write(partial(db.run, con), kab, a.out, lang)
        except (ValueError, OSError) as e:
            print(t("mutu.cli.gagal", lang, isi=e), file=sys.stderr)
            return 1
    finally:
        con.close()
    print(t("mutu.cli.ditulis", lang, path=a.out, baris=counts.get("ringkas", 0), lembar=len(counts)))
    return 0


def cmd_hash(a) -> int:
    import getpass

    from ilp.passwords import hash_password
    from ilp.i18n import t
    pw = a.password or getpass.getpass(t("impor.cli.kata_sandi", _lang(a)))
    print(hash_password(pw))
    return 0


def cmd_perbarui_fakta(a) -> int:
    """Recompute every fact table after installing a new version (or for a database from before the facts),
    in one transaction, with progress per table. The app reads the live rule until this (or an import) runs."""
    import duckdb

    from ilp import db, fakta, fmt
    from ilp.i18n import t
    lang = _lang(a)
    path = config.db_path(a.db)
    if str(path) == ":memory:" or not path.exists():
        print(t("fakta.cli_tanpa_db", lang, db=path), file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    try:
        con = db.connect(path, refresh_facts=False)   # the schema of this version; the facts below, with progress
    except (duckdb.IOException, duckdb.ConnectionException) as e:   # another process holds the file
        print(t("fakta.cli_gagal", lang, isi=str(e).splitlines()[0][:300]), file=sys.stderr)
        return 1
    try:
        if fakta.fresh(con) and not a.paksa:
            print(t("fakta.cli_sudah", lang, db=path))
            return 0
        print(t("fakta.cli_mulai", lang, db=path, n=len(fakta.all_kab(con))), flush=True)

        def progress(table: str, rows: int, seconds: float) -> None:
            print(t("fakta.cli_tabel", lang, tabel=table, baris=fmt.num(rows, 0, lang),
                    detik=fmt.num(seconds, 1, lang)), flush=True)

        try:
            fakta.perbarui(con, progress)
        except duckdb.Error as e:
            print(t("fakta.cli_gagal", lang, isi=str(e).splitlines()[0][:300]), file=sys.stderr)
            return 1
    finally:
        con.close()
    print(t("fakta.cli_selesai", lang, detik=fmt.num(time.perf_counter() - t0, 1, lang)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ilp", description="Pantau ILP — command line")
    sub = p.add_subparsers(dest="cmd", required=True)

    d = sub.add_parser("demo", help="build the deterministic demo district (Kabupaten Contoh)")
    _add_db(d)
    d.add_argument("--seed", type=int, default=2024)
    d.add_argument("--provinsi", type=int, nargs="?", const=3, default=0, metavar="N",
                   help="Provinsi Contoh: N demo kabupaten (default 3) in one database, for the province view")
    d.set_defaults(func=cmd_demo)

    from ilp import cli_import
    cli_import.add_parser(sub)

    z = sub.add_parser("zscore", help="WHO 2006 z-scores for a CSV/Excel file of child measurements")
    z.add_argument("input")
    z.add_argument("-o", "--output", required=True)
    z.add_argument("--lang", default=None, choices=["id", "en"], help="language of the 'error' column and messages")
    z.set_defaults(func=cmd_zscore)

    b = sub.add_parser("brief", help="the Bupati briefing as an A4 landscape PDF (or .pptx, one slide per topic)")
    _add_db(b)
    b.add_argument("--out", required=True)
    b.add_argument("--kab", default=None, help="kab/kota code (default: the database's district)")
    b.add_argument("--lang", default="id", choices=["id", "en"])
    b.set_defaults(func=cmd_brief)

    m = sub.add_parser("mutu", help="data-quality report (WHO/UNICEF 2019 checks) as FILE.csv or FILE.xlsx")
    _add_db(m)
    m.add_argument("--out", required=True)
    m.add_argument("--kab", default=None, help="kab/kota code (default: the database's district)")
    m.add_argument("--lang", default=None, choices=["id", "en"])
    m.set_defaults(func=cmd_mutu)

    f = sub.add_parser("perbarui-fakta", help="recompute the fact tables (after installing a new version; the app "
                                              "computes figures live, slower, until this or an import runs)")
    _add_db(f)
    f.add_argument("--paksa", action="store_true", help="recompute even when the facts are up to date")
    f.add_argument("--lang", default=None, choices=["id", "en"])
    f.set_defaults(func=cmd_perbarui_fakta)

    h = sub.add_parser("hash-password", help="print a salted hash for an editor login (for secrets/ILP_EDITORS)")
    h.add_argument("--password", default=None)
    h.set_defaults(func=cmd_hash)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
