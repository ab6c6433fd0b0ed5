"""The big kabupaten of the scale benchmark (ilp.demo.besar): a second demo half merged into kab 99.01."""
from __future__ import annotations

import json

import polars as pl
import pytest
import shapely

from ilp.demo import besar


def _square(x0: float) -> str:
    ring = [[x0, -7.0], [x0, -6.9], [x0 + 0.1, -6.9], [x0 + 0.1, -7.0], [x0, -7.0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _half() -> dict[str, pl.DataFrame]:
    """A two-kecamatan district shaped like the demo's frames (codes as the demo writes them)."""
    w = pl.DataFrame({
        "kode": ["99", "99.01", "99.01.01", "99.01.12", "99.01.01.2001", "99.01.12.1003"],
        "level": ["provinsi", "kabkota", "kecamatan", "kecamatan", "desa", "desa"],
        "nama": ["Provinsi Contoh", "Kabupaten Contoh", "Sukamaju", "Wonokerto", "Sukarejo", "Kauman"],
        "parent": [None, "99", "99.01", "99.01", "99.01.01", "99.01.12"],
        "kode_kab": [None, "99.01", "99.01", "99.01", "99.01", "99.01"],
        "kode_kec": [None, None, None, None, "99.01.01", "99.01.12"]})
    g = [_square(110.3), _square(110.5)]
    batas = pl.DataFrame({"kode": ["99.01.01", "99.01.12"], "level": ["kecamatan"] * 2,
                          "geom_wkb": shapely.to_wkb(shapely.from_geojson(g)).tolist(), "geojson": g,
                          "lon": [110.35, 110.55]})
    fk = pl.DataFrame({
        "kode_faskes": ["P9901010101", "PSY-9901012001-01", "RS-9901-01", "PSL-P9901120201", "PKD-9901121003"],
        "kode_kec": ["99.01.01", "99.01.01", None, "99.01.12", "99.01.12"],
        "kode_desa": ["99.01.01.2001", "99.01.01.2001", None, "99.01.12.1003", "99.01.12.1003"],
        "kode_induk": [None, "P9901010101", None, "P9901120201", "P9901120201"],
        "lon": [110.31, 110.32, 110.4, 110.51, 110.52]})
    uk = pl.DataFrame({"id_anak": ["a", "b"], "kode_desa": ["99.01.01.2001", "99.01.12.1003"],
                       "kode_posyandu": ["PSY-9901012001-01", None], "kode_puskesmas": ["P9901010101", "P9901120201"]})
    sas = pl.DataFrame({"kode_unit": ["99.01.01.2001", "P9901120201"], "jenis_unit": ["desa", "puskesmas"]})
    survei = pl.DataFrame({"kode_wilayah": ["99.01"], "tahun": [2024]})
    return {"wilayah": w, "batas_wilayah": batas, "faskes": fk, "pengukuran": uk, "sasaran": sas,
            "survei_stunting": survei, "target": survei}


def test_merge_half_moves_kecamatan_by_50_and_everything_built_on_them():
    m = besar.merge_half(_half())
    assert m["wilayah"]["kode"].to_list() == ["99.01.51", "99.01.62", "99.01.51.2001", "99.01.62.1003"]
    assert m["wilayah"]["parent"].to_list() == ["99.01", "99.01", "99.01.51", "99.01.62"]
    assert m["wilayah"]["kode_kab"].to_list() == ["99.01"] * 4
    assert m["wilayah"]["nama"].to_list() == ["Sukamaju Timur", "Wonokerto Timur", "Sukarejo", "Kauman"]
    assert m["faskes"]["kode_faskes"].to_list() == [
        "P9901510101", "PSY-9901512001-01", "RS-9901-51", "PSL-P9901620201", "PKD-9901621003"]
    assert m["faskes"]["kode_induk"].to_list() == [None, "P9901510101", None, "P9901620201", "P9901620201"]
    assert m["pengukuran"]["kode_posyandu"].to_list() == ["PSY-9901512001-01", None]
    assert m["pengukuran"]["id_anak"].to_list() == ["a-b1", "b-b1"]
    assert m["sasaran"]["kode_unit"].to_list() == ["99.01.51.2001", "P9901620201"]
    assert "survei_stunting" not in m and "target" not in m        # kab-level rows come from the first half only
    # geometry and points moved east by GESER_DERAJAT (0.75 degrees), not reshaped
    assert m["faskes"]["lon"].to_list() == pytest.approx([111.06, 111.07, 111.15, 111.26, 111.27])
    b = shapely.from_wkb(m["batas_wilayah"]["geom_wkb"].to_list())
    assert shapely.bounds(b[0]).tolist() == pytest.approx([111.05, -7.0, 111.15, -6.9])
    assert shapely.bounds(shapely.from_geojson(m["batas_wilayah"]["geojson"][1])).tolist() == pytest.approx(
        [111.25, -7.0, 111.35, -6.9])


def test_merged_codes_never_collide_with_the_first_half():
    a, m = _half(), besar.merge_half(_half())
    for table, col in (("wilayah", "kode"), ("faskes", "kode_faskes"), ("batas_wilayah", "kode")):
        assert not set(a[table][col]) & set(m[table][col]), table
    assert not set(a["pengukuran"]["id_anak"]) & set(m["pengukuran"]["id_anak"])


def test_only_one_half_can_be_merged():
    with pytest.raises(ValueError):
        besar.merge_rules(2)


def test_replicate_gives_new_child_ids_per_copy():
    uk = pl.DataFrame({"id_anak": ["a", "a", "b"], "tgl": [1, 2, 1]})
    r = besar.replicate(uk, 3)
    assert r.height == 9
    assert r["id_anak"].to_list() == ["a", "a", "b", "a-x01", "a-x01", "b-x01", "a-x02", "a-x02", "b-x02"]
    assert r.select("id_anak", "tgl").is_unique().all()


@pytest.mark.slow
def test_two_demo_seeds_merged_give_a_30_to_40_kecamatan_kabupaten():
    f = besar.frames((2024, 3031), salinan=1)
    w = f["wilayah"]
    n_kec = w.filter(pl.col("level") == "kecamatan").height
    n_desa = w.filter(pl.col("level") == "desa").height
    assert 30 <= n_kec <= 40 and 400 <= n_desa <= 600
    assert w.filter(pl.col("level") == "kabkota")["kode"].to_list() == ["99.01"]
    assert w["kode"].is_unique().all()
    assert f["faskes"]["kode_faskes"].is_unique().all()
    assert f["batas_wilayah"]["kode"].is_unique().all()
    assert set(f["pengukuran"]["kode_desa"]) <= set(w["kode"])
    assert set(f["faskes"]["kode_induk"].drop_nulls()) <= set(f["faskes"]["kode_faskes"])
    assert f["pengukuran"].select("id_anak", "tgl_ukur").is_unique().all()
    assert f["survei_stunting"].height == besar.generate(2024)["survei_stunting"].height
