"""Shared page pieces (Streamlit-aware): import-option widgets generated from their declaration,
problem lists, the new-district checklist, data-test results, headline metrics that say 'no data'."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from ilp.i18n import fmt_date, fmt_num, fmt_periode
from ui.common import downloads, lang, t, table

UPLOAD_TMP = Path(tempfile.gettempdir()) / "pantau-ilp-upload"


def titled(obj, L: str, field: str = "title") -> str:
    """The reader's-language title of an object that carries <field>_id / <field>_en (ImportKind, CheckResult)."""
    return getattr(obj, f"{field}_{L}", None) or getattr(obj, f"{field}_id")


def save_upload(up) -> Path:
    """Keep an uploaded file under the temp folder by content hash; returns its path."""
    raw = up.getvalue()
    UPLOAD_TMP.mkdir(exist_ok=True)
    p = UPLOAD_TMP / (hashlib.sha256(raw).hexdigest()[:16] + Path(up.name).suffix.lower()[:8])
    p.write_bytes(raw)
    return p


def _split(text: str) -> list[str]:
    return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


def option_widgets(options, key: str) -> dict:
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
            f = where.file_uploader(label, help=help_, key=wkey)
            if f is not None:
                out[o.name] = str(save_upload(f))
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
        st.markdown("- " + p.text(L))
    if len(problems) > 20:
        st.caption(t("kelola.masalah_lainnya", n=fmt_num(len(problems) - 20, 0, L)))
    rep = runner.rejected_report(problems, L)
    st.download_button(t("kelola.unduh_laporan"), rep.write_csv().encode("utf-8-sig"),
                       file_name=f"ditolak_{Path(file_name).stem}.csv", key=key, icon=":material/download:")


def notes_view(notes) -> None:
    L = lang()
    for n in notes:
        st.caption(":material/info: " + n.text(L))


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
    st.dataframe(rows, hide_index=True, width="stretch")


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


def target_file(edited, kab_kode: str, editor: str) -> Path:
    """The district-target editor's table written as a `target` import file (kabkota level)."""
    import polars as pl
    rows = pl.DataFrame(edited).drop_nulls("tahun").with_columns(
        indikator=pl.lit("stunting_prevalensi"), tingkat=pl.lit("kabkota"), kode_wilayah=pl.lit(kab_kode))
    UPLOAD_TMP.mkdir(exist_ok=True)
    f = UPLOAD_TMP / f"target_{kab_kode}_{hashlib.sha256(editor.encode()).hexdigest()[:8]}.csv"
    rows.write_csv(f)
    return f


def table_downloads(df, name: str, key: str, **kw) -> None:
    """A readable table followed by its CSV and Excel downloads (the same rows)."""
    table(df, **kw)
    downloads(df, name, key)


def ranked_table(df, title_key: str, note_key: str, name: str, key: str, **kw) -> None:
    """A ranked table: heading, the ranking rule in one line, the table, its downloads."""
    st.subheader(t(title_key))
    st.caption(t(note_key))
    table_downloads(df, name, key, **kw)
