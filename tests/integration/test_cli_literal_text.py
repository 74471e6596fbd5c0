"""The command line prints user and rule-file text exactly as written.

Rich reads `[bold]` as a style, `[/]` as a closing tag (a MarkupError when nothing is open) and
`:100:` as an emoji code; none of that may happen to a value a user typed or a rule file holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from admit.cli import app

runner = CliRunner()
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
TRICKY = ("[/]", "[bold]X", ":100:", "[red]a[/red] :smile:")


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("value", TRICKY)
def test_a_typed_value_is_echoed_as_typed_in_the_error(value: str) -> None:
    result = run("check", "--rules", str(FIXTURE), "--nationality", value, "--from", "ZZA",
                 "--to", "UTO", "--date", "2023-02-27")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == ("error: --nationality: unknown country code (ICAO Doc 9303 codes, "
                             f"e.g. 'DEU') (got {value!r})\n")


@pytest.mark.parametrize("value", TRICKY)
def test_a_date_option_is_echoed_as_typed(value: str) -> None:
    result = run("rules", "coverage", "--rules", str(FIXTURE), "--on", value)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: --on: not a date (got {value!r})\n"


@pytest.fixture
def line_100(tmp_path: Path) -> Path:
    """The fixture data set with a mistake on line 100 of countries/ZZD.yaml."""
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE, root)
    path = root / "countries" / "ZZD.yaml"
    padding = "".join(f"# line {n}\n" for n in range(1, 100))
    path.write_text(padding + "bogus_key: 1\n" + path.read_text())
    return root


def test_lint_prints_line_100_as_a_number(line_100: Path) -> None:
    result = run("rules", "lint", str(line_100))
    assert result.exit_code == 1, result.output
    assert "countries/ZZD.yaml:100: " in result.stdout
    assert "💯" not in result.stdout


@pytest.mark.parametrize("command", [
    ("check", "--nationality", "RUS", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-27"),
    ("rules", "show", "UTO"),
    ("screen", "-"),
])
def test_a_broken_data_set_is_reported_with_its_line_number(line_100: Path,
                                                            command: tuple[str, ...]) -> None:
    result = run(*command, "--rules", str(line_100))
    assert result.exit_code in (1, 2), result.output
    assert f"{line_100 / 'countries' / 'ZZD.yaml'}:100: " in result.stderr
    assert "💯" not in result.stderr


def test_rule_file_text_is_shown_as_written(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE, root)
    path = root / "countries" / "UTO.yaml"
    text = path.read_text()
    path.write_text(text.replace("name: Utopia\n", "name: 'Utopia [bold]x[/] :100:'\n"
                                 "note: 'Known gaps: [/] and :smile: are not covered.'\n", 1))
    shown = run("rules", "show", "UTO", "--rules", str(root))
    assert shown.exit_code == 0, shown.output
    assert "UTO Utopia [bold]x[/] :100: — verified" in shown.stdout
    assert "Known gaps: [/] and :smile: are not covered." in shown.stdout
    coverage = run("rules", "coverage", "--gaps", "--rules", str(root))
    assert coverage.exit_code == 0, coverage.output
    assert "UTO Utopia [bold]x[/] :100:" in coverage.stdout
    assert "UTO: Known gaps: [/] and :smile: are not covered." in coverage.stdout
