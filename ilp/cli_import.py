"""python -m ilp import KIND FILE [--db PATH] [--accept-valid] [--report CSV] [--user NAME] [--lang id|en]
                                  [kind options: --sheet, --kolom TARGET=HEADER, --kab 35.23 ..., --level, --xwalk, ...]

Same code path as the Kelola Data page (ilp.ingest.runner). The kind options are generated from the
kinds' declarations (`ImportKind.options` + the common ones, `runner.kind_options`); an option given
for a kind that does not declare it is an error. Exit code 0 = the file was imported (with
--accept-valid: its valid rows), 1 = nothing was imported (rejected rows, bad file, or error).
Also runs standalone: python -m ilp.cli_import KIND FILE ...
"""
from __future__ import annotations

import argparse
import dataclasses
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


def all_options() -> dict:
    """Option name -> (Option, kinds declaring it), over every kind (first declaration gives the type)."""
    from ilp.ingest import runner
    out: dict = {}
    for name in runner.REGISTRY:
        for o in runner.kind_options(name):
            if o.name in out:
                first, kinds = out[o.name]
                choices = tuple(dict.fromkeys(first.choices + o.choices)) if first.type == "choice" else first.choices
                out[o.name] = (dataclasses.replace(first, choices=choices), kinds + (name,))
            else:
                out[o.name] = (o, (name,))
    return out


def _add_option(p: argparse.ArgumentParser, o, kinds: tuple[str, ...]) -> None:
    from ilp.i18n import t
    flag = "--" + o.name.replace("_", "-")
    helptext = f"{t(o.help, 'en')} ({', '.join(kinds)})"
    if o.type == "flag":
        p.add_argument(flag, dest=o.name, action="store_true", default=None, help=helptext)
    elif o.type == "list":
        p.add_argument(flag, dest=o.name, nargs="+", action="extend", default=None, metavar=o.metavar or "VALUE",
                       help=helptext)
    elif o.type == "mapping":
        p.add_argument(flag, dest=o.name, action="append", default=None, metavar=o.metavar or "TARGET=HEADER",
                       help=helptext)
    elif o.type == "choice":
        p.add_argument(flag, dest=o.name, choices=o.choices or None, default=None, help=helptext)
    else:  # text, file
        p.add_argument(flag, dest=o.name, default=None, metavar=o.metavar or o.name.upper(), help=helptext)


def configure(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    from ilp.ingest.runner import REGISTRY
    names = sorted(REGISTRY)
    p.add_argument("kind", metavar="KIND", choices=names, help="jenis data / import kind: " + ", ".join(names))
    p.add_argument("file", metavar="FILE", help="CSV, XLSX, XLS, ODS or geo file")
    p.add_argument("--db", default=None, help="DuckDB file (default: $ILP_DB or data/ilp.duckdb)")
    p.add_argument("--accept-valid", action="store_true",
                   help="import the valid rows even if some rows are rejected (they are reported)")
    p.add_argument("--user", default=None, help="who imports (logged; default: the OS user)")
    p.add_argument("--lang", choices=("id", "en"), default=None, help="message language (default: id)")
    p.add_argument("--report", default=None, help="write the rejected rows to this CSV")
    for o, kinds in all_options().values():
        _add_option(p, o, kinds)
    return p


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("import", help="import a file (kinds: wilayah, boundaries, faskes, tenaga, sasaran, spm, "
                                             "eppgbm, rekap, survei, target)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    configure(p)
    p.set_defaults(func=main)
    return p


def options_for(args, kind: str) -> tuple[dict, list[str]]:
    """Source.options for `kind` from the parsed flags, and the flags given that the kind does not declare."""
    from ilp.ingest import runner
    declared = {o.name: o for o in runner.kind_options(kind)}
    opts: dict = {}
    stray: list[str] = []
    for name in all_options():
        val = getattr(args, name, None)
        if val in (None, False, [], ""):
            continue
        o = declared.get(name)
        if o is None:
            stray.append(name)
        elif o.type == "list":
            opts[name] = [k for item in val for k in str(item).replace(",", " ").split() if k]
        else:
            opts[name] = val   # mapping: a list of 'TARGET=HEADER' strings (runner and kinds accept both shapes)
    return opts, stray


def main(args) -> int:
    from ilp import config, db
    from ilp.i18n import t
    from ilp.ingest import runner

    lang = args.lang or (config.get("lang") if config.get("lang") in ("id", "en") else "id")
    path = Path(args.file)
    opts, stray = options_for(args, args.kind)
    if stray:
        ada = ", ".join("--" + o.name.replace("_", "-") for o in runner.kind_options(args.kind))
        for name in stray:
            print(t("impor.cli.opsi_tidak_berlaku", lang, opsi=name.replace("_", "-"), jenis=args.kind, ada=ada),
                  file=sys.stderr)
        return 1
    if not path.is_file():
        print(t("impor.cli.file_tidak_ada", lang, path=path), file=sys.stderr)
        return 1
    try:
        con = db.connect(config.db_path(args.db))
    except db.DiskFull:
        print(t("impor.disk_penuh", lang, tempat=t("impor.tempat.database", lang)), file=sys.stderr)
        return 1
    except Exception as e:
        print(t("impor.cli.db_gagal", lang, err=e), file=sys.stderr)
        return 1
    # Boundary files routinely carry features of neighbouring districts or new desa: the matched
    # features go in, the unmatched ones are listed, and only a file where nothing matched fails.
    accept = args.accept_valid or args.kind == "boundaries"
    try:
        res = runner.run_import(con, args.kind, path, path.name, args.user or _default_user(),
                                options=opts, accept_valid=accept)
    finally:
        con.close()
    for n in res.notes:
        print(t("impor.cli.catatan", lang, isi=n.text(lang)))
    out = sys.stdout if res.ok else sys.stderr
    for p in res.problems[:MAX_PRINTED]:
        print(p.text(lang, res.file_name), file=out)
    if len(res.problems) > MAX_PRINTED:
        print(t("impor.cli.masalah_lain", lang, n=len(res.problems) - MAX_PRINTED), file=out)
    if args.report and res.problems:
        runner.rejected_report(res.problems, lang).write_csv(args.report)
        print(t("impor.cli.laporan", lang, path=args.report), file=out)
    if not res.ok and res.rows_rejected and not args.accept_valid and not any(p.row is None for p in res.problems):
        print(t("impor.cli.tidak_diimpor", lang), file=out)
    print(res.summary(lang), file=out)
    if args.kind == "boundaries":
        matched = [n for n in res.notes if n.key == "impor.batas.cocok"]
        if matched:
            m = matched[-1].params  # the last line, fixed and machine-readable: 'matched N of M' (features)
            print(f"matched {m['n']} of {m['m']}", file=out)
    return 0 if res.ok else 1


def build_parser() -> argparse.ArgumentParser:
    return configure(argparse.ArgumentParser(prog="python -m ilp.cli_import", description=__doc__,
                                             formatter_class=argparse.RawDescriptionHelpFormatter))


if __name__ == "__main__":
    sys.exit(main(build_parser().parse_args()))
