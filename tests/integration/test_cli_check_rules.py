"""`admit rules lint` and `admit rules show`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admit.cli import app
from admit.cli.app import stdout

runner = CliRunner()
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def test_lint_clean_data_exits_zero() -> None:
    result = runner.invoke(app, ["rules", "lint", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout


def test_lint_reports_file_line_and_exits_nonzero(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE, root)
    path = root / "countries" / "ZZA.yaml"
    path.write_text(path.read_text().replace("regime: visa_on_arrival", "regime: on_arrival")
                    .replace("nationalities: [ZZB]", "nationalities: [ZZB, NOWHERE]"))
    result = runner.invoke(app, ["rules", "lint", str(root)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("countries/ZZA.yaml:8:") and "on_arrival" in line
               for line in lines), lines
    assert any(line.startswith("countries/ZZA.yaml:13:") and "'NOWHERE'" in line
               for line in lines), lines
    assert "problem(s)" in result.stdout
    one = runner.invoke(app, ["rules", "lint", str(path)])
    assert one.exit_code == 1


def test_lint_missing_directory_exits_two(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "lint", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such data directory" in " ".join(result.stderr.split())


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables fold long cells at 80 columns; the tests read whole cells."""
    monkeypatch.setattr(stdout, "width", 200)


def test_show_prints_rules_dates_and_sources() -> None:
    result = runner.invoke(app, ["rules", "show", "uto", "--rules", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "UTO Utopia" in text and "Policy AREA" in text
    assert "zzd-visa-free" in text and "2015-01-01 – 2022-12-31" in text
    assert "https://example.org/uto-aliens-act" in text


def test_show_on_a_date_filters_rules() -> None:
    result = runner.invoke(app, ["rules", "show", "UTO", "--rules", str(FIXTURE), "--on",
                                 "2016-01-01"])
    assert "zzd-visa-free" in result.stdout and "zzd-eta" not in result.stdout


def test_show_unknown_country_exits_two() -> None:
    result = runner.invoke(app, ["rules", "show", "ZZE", "--rules", str(FIXTURE)])
    assert result.exit_code == 2
    assert "no rule file countries/ZZE.yaml" in result.stderr
