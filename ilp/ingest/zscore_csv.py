"""The `zscore` tool (python -m ilp zscore IN -o OUT): WHO 2006 z-scores for a file of child measurements,
read through the same column specs and tabular parser as every import kind.

Input: any file the import path reads (CSV saved from Indonesian Excel with ';' and comma decimals,
Windows-1252, .xlsx, .xls, .ods); headers as the kinds accept them (jk / jenis kelamin, tgl_lahir,
tgl_ukur, umur_hari, tinggi / TB / PB, berat / BB, cara_ukur, edema). Age from umur_hari, else from
the two dates (an empty age or date is an error on its row). Output (UTF-8 with BOM, the input's separator; with ';' decimals use a comma): the input
columns unchanged, then age_days, haz, waz, whz, baz, flag_haz..flag_baz and `error`. A row with an
unreadable value gets the message in `error` ("baris 4, kolom 'tinggi': '7x,1' bukan angka", in the
chosen language) and no scores; the other rows are scored. A computed column whose name the input
already uses gets the suffix `_hitung`.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ilp.ingest import lookups as lk
from ilp.ingest.base import Msg, Problem, Source
from ilp.ingest.columns import Col
from ilp.ingest.tabular import Ctx, bad_rows, parse_tabular
from ilp.names import BERAT_MUNGKIN_KG as BERAT_MUNGKIN, CARA_UKUR, JK, TINGGI_MUNGKIN_CM as TINGGI_MUNGKIN

COLS = (
    Col("jk", "choice", choices={k: str(v) for k, v in JK.items()}, choices_label="impor.pilihan.jk",
        aliases=("sex", "jenis_kelamin", "kelamin", "gender", "l_p", "jns_kelamin", "jenkel")),
    Col("tgl_lahir", "date", required=False, soft=False,
        aliases=("birth_date", "tanggal_lahir", "tgllahir", "dob", "lahir")),
    Col("tgl_ukur", "date", required=False, soft=False,
        aliases=("measure_date", "tanggal_ukur", "tanggal_pengukuran", "tgl_pengukuran", "tgl_timbang",
                 "tanggal_penimbangan", "tanggal_timbang", "tgl_penimbangan")),
    Col("umur_hari", "int", required=False, soft=False, min=0, aliases=("age_days", "usia_hari", "umur_dalam_hari")),
    Col("tinggi_cm", "float", required=False, soft=False, allow_empty=True, min=TINGGI_MUNGKIN[0],
        max=TINGGI_MUNGKIN[1], unit="cm",
        aliases=("height_cm", "height", "tinggi", "tb", "pb", "tb_cm", "pb_cm", "tinggi_badan", "panjang_badan",
                 "tb_pb", "pb_tb", "lenhei", "lenhei_cm", "tinggi_badan_cm", "panjang_cm")),
    Col("berat_kg", "float", required=False, soft=False, allow_empty=True, min=BERAT_MUNGKIN[0], max=BERAT_MUNGKIN[1],
        unit="kg", aliases=("weight_kg", "weight", "berat", "bb", "bb_kg", "berat_badan", "berat_badan_kg")),
    Col("cara_ukur", "choice", required=False, soft=False, allow_empty=True, choices=CARA_UKUR,
        choices_label="impor.pilihan.cara_ukur", aliases=("position", "posisi", "posisi_ukur", "cara_pengukuran")),
    Col("edema", "bool", required=False, soft=False, allow_empty=True, aliases=("oedema", "edema_bilateral")),
)
OUT_COLS = ("age_days", "haz", "waz", "whz", "baz", "flag_haz", "flag_waz", "flag_whz", "flag_baz")


class ZscoreError(ValueError):
    """The whole file cannot be used; `problems` say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.text() for p in problems))
        self.problems = problems


def _read(path: Path) -> tuple[pl.DataFrame, Ctx, list[Problem]]:
    got: dict = {}

    def build(df: pl.DataFrame, ctx: Ctx) -> dict[str, pl.DataFrame]:
        if not ctx.has("umur_hari") and not (ctx.has("tgl_lahir") and ctx.has("tgl_ukur")):
            ctx.problems.append(Problem(None, None, Msg("impor.zscore.tanpa_umur")))
            return {}
        flagged = sorted(bad_rows(ctx.problems))   # unreadable cells are already reported; these are empty
        for c in (("umur_hari",) if ctx.has("umur_hari") else ("tgl_lahir", "tgl_ukur")):
            ctx.flag(df.filter(pl.col(c).is_null() & ~pl.col("_row").is_in(flagged)), c, "impor.sel.empty")
        if not ctx.has("umur_hari"):
            lk.check_date_order(ctx, df, "tgl_lahir", "tgl_ukur", Msg("impor.apa.tgl_lahir"))
        if not ctx.has("tinggi_cm") and not ctx.has("berat_kg"):
            ctx.problems.append(Problem(None, None, Msg("impor.zscore.tanpa_ukuran")))
            return {}
        raw = ctx.raw.select("_row", *[pl.col(ctx.col(c)).alias(f"_isi_{c}") for c in ("tinggi_cm", "berat_kg")
                                       if ctx.has(c)])
        both_empty = pl.all_horizontal([pl.col(c).is_null() for c in raw.columns if c != "_row"])
        ctx.flag(raw.filter(both_empty), None, "impor.zscore.tanpa_tinggi_berat")
        got["df"], got["ctx"] = df, ctx
        return {}

    parsed = parse_tabular(Source(path=path, name=path.name), None, COLS, build)
    if parsed.fatal or "df" not in got:
        raise ZscoreError([p for p in parsed.problems if p.row is None] or parsed.problems)
    return got["df"], got["ctx"], parsed.problems


def zscore_file(in_path: str | Path, out_path: str | Path, lang: str = "id") -> dict:
    """Score the file and write the result; returns {'rows', 'scored', 'errors'}. Raises ZscoreError for a
    file that cannot be used at all (a missing column, an unreadable file)."""
    from ilp import anthro
    path = Path(in_path)
    df, ctx, problems = _read(path)
    errors: dict[int, list[str]] = {}
    for p in problems:
        errors.setdefault(p.row, []).append(p.text(lang))
    ok = ~pl.col("_row").is_in(list(errors))
    inp = df.select(pl.when(ok).then(pl.col("jk").cast(pl.Int8)).alias("sex"), pl.col("tinggi_cm").alias("height_cm"),
                    pl.col("berat_kg").alias("weight_kg"), pl.col("cara_ukur").fill_null("").alias("position"),
                    pl.col("edema").fill_null(False).alias("oedema"))
    if ctx.has("umur_hari"):
        inp = inp.with_columns(age_days=df["umur_hari"].cast(pl.Int32))
    else:
        inp = inp.with_columns(birth_date=df["tgl_lahir"], measure_date=df["tgl_ukur"])
    scored = anthro.zscores(inp).select(OUT_COLS)
    keep = pl.Series(~df["_row"].is_in(list(errors)))
    scored = scored.with_columns([pl.when(keep).then(pl.col(c)).alias(c) for c in OUT_COLS])
    raw = ctx.raw.drop("_row")
    scored = scored.rename({c: f"{c}_hitung" for c in OUT_COLS if c in raw.columns})
    err_col = "error_hitung" if "error" in raw.columns else "error"
    err = pl.Series(err_col, ["; ".join(errors[r]) if r in errors else None for r in df["_row"].to_list()],
                    dtype=pl.String)
    sep = ctx.options.get("_delimiter") or ","
    out = pl.concat([raw, scored, err.to_frame()], how="horizontal")
    if sep == ";":   # Indonesian Excel: decimal comma in the computed columns
        out = out.with_columns([pl.col(c).cast(pl.String).str.replace(".", ",", literal=True)
                                for c in scored.columns if scored.schema[c] == pl.Float64])
    out.write_csv(out_path, separator=sep, include_bom=True)
    z = ["haz", "waz", "whz", "baz"]
    return {"rows": df.height, "scored": int(scored.select(pl.any_horizontal([pl.col(c).is_not_null() for c in
                                                                               scored.columns if c in z])).sum().item()),
            "errors": len(errors)}
