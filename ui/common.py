"""Shared page helpers: connection, cached queries, language, header, URL-bound widgets, downloads."""
from __future__ import annotations

import io

import polars as pl
import streamlit as st

from ilp import config, db
from ilp.i18n import fmt_date, t as _t

SUMBER_SASARAN = ("PUSDATIN", "DUKCAPIL", "BPS_PROJ", "RIIL")


def lang() -> str:
    v = st.query_params.get("lang", st.session_state.get("lang", config.get("lang")))
    return v if v in ("id", "en") else "id"


def t(key: str, **kw) -> str:
    return _t(key, lang(), **kw)


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    from ilp import demo
    demo.ensure_demo(path)
    return db.connect(path)


def con():
    """One cached connection per database file; every query takes its own cursor (ilp.db.run)."""
    return _connection(str(config.db_path()))


def data_version() -> int:
    return st.session_state.get("_data_version", 0)


def bump_data_version() -> None:
    st.session_state["_data_version"] = data_version() + 1
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=256)
def _q(path: str, key: str, version: int, params: tuple) -> pl.DataFrame:
    return db.run(_connection(path), key, **dict(params))


def q(key: str, **params) -> pl.DataFrame:
    return _q(str(config.db_path()), key, data_version(), tuple(sorted(params.items())))


def meta() -> dict[str, str]:
    return dict(q("wilayah/meta").iter_rows())


def kab() -> tuple[str, str]:
    """(kode, nama) of the district shown; the first kab/kota when several are loaded (choosable)."""
    info = q("wilayah/info_kab")
    if info.height == 0:
        return "", ""
    m = meta()
    codes = info["kode"].to_list()
    names = dict(zip(codes, info["nama"].to_list()))
    default = m.get("kode_kab") if m.get("kode_kab") in codes else codes[0]
    if len(codes) > 1:  # several districts loaded: choose in the sidebar, kept in the URL
        chosen = url_select(t("umum.kabkota"), codes, "kab", format_func=lambda k: f"{names[k]} ({k})",
                            default=default, sidebar=True)
    else:
        chosen = default
    return chosen, names[chosen]


def data_per(m: dict | None = None) -> str | None:
    """The 'data per' date: the database's own setting, else the day of the latest successful import."""
    m = meta() if m is None else m
    if m.get("data_per"):
        return m["data_per"]
    log = q("quality/import_log").filter(pl.col("status").is_in(["berhasil", "sebagian"]))
    return str(log["waktu"].max())[:10] if log.height else None


def ensure_router() -> None:
    """A fresh server whose first visitor opens a deep link (/stunting?kec=...) runs the page file on
    its own (Streamlit's legacy pages/ folder mode) before app.py has declared st.navigation. Page files
    are named like their URL paths, so the legacy lookup always finds the page; here we switch the
    process to st.navigation mode and run app.py in place (language, sidebar, navigation, then this
    page), then stop the outer run. No rerun, so a click that started this run is not lost."""
    from streamlit.runtime.pages_manager import PagesManager  # no public API for this
    if PagesManager.uses_pages_directory:
        import runpy

        from ilp import config as _config
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(_config.ROOT / "app.py"), run_name="__main__")
        st.stop()


def header(title_key: str) -> tuple[str, str]:
    """Page title, demo banner, data date. Returns (kode_kab, nama_kab)."""
    ensure_router()
    m = meta()
    kode, nama = kab()
    st.title(t(title_key))
    cols = st.columns([3, 2])
    with cols[0]:
        st.markdown(f"**{nama}** · `{kode}`")
    with cols[1]:
        per = data_per(m)
        if per:
            st.markdown(f"{t('umum.data_per')}: **{fmt_date(per, lang())}**")
    if m.get("is_demo") == "1":
        st.warning(t("umum.banner_demo"), icon=":material/science:")
    return kode, nama


def url_select(label: str, options: list, key: str, format_func=str, default=None, sidebar: bool = False):
    """A selectbox whose value lives in the URL (?key=value), so a shared link reproduces the view."""
    if not options:
        return None
    as_str = [str(o) for o in options]
    cur = st.query_params.get(key)
    if cur in as_str:
        idx = as_str.index(cur)
    elif default is not None and str(default) in as_str:
        idx = as_str.index(str(default))
    else:
        idx = 0
    where = st.sidebar if sidebar else st
    val = where.selectbox(label, options, index=idx, format_func=format_func, key=f"w_{key}")
    st.query_params[key] = str(val)
    return val


def map_pick_kecamatan(fig, key: str, valid: dict) -> None:
    """Draw a kecamatan map; clicking a kecamatan (where the browser reports it) puts it in the
    URL (?kec=) and reruns. The select box below every map stays the dependable way to choose."""
    ev = st.plotly_chart(fig, width="stretch", on_select="rerun", selection_mode="points", key=key)
    pts = ev.get("selection", {}).get("points", []) if ev else []
    if pts:
        clicked = pts[0].get("location") or pts[0].get("customdata")
        if clicked in valid and clicked != st.query_params.get("kec", ""):
            st.query_params["kec"] = clicked
            st.rerun()


def table(df: pl.DataFrame, **kw) -> None:
    """st.dataframe with readable headers (locale keys kol.<column>, else the column name) and
    one decimal for fractional numbers; values are shown as they are (above 100% included)."""
    from ilp.i18n import catalog
    cat = catalog(lang())
    cfg = {}
    for name, dtype in df.schema.items():
        label = cat.get(f"kol.{name}", name)
        if dtype.is_float():
            cfg[name] = st.column_config.NumberColumn(label, format="%.1f")
        elif dtype.is_integer():
            cfg[name] = st.column_config.NumberColumn(label, format="localized")
        else:
            cfg[name] = st.column_config.Column(label)
    cfg.update(kw.pop("column_config", {}))
    st.dataframe(df, hide_index=True, width="stretch", column_config=cfg, **kw)


def source_note(text: str) -> None:
    st.caption(":material/info: " + text)


def downloads(df: pl.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, opens cleanly in Excel) and Excel downloads of a table."""
    c1, c2 = st.columns(2)
    csv = df.write_csv().encode("utf-8-sig")
    c1.download_button(t("umum.unduh_csv"), csv, file_name=f"{name}.csv", mime="text/csv", key=f"csv_{key}", icon=":material/download:")
    buf = io.BytesIO()
    df.write_excel(buf, worksheet=name[:31])
    c2.download_button(t("umum.unduh_excel"), buf.getvalue(), file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
                       icon=":material/download:")
