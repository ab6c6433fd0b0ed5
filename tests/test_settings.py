"""Every setting has a default and help, and the README documents it (name and environment variable)."""
import pytest

from ilp import config
from tests.conftest import ROOT


def test_every_setting_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in config.SETTINGS.values():
        assert s.default != "" and s.help
        assert f"| {s.name} |" in readme and f"`{s.env}`" in readme, s.name


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("ILP_DB", raising=False)
    assert config.db_path().name == "ilp.duckdb"
    monkeypatch.setenv("ILP_DB", str(tmp_path / "x.duckdb"))
    assert config.db_path() == tmp_path / "x.duckdb"
    assert config.db_path(tmp_path / "y.duckdb") == tmp_path / "y.duckdb"


@pytest.mark.slow  # builds the full demo district through the CLI
def test_cli_demo_respects_db_flag_and_env(tmp_path, monkeypatch):
    from ilp.cli import main
    out = tmp_path / "cli.duckdb"
    assert main(["demo", "--db", str(out)]) == 0 and out.exists()
    import duckdb
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("select value from meta where key = 'kode_kab'").fetchall() == [("99.01",)]
