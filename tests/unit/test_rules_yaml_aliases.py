"""YAML anchors and aliases are refused in rule files, with file:line, before anything expands
them: a 10 KB "billion laughs" file must not exhaust the linter's memory."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from admit.errors import RuleDataError
from admit.rules import load_rules
from admit.rules.yamlload import load_yaml
from tests.unit.test_rules_loader import SRC, country, data_set


def laughs(levels: int = 9) -> str:
    """Each level names the previous one ten times: 10**levels strings once expanded."""
    lines = ['lol:\n  l0: &l0 "lol"\n']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"  l{level}: &l{level} [{refs}]\n")
    return "".join(lines)


@pytest.mark.parametrize(("text", "line", "what"), [
    ("a: &x [UTO]\nb: *x\n", 2, "alias *x (of the anchor &x on line 1)"),
    ("a:\n  - &x {k: v}\n  - *x\n", 3, "alias *x (of the anchor &x on line 2)"),
    ("a: &note Some text\nb: *note\n", 2, "alias *note"),
    ("a: &x {k: v}\nb:\n  <<: *x\n", 3, "alias *x"),
    ("a: &unused [UTO]\n", 1, "anchor &unused"),
    ("a: [UTO]\nb: !!str &x text\n", 2, "anchor &x"),
])
def test_anchors_and_aliases_are_refused_with_their_line(text: str, line: int,
                                                          what: str) -> None:
    with pytest.raises(RuleDataError) as info:
        load_yaml(text, "countries/ZZA.yaml")
    assert info.value.file == "countries/ZZA.yaml"
    assert info.value.line == line, info.value
    assert what in info.value.message
    assert "not allowed in rule files" in info.value.message


@pytest.mark.parametrize("text", [
    "url: https://example.org/a?b=1&c=2\n",
    "title: Passport & visa requirements\n",
    "note: a *valid* identity card\n",
    "note: 'quoted &x and *y'\n",
    'note: "a & b, *c"\n',
])
def test_ampersands_and_asterisks_in_text_are_fine(text: str) -> None:
    assert load_yaml(text, "countries/ZZA.yaml")


def test_an_aliased_nationality_list_does_not_load(tmp_path: Path) -> None:
    body = ("entry:\n  - id: a\n    nationalities: &both [UTO, ZZB]\n    regime: visa_free\n"
            + SRC + "  - id: b\n    nationalities: *both\n    regime: visa_required\n"
            "    from: 2030-01-01\n" + SRC)
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(body)})
    with pytest.raises(RuleDataError, match=r"countries/ZZA\.yaml:10: alias \*both"):
        load_rules(root)


def test_linting_a_billion_laughs_is_one_problem_in_bounded_memory(tmp_path: Path) -> None:
    bomb = country(laughs())
    assert len(bomb.encode()) < 10_000
    root = data_set(tmp_path, {"countries/ZZA.yaml": bomb})
    # In a child process whose address space is capped at 768 MB: expanding the file would
    # need gigabytes, so a linter that expands it dies instead of answering.
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (768 * 2**20, 768 * 2**20))
        from admit.rules.linter import lint
        for problem in lint({str(root)!r}):
            print(problem)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [
        "countries/ZZA.yaml:6: alias *l0 (of the anchor &l0 on line 5): anchors and aliases "
        "are not allowed in rule files; write the value out"], done.stdout
