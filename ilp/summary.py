"""Headline figures and the 'kecamatan most in need' ranking, shared by the Ringkasan page and the
briefing document. `run` is any callable (query_key, **params) -> polars.DataFrame (cached in the UI,
ilp.db.run in the CLI)."""
from __future__ import annotations

from typing import Callable

import polars as pl

from ilp import indicators, ranking, stunting, targets
from ilp.i18n import fmt_num, fmt_pct, fmt_periode, t

Run = Callable[..., pl.DataFrame]
SUMBER_DEFAULT = "PUSDATIN"
# the one status colour set (Ringkasan cards, briefing PDF and slides): colour, icon. Each colour is used for text
# and reaches at least 4.5:1 contrast (WCAG AA) on the card backgrounds CARD_BG (web) and the PDF's #f6f7f8.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "hijau": ("#146c34", "✓"), "kuning": ("#8c5a00", "⚠"), "merah": ("#b2182b", "✗"), "abu": ("#5f6368", "·")}
CARD_BG = "#fafafa"


def status(value: float | None, target: float | None, direction: str, amber: float) -> str:
    """hijau = target met; kuning = within `amber` of it; merah = further; abu = no value or no target.
    Colours and icons: STATUS_STYLE (the one status colour set, used by web cards, PDF and slides)."""
    if value is None or target is None:
        return "abu"
    gap = (target - value) if direction == "naik" else (value - target)
    return "hijau" if gap <= 0 else ("kuning" if gap <= amber else "merah")


def latest_spm(run: Run) -> tuple[int, int] | None:
    y = run("spm/periode_tersedia")
    if y.height == 0:
        return None
    return int(y["tahun"][0]), int(y["bulan_terakhir"][0])


def stunting_series(run: Run, kab: str, sumber: str = SUMBER_DEFAULT) -> pl.DataFrame:
    """The district routine series over complete rounds, from whichever source the district has."""
    return stunting.routine(run, kab, sumber).trend_series


def _notes(r: stunting.Routine, lang: str) -> list[str]:
    """Under the headline: the cross-check source's latest figure and every provisional round."""
    x = r.crosscheck
    out = [n for n in [_crosscheck_note(r, lang), *r.provisional_text(lang)] if n]
    if x is not None:
        out += [f"{x.label(lang)}: {p}" for p in x.provisional_text(lang)]
    return out


def _crosscheck_note(r: stunting.Routine, lang: str) -> str | None:
    x = r.crosscheck
    row = x.row() if x is not None else None
    if row is None:
        return None
    return t("stunting2.cek_silang_nilai", lang, label=x.label(lang), periode=fmt_periode(row["periode"], lang),
             nilai=fmt_pct(row["prevalensi_pct"], 1, lang), k=fmt_num(row["stunting"], 0, lang),
             n=fmt_num(row["diukur"], 0, lang))


def _routine_card(run: Run, kab: str, r: stunting.Routine, lang: str) -> dict | None:
    """Routine stunting, judged as routine data can be (stunting.judgement): against the district's routine
    target when one is set, else by its own AARR against the AARR required to reach the national target.
    Never coloured against a (survey) national target."""
    row = r.row()
    label = t("ringkasan2.stunting_rutin", lang, label=r.label(lang))
    if row is None:
        if r.source is None:
            return None
        # only provisional rounds: no headline figure, but say what is coming in
        return dict(key="stunting_rutin", label=label, value=None, text=t("umum.tidak_ada_data", lang),
                    target=None, target_text="", status="abu", status_text=t("metode.status.data_kurang", lang),
                    basis=t("metode.dasar.data_kurang", lang), source=t("stunting2.sementara_judul", lang),
                    notes=_notes(r, lang), trend=[], project=False)
    j = stunting.judgement(run, kab, r)
    tr = j["aarr"]
    rt = j["target_row"]
    if rt is not None:
        target_text = t("ringkasan3.target_rutin", lang, tahun=row["periode"][:4], nilai=fmt_pct(rt["nilai"], 1, lang))
    elif tr.get("aarr_pct") is not None:
        target_text = t("ringkasan3.laju_singkat", lang, aarr=fmt_num(tr["aarr_pct"], 1, lang),
                        pp=fmt_num(tr["pp_per_tahun"], 2, lang),
                        perlu=fmt_num(tr["aarr_perlu_pct"], 1, lang) if tr.get("aarr_perlu_pct") is not None else "–")
    else:
        target_text = t("ringkasan3.laju_kurang", lang, n=tr.get("min_rounds", targets.MIN_ROUNDS_TREND))
    return dict(key="stunting_rutin", label=label, value=row["prevalensi_pct"],
                text=fmt_pct(row["prevalensi_pct"], 1, lang),
                target=rt["nilai"] if rt else None, target_text=target_text,
                status=j["lampu"], status_text=t(j["status_key"], lang), basis=t(j["kalimat"], lang),
                source=r.source_text(lang), notes=_notes(r, lang), trend=stunting.trend_text(tr, lang),
                project=False)


def _survey_card(run: Run, kab: str, path: pl.DataFrame, lang: str, amber: float) -> dict | None:
    """The district's latest survey figure (SSGI/SKI), judged against the target of its year (national, or the
    district's own RPJMD target): both are survey figures, so here a status colour is fair."""
    sv = run("stunting/survei", kab=kab).filter(pl.col("tingkat") == "kabkota").sort("tahun")
    if sv.height == 0:
        return None
    s = sv.row(-1, named=True)
    tg = targets.target_for_year(path, int(s["tahun"])) if path.height else None
    st_ = status(s["prevalensi"], tg["nilai"] if tg else None, "turun", amber)
    return dict(
        key="stunting_survei", label=t("ringkasan.stunting_survei", lang, survei=s["survei"], tahun=s["tahun"]),
        value=s["prevalensi"], text=fmt_pct(s["prevalensi"], 1, lang),
        target=tg["nilai"] if tg else None,
        target_text=t("ringkasan3.target_survei", lang, tahun=s["tahun"], nilai=fmt_pct(tg["nilai"], 1, lang),
                      dasar=tg["dasar"]) if tg else "",
        status=st_, status_text=t(f"brief.status_{st_}", lang), basis=t("ringkasan3.dasar_survei", lang),
        source=t("ringkasan.src_survei", lang, survei=s["survei"], tahun=s["tahun"], sumber=s["sumber"]),
        trend=[], project=False)


def indicator_target(all_targets: pl.DataFrame, ind: indicators.Indicator, kab: str, year: int | None) -> float | None:
    """The target of an indicator from the target table (the district's row for the year, else the national one;
    between official years interpolated), else the registry's default (`target`), else None."""
    tid = ind.target_indicator or ind.id
    tg = all_targets.filter(pl.col("indikator") == tid) if all_targets.height else all_targets
    if tg.height and year is not None:
        hit = targets.target_for_year(targets.target_path(tg.select("tingkat", "tahun", "nilai", "dasar")), year)
        if hit is not None:
            return hit["nilai"]
    return ind.target


def _registry_card(run: Run, kab: str, ind: indicators.Indicator, lang: str, all_targets: pl.DataFrame,
                   sp: tuple[int, int] | None, sumber: str) -> dict:
    """A district headline of a registry indicator: sum of numerators / sum of denominators over kecamatan,
    target from the target table (registry default otherwise), status by the registry's direction and
    `ambang_kuning`."""
    from ilp import db
    avail = {"kab": kab, "tahun": sp[0] if sp else 0, "bulan": sp[1] if sp else 12, "sumber_sasaran": sumber}
    frame = run(ind.query, **{p: avail[p] for p in db.query(ind.query).params})
    vals = indicators.compute(ind, frame)
    num, den = vals["pembilang"].sum(), vals["penyebut"].sum()
    has_data = vals["nilai"].null_count() < vals.height and bool(den)
    v = ind.scale * num / den if has_data else None
    year = sp[0] if sp else None
    tg = indicator_target(all_targets, ind, kab, year)
    st_ = status(v, tg, ind.direction, ind.ambang_kuning)
    unit = ind.unit if ind.unit != "%" else ""
    return dict(
        key=ind.id, label=ind.name(lang), value=v,
        text=(fmt_pct(v, 1, lang) if ind.unit == "%" else f"{fmt_num(v, 1, lang)} {unit}".strip())
        if v is not None else t("umum.tidak_ada_data", lang),
        target=tg, target_text=t("ringkasan3.target_ind", lang, nilai=fmt_num(tg, 0, lang), unit=ind.unit)
        if tg is not None else "",
        status=st_, status_text=t(f"brief.status_{st_}", lang), basis="",
        source=(t("ringkasan3.src_ind", lang, num=fmt_num(num, 0, lang), den=fmt_num(den, 0, lang),
                  denom=ind.denominator_text(lang)) if has_data else t("ringkasan.src_belum_ada", lang)),
        trend=[], project=not ind.official)


def spm_card(run: Run, kab: str, lang: str, sumber: str, sp: tuple[int, int]) -> dict:
    """The 12-service SPM mean (ilp.capaian via ilp.spm: each service capped at 100% inside the mean, labelled
    so; Puskesmas without a sasaran left out of numerator and denominator and counted), judged against the
    year-to-date path bulan/12 x 100 (100% in December)."""
    from ilp import capaian, spm
    tahun, bulan = sp
    cap = run("spm/capaian_puskesmas", kab=kab, tahun=tahun, bulan=bulan, sumber_sasaran=sumber)
    per = spm.services(cap)
    h = spm.headline(per, lang)
    avg = h["rata2_pct"]
    st_key = capaian.status_ytd(avg, bulan)
    path = capaian.ytd_target(bulan)
    notes = []
    # Puskesmas left out of a service that others do have a sasaran for (a service with none is counted below)
    with_sas = per.filter(pl.col("ada_sasaran")) if per.height else per
    n_pk = int(with_sas["unit_tanpa_sasaran"].max() or 0) if with_sas.height else 0
    if n_pk:
        notes.append(t("metode.spm.unit_tanpa_sasaran", lang, n=n_pk))
    if h["n_tanpa_sasaran"]:
        notes.append(t("metode.spm.layanan_tanpa_sasaran", lang, n=h["n_tanpa_sasaran"]))
    return dict(
        key="spm_rata2", label=t("ringkasan.spm_rata2", lang), value=avg,
        text=fmt_pct(avg, 1, lang) if avg is not None else t("metode.spm.tidak_ada_sasaran", lang),
        target=path, target_text=t("ringkasan.spm_target", lang, prop=fmt_num(path, 0, lang)),
        status=capaian.STATUS_LAMPU[st_key], status_text=t(f"metode.spm.{st_key}", lang),
        basis=t("metode.spm.rata2_dibatasi", lang),
        source=t("ringkasan.src_spm", lang, periode=fmt_periode(f"{tahun}-{bulan:02d}", lang), sumber=sumber),
        weakest=h["terlemah"], notes=notes, trend=[], project=False)


def headlines(run: Run, kab: str, lang: str = "id", sumber: str = SUMBER_DEFAULT,
              routine: stunting.Routine | None = None) -> list[dict]:
    """The headline cards, one per registry indicator with `headline = true` (in registry order; routine stunting
    gives two: the routine figure and the latest survey figure, never on one scale), then the SPM mean.
    Each: key, label, value (number), text, target, target_text, status (lampu: hijau/kuning/merah/abu),
    status_text (the status in words), basis (how it is judged), source (source, period and denominator),
    project (True = project-defined indicator), notes (cross-check, provisional rounds, missing sasaran),
    trend (the AARR reading in sentences, routine stunting only)."""
    out: list[dict] = []
    tp_pts = run("stunting/target", kab=kab)
    path = targets.target_path(tp_pts) if tp_pts.height else tp_pts
    all_targets = run("ilp/target_indikator", kab=kab)
    r = routine if routine is not None else stunting.routine(run, kab, sumber)
    sp = latest_spm(run)
    for ind_id in indicators.headline_ids():
        ind = indicators.get(ind_id)
        if ind.values_from == "stunting_rutin":
            out += [c for c in (_routine_card(run, kab, r, lang), _survey_card(run, kab, path, lang, ind.ambang_kuning)) if c]
        else:
            out.append(_registry_card(run, kab, ind, lang, all_targets, sp, sumber))
    if sp:
        out.append(spm_card(run, kab, lang, sumber, sp))
    return out


def spm_kecamatan(run: Run, kab: str, sp: tuple[int, int] | None, sumber: str = SUMBER_DEFAULT) -> pl.DataFrame:
    """Per kecamatan: the capped 12-service SPM mean year to date (ilp.capaian, as on the card)."""
    from ilp import capaian
    schema = {"kode": pl.String, "spm_rata2_pct": pl.Float64}
    if not sp:
        return pl.DataFrame(schema=schema)
    cap = run("spm/capaian_puskesmas", kab=kab, tahun=sp[0], bulan=sp[1], sumber_sasaran=sumber)
    rows = [(k, capaian.mean_capped(capaian.service_totals(g))["rata2_pct"])
            for (k,), g in cap.group_by(["kode_kec"], maintain_order=True)]
    return pl.DataFrame(rows, schema=schema, orient="row")


RANK_DIMENSIONS = ("r_stunting", "r_pustu", "r_tenaga", "r_spm")


def priority_kecamatan(run: Run, kab: str, n: int = 5, sumber: str = SUMBER_DEFAULT,
                       routine: stunting.Routine | None = None) -> pl.DataFrame:
    """Kecamatan most in need. Rule: rank every kecamatan on four figures — routine stunting prevalence
    (latest complete round, e-PPGBM or recap; higher = worse), % desa with a Pustu, % Pustu with perawat and
    bidan, and the capped SPM mean year to date (lower = worse) — each a 'min' rank (equal values share a rank),
    and order by the mean of the four ranks (`skor`, 1 = worst). Equal scores share `peringkat`
    (ranking.rank_with_ties) and the top-`n` cut keeps every kecamatan tied at the cut (`seri_di_batas`), so it
    may hold more than n rows (n = 0: all). Each dimension's rank stays beside its figure."""
    sp = latest_spm(run)
    tahun = sp[0] if sp else 0
    raw = run("ilp/jaringan_kecamatan", kab=kab, tahun=tahun, sumber_sasaran=sumber)
    any_pustu = bool(raw["n_pustu"].sum())
    any_staff = bool(raw["pustu_ada_data_tenaga"].sum())
    net = raw.select(
        "kode", "nama",
        (100 * pl.col("desa_dengan_pustu") / pl.col("n_desa")).alias("desa_pustu_pct"),
        (100 * pl.col("pustu_lengkap") / pl.col("n_pustu")).alias("pustu_lengkap_pct"))
    # a kab whose facility list has no Pustu (or no staffing) has no data here, not 0%
    if not any_pustu:
        net = net.with_columns(pl.lit(None, dtype=pl.Float64).alias("desa_pustu_pct"))
    if not any_staff:
        net = net.with_columns(pl.lit(None, dtype=pl.Float64).alias("pustu_lengkap_pct"))
    net = net.with_columns(pl.col("desa_pustu_pct", "pustu_lengkap_pct").fill_nan(None))
    r = routine if routine is not None else stunting.routine(run, kab, sumber)
    st = r.kecamatan_at()  # the latest complete round of the district's routine source (e-PPGBM or recap)
    if st.height:
        st = st.select("kode", "prevalensi_pct", "diukur")
    else:
        st = pl.DataFrame(schema={"kode": pl.String, "prevalensi_pct": pl.Float64, "diukur": pl.Int64})
    cap = spm_kecamatan(run, kab, sp, sumber)
    df = net.join(st, on="kode", how="left").join(cap, on="kode", how="left")
    df = df.with_columns(
        r_stunting=pl.col("prevalensi_pct").rank("min", descending=True),
        r_pustu=pl.col("desa_pustu_pct").rank("min"),
        r_tenaga=pl.col("pustu_lengkap_pct").rank("min"),
        r_spm=pl.col("spm_rata2_pct").rank("min"),
    ).with_columns(
        pl.col(*RANK_DIMENSIONS).cast(pl.Int64),
        skor=pl.mean_horizontal(*RANK_DIMENSIONS),
    ).filter(pl.col("skor").is_not_null())
    df = ranking.rank_with_ties(df, "skor", descending=False, decimals=4)
    if not n:
        return df.with_columns(seri_di_batas=pl.lit(False))
    return ranking.top_n_with_ties(df, n).rows
