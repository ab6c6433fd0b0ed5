"""The briefing's content: the Ringkasan content model (ilp.content.build: the same cards, ranking, map and
trend as the page) plus what only a document needs (district, 'data per', the list of sources), as plain
data and Plotly figures. The PDF (pdf.py) and the slides (pptx.py) only render it."""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

import polars as pl

from ilp import content, db, summary
from ilp.i18n import fmt_date, fmt_periode, t

Run = Callable[..., pl.DataFrame]
# the ranked table, one spec for paper and slides: (column, heading key, decimals; None = text)
PRIORITY_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("peringkat", "brief.kol_peringkat", 0), ("nama", "brief.kol_kecamatan", None),
    ("prevalensi_pct", "brief.kol_stunting", 1), ("desa_pustu_pct", "brief.kol_desa_pustu", 1),
    ("pustu_lengkap_pct", "brief.kol_pustu_lengkap", 1), ("spm_rata2_pct", "brief.kol_spm", 1))


MAX_CARDS = 8  # the headline cards on paper and slides (3 or 4 per row, two rows)


def status_word(h: dict, lang: str) -> str:
    """The status of a card in words, as on the page (falls back to the colour's word)."""
    return h.get("status_text") or t(f"brief.status_{h['status']}", lang)


def priority_rule(priority: pl.DataFrame, lang: str) -> str:
    """The printed ranking rule plus, when the top five was widened by a tie, how many more and why."""
    rule = t("ringkasan3.aturan_prioritas", lang, n=content.N_PRIORITY)
    tie = content.priority_tie_note(priority, lang)
    return f"{rule} {tie}" if tie else rule


def trend_note(d: dict, lang: str) -> str:
    """Under the trend: the AARR reading (status in words, pace in % and points per year, reach year or why not),
    and why routine data are not coloured against the (survey) national target."""
    parts = list(d.get("trend_text") or []) + [t("ringkasan3.mengapa_rutin", lang), t("brief.ket_tren", lang)]
    return " ".join(parts)


def cell_text(row: dict, key: str, decimals: int | None, lang: str) -> str:
    """One cell of the ranked table: a name, a rank, or a percentage ('–' when missing, never 0)."""
    from ilp.i18n import fmt_pct
    v = row.get(key)
    if decimals is None:
        return str(v or row.get("kode") or "–")
    if decimals == 0:
        return "–" if v is None else str(v)
    return fmt_pct(v, decimals, lang)


def _runner(con) -> Run:
    return lambda key, **p: db.run(con, key, **p)


def _district(run: Run, kab: str | None) -> tuple[str, str, dict]:
    meta = dict(run("wilayah/meta").iter_rows())
    info = run("wilayah/info_kab")
    if info.height == 0:
        raise ValueError("Basis data belum berisi kabupaten/kota / the database holds no district yet.")
    codes = info["kode"].to_list()
    if kab is None:
        kab = meta.get("kode_kab") if meta.get("kode_kab") in codes else codes[0]
    if kab not in codes:
        raise ValueError(f"Kode kab/kota {kab!r} tidak ada di basis data (ada: {', '.join(codes)}).")
    nama = info.filter(pl.col("kode") == kab)["nama"][0]
    return kab, nama, meta


def data_per_text(d: dict) -> str:
    """'Data per': the database's own date if set, else the latest complete round of the routine data
    (the period the figures describe, not the day they were imported)."""
    L = d["lang"]
    if d.get("data_per"):
        return fmt_date(d["data_per"], L)
    return fmt_periode(d["periode"], L) if d.get("periode") else "–"


def collect(con, kab: str | None = None, lang: str = "id") -> dict:
    """Everything the briefing shows: the Ringkasan content model (ilp.content.build, the same cards,
    ranking, map and trend as the page) plus plain data for the sources; no rendering."""
    run = _runner(con)
    kab, nama, meta = _district(run, kab)
    model = content.build(run, kab, lang)
    map_fig = model.map.figure(lang, labels=True)
    from ilp import stunting
    per = model.map.periode or model.routine.latest
    mutu_text = stunting.quality_text(stunting.quality_marks(run, kab, per, lang), per, lang) if per else None
    return dict(kab=kab, nama=nama, meta=meta, is_demo=meta.get("is_demo") == "1", data_per=meta.get("data_per"),
                headlines=model.cards, priority=model.ranking, periode=model.map.periode, map_fig=map_fig,
                map_source=model.map.source, routine_label=model.routine.label(lang),
                trend_fig=model.trend.figure(lang), trend=model.trend.trend, trend_text=model.trend.text(lang),
                survey=model.trend.survey,
                targets=run("stunting/target", kab=kab), indicator=model.map.indicator,
                spm=summary.latest_spm(run), mutu_text=mutu_text, lang=lang)


def sources(d: dict) -> list[str]:
    """One line per source used: e-PPGBM round, surveys, the legal basis of each target, SPM, facilities, and one
    line on data quality."""
    lang = d["lang"]
    out: list[str] = []
    def bare(s: str) -> str:  # the section is titled "Sumber": drop the "Sumber: " each card line starts with
        return re.sub(r"^(Sumber|Source)\s*:\s*", "", s)

    for h in d["headlines"]:
        if h["key"] == "stunting_rutin":
            out.append(bare(h["source"]))
    sv = d["survey"]
    if sv.height:
        for (tingkat, sumber), g in sv.group_by(["tingkat", "sumber"], maintain_order=True):
            which = ", ".join(f"{s} {y}" for s, y in zip(g["survei"].to_list(), g["tahun"].to_list()))
            out.append(t("brief.src_survei", lang, daftar=which, tingkat=t(f"brief.tingkat_{tingkat}", lang),
                         sumber=sumber or "–"))
    tg = d["targets"]
    if tg.height:
        for (dasar, sumber), g in tg.group_by(["dasar", "sumber"], maintain_order=True):
            yrs = ", ".join(str(y) for y in g["tahun"].to_list())
            tk = t(f"brief.tingkat_{g['tingkat'][0]}", lang)
            out.append(t("brief.src_target", lang, dasar=dasar or "–", tingkat=tk, tahun=yrs, sumber=sumber or "–"))
        out.append(t("brief.src_interpolasi", lang))
    for h in d["headlines"]:
        if h["key"] == "spm_rata2":
            out.append(bare(h["source"]))
    for h in d["headlines"]:
        if h.get("project"):
            out.append(t("brief.src_fasilitas", lang))
            break
    ind = d["indicator"]
    if d["map_fig"] is not None:
        out.append(t("brief.src_peta", lang, denom=ind.denominator_text(lang), kelas=ind.legend_source or "–"))
    if d.get("mutu_text"):  # one line on data quality (ilp.mutu marks of the round shown)
        out.append(d["mutu_text"])
    out.append(t("brief.src_data_per", lang, tanggal=data_per_text(d),
                 dibuat=fmt_date(dt.date.today(), lang)))
    return out
