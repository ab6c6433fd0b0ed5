"""Shared page pieces (Streamlit-aware): import-option widgets generated from their declaration,
problem lists, the new-district checklist, data-test results, headline metrics that say 'no data', and `part`:
one part of a page that reruns on its own and fails on its own."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ilp import fmt
from ilp.fmt import date as fmt_date, num as fmt_num, period as fmt_periode
from ui.common import PartUnavailable, arrow, downloads, in_part, lang, questions, t, table
from ui.uploads import Scratch


def titled(obj, L: str, field: str = "title") -> str:
    """The reader's-language title of an object that carries <field>_id / <field>_en (ImportKind, CheckResult)."""
    return getattr(obj, f"{field}_{L}", None) or getattr(obj, f"{field}_id")


def save_upload(up, scratch: Scratch) -> Path:
    """The uploaded file as a private (0600) temporary file of this page run, removed when `scratch` closes.
    A name with a NUL or a path separator raises ValueError (the page refuses it cleanly)."""
    return scratch.upload(up)


def _split(text: str) -> list[str]:
    return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


def option_widgets(options, key: str, scratch: Scratch | None = None) -> dict:
    """One widget per declared import option (ilp.ingest.base.Option); returns the `options` dict for
    runner.preview / run_import: text/choice -> str, list -> list[str], mapping -> {target: header},
    file -> path str, flag -> bool. Empty widgets are left out (the kind's default applies)."""
    out: dict = {}
    cols = st.columns(2)
    for i, o in enumerate(options):
        where = cols[i % 2]
        label, help_ = t(o.label), t(o.help)
        wkey = f"{key}_{o.name}"
        if o.type == "text":
            v = where.text_input(label, value=str(o.default or ""), help=help_, key=wkey)
            if v.strip():
                out[o.name] = v.strip()
        elif o.type == "choice":
            choices = list(o.choices)
            idx = choices.index(o.default) if o.default in choices else 0
            out[o.name] = where.selectbox(label, choices, index=idx, help=help_, key=wkey)
        elif o.type == "list":
            default = ", ".join(o.default) if isinstance(o.default, (list, tuple)) else str(o.default or "")
            v = _split(where.text_input(label, value=default, help=help_, key=wkey))
            if v:
                out[o.name] = v
        elif o.type == "mapping":
            with where.expander(label):
                st.caption(help_)
                m = {}
                for target in o.choices:
                    h = st.text_input(target, key=f"{wkey}_{target}")
                    if h.strip():
                        m[target] = h.strip()
            if m:
                out[o.name] = m
        elif o.type == "file":
            f = where.file_uploader(label, help=help_, key=wkey) if scratch is not None else None
            if f is not None:
                try:
                    out[o.name] = str(save_upload(f, scratch))
                except ValueError:
                    where.error(t("kelola.nama_berkas_salah"))
        elif o.type == "flag":
            out[o.name] = where.checkbox(label, value=bool(o.default), help=help_, key=wkey)
        else:  # a type this page does not know yet must not take the page down
            where.caption(f"{label}: –")
    return out


def problems_view(problems, file_name: str, key: str) -> None:
    """Rejected rows in the reader's language, with the downloadable report."""
    from ilp.ingest import runner
    L = lang()
    st.error(t("kelola.ada_masalah", n=len(problems)))
    for p in problems[:20]:
        st.markdown("- " + fmt.md(p.text(L)))
    if len(problems) > 20:
        st.caption(t("kelola.masalah_lainnya", n=fmt_num(len(problems) - 20, 0, L)))
    rep = runner.rejected_report(problems, L)
    st.download_button(t("kelola.unduh_laporan"), lambda: fmt.csv_bytes(fmt.frame_for_download(rep, lang=L), L),
                       file_name=f"{fmt.file_stem('ditolak_' + Path(file_name).stem)}.csv", key=key,
                       icon=":material/download:")


def notes_view(notes) -> None:
    L = lang()
    for n in notes:
        st.caption(":material/info: " + fmt.md(n.text(L)))


def _period(p: str | None) -> str:
    if not p:
        return "–"
    return fmt_periode(p, lang()) if len(p) == 7 else p


def checklist_view(items) -> None:
    """The new-district checklist: each item with its row count, period, date loaded and next step."""
    L = lang()
    rows = []
    for it in items:
        per = "–" if not it.period_from else (
            _period(it.period_from) if it.period_from == it.period_to else f"{_period(it.period_from)} – {_period(it.period_to)}")
        rows.append({t("kelola_cek.kol_status"): "✅" if it.done else "⬜",
                     t("kelola_cek.kol_data"): it.label.text(L),
                     t("kelola_cek.kol_baris"): fmt_num(it.rows, 0, L),
                     t("kelola_cek.kol_periode"): per,
                     t("kelola_cek.kol_dimuat"): fmt_date(it.loaded, L) if it.loaded else "–",
                     t("kelola_cek.kol_langkah"): it.next_step.text(L) if it.next_step else ""})
    import polars as pl
    st.dataframe(arrow(pl.DataFrame(rows, schema={k: pl.String for k in rows[0]} if rows else None)),
                 hide_index=True, width="stretch")


def checks_view(results) -> None:
    """Data tests (ilp.checks.run_checks): passed ones in one line, failing ones with their rows."""
    L = lang()
    failing = [r for r in results if not r.ok]
    st.markdown(t("kelola_cek.uji_ringkas", lulus=len(results) - len(failing), total=len(results)))
    for r in failing:
        with st.expander(t("kelola_cek.uji_gagal", judul=r.title(L), n=fmt_num(r.rows.height, 0, L))):
            table(r.rows.head(500))


def metric(col, label: str, value: str | None, caption: str | None = None, help: str | None = None) -> None:
    """A headline number; None shows 'tidak ada data' (never 0 or 0%)."""
    col.metric(label, value if value is not None else t("umum.tidak_ada_data"), help=help)
    if caption:
        col.caption(caption)


def target_file(edited, kab_kode: str, scratch: Scratch) -> Path:
    """The district-target editor's table written as a `target` import file (kabkota level), private to this run."""
    import polars as pl
    rows = pl.DataFrame(edited).drop_nulls("tahun").with_columns(
        indikator=pl.lit("stunting_prevalensi"), tingkat=pl.lit("kabkota"), kode_wilayah=pl.lit(kab_kode))
    return scratch.write(rows.write_csv().encode("utf-8"), ".csv")


def table_downloads(df, name: str, key: str, columns: dict | None = None, about: dict | None = None,
                    period: str | None = None, **kw) -> None:
    """A readable table followed by its Excel and CSV downloads (the same rows, the same headers and kinds;
    `about` names source, period and denominator on the Excel's Keterangan sheet; `period` goes in the file name)."""
    table(df, columns=columns, **kw)
    downloads(df, name, key, columns=columns, about=about, period=period)


def ranked_table(df, title_key: str, note_key: str, name: str, key: str, **kw) -> None:  # kw: as table_downloads
    """A ranked table: heading, the ranking rule in one line, the table, its downloads."""
    st.subheader(t(title_key))
    st.caption(t(note_key))
    table_downloads(df, name, key, **kw)


def import_result(res, L: str, on_success=None, shown: int = 20) -> None:
    """What an import did: success with its row count (then `on_success()`, e.g. the data tests), or the refusal
    with its first problems, each in the reader's language."""
    if res.ok:
        st.success(t("kelola.selesai", n=fmt_num(res.rows_imported, 0, L), status=t(f"kelola.status_{res.status}")))
        if on_success:
            on_success()
    else:
        st.error(t("kelola.gagal"))
        for p in res.problems[:shown]:
            st.markdown("- " + fmt.md(p.text(L)))


def part(fn=None, *, key: str | None = None):
    """`@part` on a function that draws one part of a page (a map with its selectors, a drill-down, a lazy
    expander):

    - it runs as a Streamlit fragment: a widget inside it reruns this part only, not the page (its questions share
      one connection, as a page run's do: ui.common.questions);
    - a spinner says the part is loading while its questions run;
    - a question that fails for a passing reason (database busy, data rewritten by an import, time limit:
      ui.common.PartUnavailable) replaces this part by a short message and its own retry button, while the rest
      of the page renders (elsewhere ui.common.q stops the page). Other errors are not hidden.

    Call the decorated function once where the part goes. `key` names the retry button (default: the function's
    name), for a function used as two parts of one page."""
    def deco(f):
        name = key or f.__name__

        def body(*args, **kwargs):
            slot = st.empty()
            try:
                with questions(), in_part(), slot.container(), st.spinner(t("bagian.memuat")):
                    f(*args, **kwargs)
            except PartUnavailable as e:
                with slot.container():
                    st.warning(t(e.msg_key), icon=":material/hourglass_top:")
                    st.button(t("bagian.coba_lagi"), key=f"retry_part_{name}", icon=":material/refresh:")

        body.__name__, body.__qualname__, body.__doc__ = f.__name__, f.__qualname__, f.__doc__
        body.__module__ = f.__module__
        return st.fragment(body, key=f"part_{name}")
    return deco(fn) if fn is not None else deco
