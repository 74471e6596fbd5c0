"""What a data set must not get away with: loading refuses everything lint refuses (overlapping
rules, files it would not read, missing parts, `verified` dates in the future), each with the
file that is wrong, and lint reports exactly what loading refuses."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from admit.engine import check
from admit.errors import RuleDataError
from admit.model import Status, Trip
from admit.rules import load_rules
from admit.rules.linter import lint
from tests.unit.test_rules_loader import BROKEN, FIXTURE, SRC, country, data_set

TODAY = datetime.now(UTC).date()
LATER = (TODAY + timedelta(days=2)).isoformat()  # not yet begun anywhere on Earth


def rule(rule_id: str, regime: str, nationalities: str = "[ZZD]") -> str:
    return (f"  - id: {rule_id}\n    nationalities: {nationalities}\n    regime: {regime}\n"
            + SRC)


def remove(root: Path, *rels: str) -> Path:
    for rel in rels:
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return root


def replace(rel: str, old: str, new: str) -> Callable[[Path], Path]:
    def edit(root: Path) -> Path:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} has no {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return root

    return edit


def test_an_overlap_does_not_let_file_order_decide(tmp_path: Path) -> None:
    shadowed = "entry:\n" + rule("zzd-visa-free", "visa_free") + rule("zzd-barred",
                                                                        "not_admitted")
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(shadowed)})
    with pytest.raises(RuleDataError) as info:
        load_rules(root)
    message = str(info.value)
    assert f"{root}/countries/ZZA.yaml:9:" in message, message
    assert "entry rule 'zzd-barred' overlaps rule 'zzd-visa-free' (line 5) for ZZD" in message


def test_the_same_rules_in_distinct_dates_load_and_decide(tmp_path: Path) -> None:
    dated = ("entry:\n" + rule("zzd-visa-free", "visa_free").replace(
        "    regime:", "    until: 2019-12-31\n    regime:")
        + rule("zzd-barred", "not_admitted").replace("    regime:", "    from: 2020-01-01\n"
                                                     "    regime:"))
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(dated)})
    rules = load_rules(root)
    trip = Trip.from_json({
        "traveller": {"nationalities": ["ZZD"], "documents": [
            {"type": "passport", "issuer": "ZZD", "issued": "2020-01-10",
             "expires": "2030-01-10"}]},
        "itinerary": [{"from": "UTO", "to": "ZZA", "date": "2023-02-20"}]},
        extra_codes=rules.extra_codes)
    assert check(trip, rules).status is Status.INADMISSIBLE


def test_an_overlap_in_a_policy_is_refused_too(tmp_path: Path) -> None:
    root = replace("policies/AREA.yaml", "  - id: annex-visa\n",
                   rule("annex-again", "visa_required", "[ZZE]") + "  - id: annex-visa\n")(
        data_set(tmp_path, {}))
    with pytest.raises(RuleDataError, match=r"policies/AREA\.yaml:\d+: entry rule "
                        r"'annex-again' overlaps rule 'annex-free'"):
        load_rules(root)


# (id, files added, then an edit of the copied fixture, the file:line the error names, what)
REFUSED: list[tuple[str, dict[str, str], Callable[[Path], Path] | None, str, str]] = [
    ("upper-case-extension", {"countries/MNG.YAML": country("", "MNG")}, None,
     "countries/MNG.YAML:1:", "not read: rule files end in .yaml"),
    ("other-extension", {"countries/ZZE.json": "{}\n"}, None,
     "countries/ZZE.json:1:", "not read: rule files end in .yaml"),
    ("country-file-in-subfolder", {"countries/old/ZZE.yaml": country("", "ZZE")}, None,
     "countries/old/ZZE.yaml:1:", "not read: rule files sit directly in countries/"),
    ("policy-file-in-subfolder", {"policies/draft/AREA.yaml": "name: A\n"}, None,
     "policies/draft/AREA.yaml:1:", "not read: rule files sit directly in policies/"),
    ("folder-at-the-top", {"archive/ZZE.yaml": country("", "ZZE")}, None,
     "archive/ZZE.yaml:1:", "not read: a data set holds groups.yaml, agreements.yaml"),
    ("other-file-at-the-top", {"README.md": "notes\n"}, None,
     "README.md:1:", "not read: a data set holds groups.yaml, agreements.yaml"),
    ("missing-agreements", {}, lambda root: remove(root, "agreements.yaml"),
     "agreements.yaml:1:", "missing: every data set has agreements.yaml"),
    ("missing-groups", {}, lambda root: remove(root, "groups.yaml"),
     "groups.yaml:1:", "missing: every data set has groups.yaml"),
    ("empty-countries", {}, lambda root: remove(root, *(
        f"countries/{p.name}" for p in (FIXTURE / "countries").iterdir())),
     "countries:1:", "no country files"),
    ("no-countries-folder", {}, lambda root: remove(root, "countries"),
     "countries:1:", "no country files"),
    ("country-verified-later", {"countries/ZZA.yaml": country("").replace(
        "2026-11-24", LATER)}, None, "countries/ZZA.yaml:3:",
     f"verified: {LATER} is in the future"),
    ("policy-verified-later", {}, replace("policies/AREA.yaml", "verified: 2026-11-24",
                                          f"verified: {LATER}"),
     "policies/AREA.yaml:2:", f"verified: {LATER} is in the future"),
    ("groups-verified-later", {}, replace("groups.yaml", "verified: 2026-11-24",
                                          f"verified: {LATER}"),
     "groups.yaml:4:", f"verified: {LATER} is in the future"),
    ("agreements-verified-later", {}, replace("agreements.yaml", "verified: 2026-11-24",
                                              f"verified: {LATER}"),
     "agreements.yaml:1:", f"verified: {LATER} is in the future"),
    ("overlap", {"countries/ZZA.yaml": country("entry:\n" + rule("a", "visa_free")
                                               + rule("b", "not_admitted"))}, None,
     "countries/ZZA.yaml:9:", "entry rule 'b' overlaps rule 'a' (line 5) for ZZD"),
]


def build(tmp_path: Path, files: dict[str, str],
          edit: Callable[[Path], Path] | None) -> Path:
    root = data_set(tmp_path, files)
    return edit(root) if edit is not None else root


@pytest.mark.parametrize(("files", "edit", "where", "what"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_loading_refuses_naming_the_file(tmp_path: Path, files: dict[str, str],
                                         edit: Callable[[Path], Path] | None, where: str,
                                         what: str) -> None:
    root = build(tmp_path, files, edit)
    with pytest.raises(RuleDataError) as info:
        load_rules(root)
    message = str(info.value)
    assert f"{root}/{where}" in message, message
    assert what in message, message


@pytest.mark.parametrize(("files", "edit", "where", "what"),
                         [c[1:] for c in REFUSED] + [(c[1], None, *c[2:]) for c in BROKEN],
                         ids=[c[0] for c in REFUSED] + [c[0] for c in BROKEN])
def test_lint_reports_what_loading_refuses(tmp_path: Path, files: dict[str, str],
                                           edit: Callable[[Path], Path] | None, where: str,
                                           what: str) -> None:
    root = build(tmp_path, files, edit)
    with pytest.raises(RuleDataError) as info:
        load_rules(root)
    found = [str(p) for p in lint(root)]
    assert any(p.startswith(where) and what in p for p in found), found
    assert str(info.value).removeprefix(f"{root}/").split(" (and ")[0] in found, found


def test_a_verified_date_of_today_loads(tmp_path: Path) -> None:
    root = data_set(tmp_path, {"countries/ZZA.yaml": country("").replace(
        "2026-11-24", TODAY.isoformat())})
    assert "ZZA" in load_rules(root).destinations


def test_hidden_entries_are_not_rule_data(tmp_path: Path) -> None:
    """A data set kept in its own repository carries .git; editors leave dot-files."""
    root = data_set(tmp_path, {".git/config": "[core]\n", "countries/.ZZA.yaml.swp": "x"})
    assert set(load_rules(root).destinations) == {"UTO", "ZZA", "ZZB", "ZZD"}
    assert lint(root) == []


def test_a_stray_file_added_later_is_seen(tmp_path: Path) -> None:
    root = data_set(tmp_path, {})
    load_rules(root)
    (root / "countries" / "old").mkdir()
    (root / "countries" / "old" / "ZZE.yaml").write_text(country("", "ZZE"))
    with pytest.raises(RuleDataError, match=r"countries/old/ZZE\.yaml:1: not read"):
        load_rules(root)
