"""Loading rule data: the fixture set loads, the embedded set loads, the cache and the data
version behave, and every kind of malformed file fails loudly with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from admit.errors import RuleDataError
from admit.rules import default_data_dir, load_rules

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def data_set(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the fixture set with some files replaced or added."""
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE, root)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def country(body: str, code: str = "ZZA") -> str:
    return f"country: {code}\nname: Test\nverified: 2026-11-24\n{body}"


SRC = "    sources: [{url: https://example.org/x, title: X, kind: official}]\n"


def test_fixture_loads() -> None:
    rules = load_rules(FIXTURE)
    assert set(rules.destinations) == {"UTO", "ZZA", "ZZB", "ZZD"}
    assert set(rules.groups) == {"UNION", "AREA"}
    assert set(rules.policies) == {"AREA"}
    assert rules.fictional_codes["ZZA"] == "Zedland"
    assert len(rules.data_version) == 16
    assert [a.spec.id for a in rules.expired_documents] == ["EXPIRED-5"]
    assert [a.spec.id for a in rules.internal_documents] == ["INTERNAL"]
    assert load_rules(FIXTURE) is rules  # compiled once per directory


def test_embedded_data_set_loads() -> None:
    rules = load_rules()
    assert rules.path == default_data_dir().resolve()
    assert rules.destinations  # the shipped data set has countries
    assert not rules.fictional_codes


def test_data_version_follows_content(tmp_path: Path) -> None:
    root = data_set(tmp_path, {})
    first = load_rules(root)
    assert first.data_version == load_rules(FIXTURE).data_version
    path = root / "countries" / "ZZA.yaml"
    path.write_text(path.read_text() + "# a comment changes the content\n")
    second = load_rules(root)
    assert second is not first
    assert second.data_version != first.data_version


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleDataError, match="no such data directory"):
        load_rules(tmp_path / "nowhere")


BROKEN = [
    ("yaml-syntax", {"countries/ZZA.yaml": country("entry: [\n  - id: x\n")},
     "countries/ZZA.yaml:5:", "not valid YAML"),
    ("duplicate-key", {"countries/ZZA.yaml": country("name: Again\n")},
     "countries/ZZA.yaml:4:", "duplicate key 'name'"),
    ("non-text-key", {"countries/ZZA.yaml": country("2023: x\n")},
     "countries/ZZA.yaml:4:", "is not a text key"),
    ("impossible-date", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    from: 2023-02-30\n" + SRC)}, "countries/ZZA.yaml:8:", "not a real date"),
    ("unknown-field", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    max_stay: 30\n" + SRC)}, "countries/ZZA.yaml:8:", "unknown field 'max_stay'"),
    ("bad-regime", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa-free\n" + SRC)},
     "countries/ZZA.yaml:7:", "regime: expected one of freedom_of_movement"),
    ("missing-regime", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n" + SRC)},
     "countries/ZZA.yaml:5:", "missing required field 'regime'"),
    ("file-name", {"countries/ZZA.yaml": country("", code="ZZB")},
     "countries/ZZA.yaml:1:", "country must be 'ZZA', got 'ZZB'"),
    ("unknown-code", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO, XYZ]\n    regime: visa_free\n" + SRC)},
     "countries/ZZA.yaml:6:", "unknown code or group 'XYZ'"),
    ("undefined-group", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [NOWHERE]\n    regime: visa_free\n" + SRC)},
     "countries/ZZA.yaml:6:", "unknown code or group 'NOWHERE'"),
    ("unknown-reference", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    sources: [nope]\n")}, "countries/ZZA.yaml:8:", "unknown reference key 'nope'"),
    ("missing-sources", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n")},
     "countries/ZZA.yaml:5:", "missing required field 'sources'"),
    ("empty-sources", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    sources: []\n")}, "countries/ZZA.yaml:8:", "missing sources"),
    ("source-without-url", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    sources: [{url: example.org, title: X, kind: official}]\n")},
     "countries/ZZA.yaml:8:", "expected an http(s) URL"),
    ("until-before-from", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    from: 2020-01-01\n    until: 2019-01-01\n" + SRC)},
     "countries/ZZA.yaml:9:", "is before from 2020-01-01"),
    ("window-shorter-than-stay", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    max_stay_days: 90\n    window_days: 60\n" + SRC)},
     "countries/ZZA.yaml:9:", "window_days: needs a max_stay_days no longer"),
    ("bool-as-number", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
        "    max_stay_days: yes\n" + SRC)},
     "countries/ZZA.yaml:8:", "expected a whole number >= 1, got True"),
    ("duplicate-id", {"countries/ZZA.yaml": country(
        "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n" + SRC +
        "  - id: a\n    nationalities: [ZZD]\n    regime: visa_free\n" + SRC)},
     "countries/ZZA.yaml:9:", "duplicate rule id 'a' (first used on line 5)"),
    ("validity-without-requirement", {"countries/ZZA.yaml": country(
        "validity:\n  - id: a\n    nationalities: default\n" + SRC)},
     "countries/ZZA.yaml:5:", "states no requirement"),
    ("unknown-policy", {"countries/ZZA.yaml": country("policies: [NOPE]\n")},
     "countries/ZZA.yaml:4:", "no policy file policies/NOPE.yaml"),
    ("policy-of-a-non-member", {"countries/ZZA.yaml": country("policies: [AREA]\n")},
     "countries/ZZA.yaml:4:", "ZZA is never a member of the group that applies AREA"),
    ("policy-members-undefined", {"policies/AREA.yaml": "name: A\nverified: 2026-11-24\n"
                                  "members: NOWHERE\n"},
     "policies/AREA.yaml:3:", "'NOWHERE' is not a group defined in groups.yaml"),
    ("group-member-unknown", {"groups.yaml": (FIXTURE / "groups.yaml").read_text()
                              + "  G:\n    name: G\n    members: [UTO, QQQ]\n" + SRC},
     "groups.yaml:30:", "unknown country code 'QQQ'"),
    ("real-code-as-fictional", {"groups.yaml": (FIXTURE / "groups.yaml").read_text()
                                .replace("  ZZA: Zedland", "  DEU: Zedland")},
     "groups.yaml:", "'DEU' must be a three-letter code that is not a real ICAO code"),
    ("agreement-without-years", {"agreements.yaml": "verified: 2026-11-24\nagreements:\n"
                                 "  - id: a\n    title: A\n    kind: expired_documents\n"
                                 "    parties: [UTO]\n    documents: [passport]\n" + SRC},
     "agreements.yaml:3:", "needs `expired_up_to_years`"),
    ("stray-file", {"notes.yaml": "a: 1\n"}, "notes.yaml:1:", "unexpected file"),
    ("yml-extension", {"countries/ZZE.yml": "a: 1\n"}, "countries/ZZE.yml:1:",
     ".yaml, not .yml"),
    ("empty-file", {"countries/ZZA.yaml": ""}, "countries/ZZA.yaml:1:",
     "expected a mapping, got None"),
]


@pytest.mark.parametrize(("files", "where", "what"), [c[1:] for c in BROKEN],
                         ids=[c[0] for c in BROKEN])
def test_malformed_file_fails_with_file_and_line(tmp_path: Path, files: dict[str, str],
                                                 where: str, what: str) -> None:
    root = data_set(tmp_path, files)
    with pytest.raises(RuleDataError) as info:
        load_rules(root)
    message = str(info.value)
    assert f"{root}/{where}" in message, message
    assert what in message, message


def test_every_problem_is_counted(tmp_path: Path) -> None:
    bad = "entry:\n  - id: a\n    nationalities: [XYZ]\n    regime: visa_free\n" + SRC
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(bad),
                               "countries/ZZB.yaml": country(bad, code="ZZB")})
    with pytest.raises(RuleDataError, match=r"and 1 more: run `admit rules lint"):
        load_rules(root)
