"""Headline figures and the 'kecamatan most in need' ranking, shared by the Ringkasan page and the
briefing document. `run` is any callable (query_key, **params) -> polars.DataFrame (cached in the UI,
ilp.db.run in the CLI)."""
from __future__ import annotations

from typing import Callable

import polars as pl

from ilp import indicators, stunting, targets
from ilp.i18n import fmt_num, fmt_pct, fmt_periode, t

Run = Callable[..., pl.DataFrame]
SUMBER_DEFAULT = "PUSDATIN"
# the one status colour set (Ringkasan cards, briefing PDF and slides): colour, icon
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "hijau": ("#1a9850", "✓"), "kuning": ("#e69500", "⚠"), "merah": ("#d73027", "✗"), "abu": ("#8a8a8a", "·")}


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


def headlines(run: Run, kab: str, lang: str = "id", sumber: str = SUMBER_DEFAULT,
              routine: stunting.Routine | None = None) -> list[dict]:
    """Each headline: key, label, value (number), text, target, target_text, status (hijau/kuning/merah/abu),
    source (source, period and denominator), project (True = project-defined indicator), notes (cross-check
    and provisional rounds, shown under the figure)."""
    out: list[dict] = []
    tp_pts = run("stunting/target", kab=kab)
    path = targets.target_path(tp_pts) if tp_pts.height else tp_pts
    r = routine if routine is not None else stunting.routine(run, kab, sumber)
    row = r.row()
    if row is not None:
        yr = int(row["periode"][:4])
        tg = targets.target_for_year(path, yr) if path.height else None
        notes = _notes(r, lang)
        out.append(dict(
            key="stunting_rutin", label=t("ringkasan2.stunting_rutin", lang, label=r.label(lang)),
            value=row["prevalensi_pct"], text=fmt_pct(row["prevalensi_pct"], 1, lang),
            target=tg["nilai"] if tg else None,
            target_text=(f"{t('umum.target', lang)} {yr}: {fmt_num(tg['nilai'], 1, lang)}%"
                         + (f" ({t('stunting.target_interpolasi', lang)})" if tg and tg["interpolasi"] else "")) if tg else "",
            status=status(row["prevalensi_pct"], tg["nilai"] if tg else None, "turun", 3.0),
            source=r.source_text(lang), notes=notes, project=False))
    elif r.source is not None:  # only provisional rounds: no headline figure, but say what is coming in
        notes = _notes(r, lang)
        out.append(dict(
            key="stunting_rutin", label=t("ringkasan2.stunting_rutin", lang, label=r.label(lang)), value=None,
            text=t("umum.tidak_ada_data", lang), target=None, target_text="", status="abu",
            source=t("stunting2.sementara_judul", lang), notes=notes, project=False))
    sv = run("stunting/survei", kab=kab).filter(pl.col("tingkat") == "kabkota").sort("tahun")
    if sv.height:
        s = sv.row(-1, named=True)
        tg = targets.target_for_year(path, int(s["tahun"])) if path.height else None
        out.append(dict(
            key="stunting_survei", label=t("ringkasan.stunting_survei", lang, survei=s["survei"], tahun=s["tahun"]),
            value=s["prevalensi"], text=f"{fmt_num(s['prevalensi'], 1, lang)}%",
            target=tg["nilai"] if tg else None,
            target_text=f"{t('umum.target', lang)} {s['tahun']}: {fmt_num(tg['nilai'], 1, lang)}% ({tg['dasar']})" if tg else "",
            status=status(s["prevalensi"], tg["nilai"] if tg else None, "turun", 3.0),
            source=t("ringkasan.src_survei", lang, survei=s["survei"], tahun=s["tahun"], sumber=s["sumber"]),
            project=False))
    sp = latest_spm(run)
    tahun = sp[0] if sp else 0
    net = run("ilp/jaringan_kecamatan", kab=kab, tahun=tahun, sumber_sasaran=sumber)
    if net.height:
        tot = net.select(pl.all().exclude("kode", "nama").sum()).row(0, named=True)
        for key, num, den, dtext in (
            ("puskesmas_ilp", "puskesmas_ilp", "n_puskesmas", "Puskesmas"),
            ("desa_dengan_pustu", "desa_dengan_pustu", "n_desa", "desa/kelurahan"),
            ("pustu_lengkap", "pustu_lengkap", "n_pustu", "Pustu"),
        ):
            ind = indicators.get(key)
            has_data = not ind.data_column or bool(tot.get(ind.data_column))
            v = 100 * tot[num] / tot[den] if (tot[den] and has_data) else None
            out.append(dict(
                key=key, label=ind.name(lang), value=v,
                text=f"{fmt_num(v, 1, lang)}%" if v is not None else t("umum.tidak_ada_data", lang),
                target=100.0, target_text=f"{t('umum.target', lang)}: 100% (P)",
                status=status(v, 100.0, "naik", 20.0),
                source=(t("ringkasan.src_jaringan", lang, num=fmt_num(tot[num], 0, lang), den=fmt_num(tot[den], 0, lang),
                          dtext=dtext) if has_data else t("ringkasan.src_belum_ada", lang)),
                project=True))
    if sp:
        cap = run("spm/capaian_kecamatan", kab=kab, tahun=sp[0], bulan=sp[1], sumber_sasaran=sumber)
        per = cap.group_by("no", "nama_id", "nama_en").agg(pl.col("pembilang").sum(), pl.col("sasaran").sum()) \
                 .with_columns(capaian_pct=100 * pl.col("pembilang") / pl.col("sasaran")).sort("no")
        avg = per["capaian_pct"].mean()
        weak = per.drop_nulls("capaian_pct").sort("capaian_pct").head(3)
        name_col = f"nama_{lang}" if lang in ("id", "en") else "nama_id"
        prop = 100 * sp[1] / 12
        out.append(dict(
            key="spm_rata2", label=t("ringkasan.spm_rata2", lang), value=avg, text=fmt_pct(avg, 1, lang),
            target=prop, target_text=t("ringkasan.spm_target", lang, prop=fmt_num(prop, 0, lang)),
            status=status(avg, prop, "naik", 15.0),
            source=t("ringkasan.src_spm", lang, periode=fmt_periode(f"{sp[0]}-{sp[1]:02d}", lang), sumber=sumber),
            weakest=[(r[name_col], r["capaian_pct"]) for r in weak.iter_rows(named=True)],
            project=False))
    return out


def priority_kecamatan(run: Run, kab: str, n: int = 5, sumber: str = SUMBER_DEFAULT,
                       routine: stunting.Routine | None = None) -> pl.DataFrame:
    """Kecamatan most in need. Rule: rank every kecamatan on four figures — routine stunting prevalence
    (latest complete round, e-PPGBM or recap; higher = worse), % desa with a Pustu, % Pustu with perawat and bidan, and average SPM
    capaian year to date (lower = worse) — and order by the mean of the four ranks (1 = worst)."""
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
    r = routine if routine is not None else stunting.routine(run, kab, sumber)
    st = r.kecamatan_at()  # the latest complete round of the district's routine source (e-PPGBM or recap)
    if st.height:
        st = st.select("kode", "prevalensi_pct", "diukur")
    else:
        st = pl.DataFrame(schema={"kode": pl.String, "prevalensi_pct": pl.Float64, "diukur": pl.Int64})
    if sp:
        cap = run("spm/capaian_kecamatan", kab=kab, tahun=sp[0], bulan=sp[1], sumber_sasaran=sumber) \
            .group_by("kode").agg(pl.col("capaian_pct").mean().alias("spm_rata2_pct"))
    else:
        cap = pl.DataFrame(schema={"kode": pl.String, "spm_rata2_pct": pl.Float64})
    df = net.join(st, on="kode", how="left").join(cap, on="kode", how="left")
    df = df.with_columns(
        r_stunting=pl.col("prevalensi_pct").rank("min", descending=True),
        r_pustu=pl.col("desa_pustu_pct").rank("min"),
        r_tenaga=pl.col("pustu_lengkap_pct").rank("min"),
        r_spm=pl.col("spm_rata2_pct").rank("min"),
    ).with_columns(
        skor=pl.mean_horizontal("r_stunting", "r_pustu", "r_tenaga", "r_spm")
    ).filter(pl.col("skor").is_not_null()).sort("skor").with_row_index("peringkat", offset=1)
    return df.head(n) if n else df
