"""Visa-waiver agreements written once in agreements.yaml and applied by every party: both
directions, party and suspension dates, one-way agreements, documents covered, and a country
rule that still restates the agreement is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from admit.errors import RuleDataError
from admit.model import Code, Status
from admit.rules import load_rules
from admit.rules.linter import lint
from tests.unit.test_engine import decide, doc, leg, trip_json
from tests.unit.test_rules_loader import FIXTURE, data_set

WAIVER = """\
  - id: ZZB-ZZD-WAIVER
    title: Agreement between Yonderland and Wonderland on visa-free travel
    kind: visa_waiver
    parties:
      - {country: ZZB}
      - {country: ZZD, from: 2020-01-01}
    documents: [passport]
    max_stay_days: 60
    window_days: 180
    suspended:
      - {from: 2021-01-01, until: 2021-06-30, note: suspended during an epidemic}
    sources:
      - {url: https://example.org/zzb-zzd, title: ZZB-ZZD waiver agreement, kind: treaty}
"""


def with_agreement(tmp_path: Path, text: str, files: dict[str, str] | None = None) -> Path:
    agreements = (FIXTURE / "agreements.yaml").read_text(encoding="utf-8") + text
    return data_set(tmp_path, {"agreements.yaml": agreements, **(files or {})})


def entering(rules_root: Path, nationality: str, to: str, day: str,
             kind: str = "passport") -> tuple[Status, int | None, tuple[str, ...]]:
    rules = load_rules(rules_root)
    decision = decide(rules, trip_json([nationality], [doc(nationality, kind=kind)],
                                       [leg(to, day)]))
    only = decision.legs[0]
    return only.status, only.max_stay_days, tuple(f.rule or "" for f in only.findings)


def test_a_mutual_waiver_applies_in_both_parties(tmp_path: Path) -> None:
    root = with_agreement(tmp_path, WAIVER)
    # Without it, ZZB asks for an eVisa and ZZD gives a visa on arrival for 15 days.
    status, stay, refs = entering(root, "ZZD", "ZZB", "2020-06-01")
    assert (status, stay) == (Status.ADMISSIBLE, 60)
    assert "agreements#ZZB-ZZD-WAIVER" in refs
    status, stay, refs = entering(root, "ZZB", "ZZD", "2020-06-01")
    assert (status, stay) == (Status.ADMISSIBLE, 60)
    assert "agreements#ZZB-ZZD-WAIVER" in refs


def test_party_dates_and_suspensions_bound_the_waiver(tmp_path: Path) -> None:
    root = with_agreement(tmp_path, WAIVER)
    # ZZD became a party in 2020: before it, ZZB's own default (an eVisa) applies.
    status, _, refs = entering(root, "ZZD", "ZZB", "2019-06-01")
    assert status is Status.AUTHORIZATION_REQUIRED and "ZZB#evisa" in refs
    # Suspended in the first half of 2021, in force again from 1 July.
    status, _, refs = entering(root, "ZZD", "ZZB", "2021-03-01")
    assert status is Status.AUTHORIZATION_REQUIRED
    assert "agreements#ZZB-ZZD-WAIVER" not in refs
    status, _, _ = entering(root, "ZZD", "ZZB", "2021-07-01")
    assert status is Status.ADMISSIBLE


def test_only_the_documents_covered_benefit(tmp_path: Path) -> None:
    root = with_agreement(tmp_path, WAIVER)
    status, _, refs = entering(root, "ZZD", "ZZB", "2020-06-01", kind="service_passport")
    assert status is Status.AUTHORIZATION_REQUIRED
    assert "agreements#ZZB-ZZD-WAIVER" not in refs


def test_a_one_way_waiver_applies_in_its_direction_only(tmp_path: Path) -> None:
    one_way = WAIVER.replace("    suspended:\n", "    directions:\n"
                             "      - {nationals: [ZZD], entering: [ZZB]}\n    suspended:\n")
    root = with_agreement(tmp_path, one_way)
    assert entering(root, "ZZD", "ZZB", "2020-06-01")[0] is Status.ADMISSIBLE
    status, stay, refs = entering(root, "ZZB", "ZZD", "2020-06-01")
    assert status is Status.ADMISSIBLE_ON_ARRIVAL and stay == 15  # ZZD's own default
    assert "agreements#ZZB-ZZD-WAIVER" not in refs


def test_a_country_rule_restating_the_agreement_is_refused(tmp_path: Path) -> None:
    zzb = (FIXTURE / "countries" / "ZZB.yaml").read_text(encoding="utf-8").replace(
        "entry:\n", "entry:\n  - id: zzd-free\n    nationalities: [ZZD]\n"
        "    documents: [passport]\n    regime: visa_free\n    max_stay_days: 60\n"
        "    sources: [visas]\n", 1)
    root = with_agreement(tmp_path, WAIVER, {"countries/ZZB.yaml": zzb})
    problems = [str(p) for p in lint(root)]
    assert any(p.startswith("countries/ZZB.yaml:") and "restates agreement 'ZZB-ZZD-WAIVER'"
               in p and "zzd-free" in p for p in problems), problems


def test_an_agreement_for_some_documents_beats_a_general_country_rule(tmp_path: Path) -> None:
    # A general visa requirement beside an agreement for diplomatic passports is no clash:
    # the narrower rule governs the documents it names.
    diplomatic = WAIVER.replace("documents: [passport]", "documents: [diplomatic_passport]")
    root = with_agreement(tmp_path, diplomatic)
    assert not [p for p in lint(root) if "ZZB-ZZD-WAIVER" in str(p)]
    status, _, refs = entering(root, "ZZD", "ZZB", "2020-06-01", kind="diplomatic_passport")
    assert status is Status.ADMISSIBLE and "agreements#ZZB-ZZD-WAIVER" in refs
    assert entering(root, "ZZD", "ZZB", "2020-06-01")[0] is Status.AUTHORIZATION_REQUIRED


@pytest.mark.parametrize(("change", "message"), [
    ("    documents: [passport]\n", "kind visa_waiver needs `documents`"),
    ("    max_stay_days: 60\n", "window_days: needs a max_stay_days"),
])
def test_malformed_waivers_fail_loudly(tmp_path: Path, change: str, message: str) -> None:
    root = with_agreement(tmp_path, WAIVER.replace(change, ""))
    with pytest.raises(RuleDataError, match=message):
        load_rules(root)


def test_a_direction_must_name_parties(tmp_path: Path) -> None:
    bad = WAIVER.replace("    suspended:\n", "    directions:\n"
                         "      - {nationals: [UTO], entering: [ZZB]}\n    suspended:\n")
    with pytest.raises(RuleDataError, match="UTO is not a party"):
        load_rules(with_agreement(tmp_path, bad))


def test_stay_terms_belong_to_waivers_only(tmp_path: Path) -> None:
    text = (FIXTURE / "agreements.yaml").read_text(encoding="utf-8").replace(
        "    kind: extradition\n", "    kind: extradition\n    max_stay_days: 30\n")
    root = data_set(tmp_path, {"agreements.yaml": text})
    with pytest.raises(RuleDataError, match="only a visa_waiver agreement has stay terms"):
        load_rules(root)


def test_stay_limit_of_the_agreement_is_enforced(tmp_path: Path) -> None:
    rules = load_rules(with_agreement(tmp_path, WAIVER))
    decision = decide(rules, trip_json(["ZZD"], [doc("ZZD")],
                                       [leg("ZZB", "2022-01-01", "2022-04-01")]))
    codes = {f.code for f in decision.legs[0].findings}
    assert Code.STAY_TOO_LONG in codes


ALL_EXCEPT = """\
  - id: everyone-but-union
    nationalities: {all_except: [UNION, ZZE]}
    regime: visa_required
    sources: [visas]
"""


def test_all_except_covers_everyone_but_the_excepted(tmp_path: Path) -> None:
    zzb = (FIXTURE / "countries" / "ZZB.yaml").read_text(encoding="utf-8").replace(
        "entry:\n", "entry:\n" + ALL_EXCEPT, 1)
    root = data_set(tmp_path, {"countries/ZZB.yaml": zzb})
    assert not lint(root)
    # ZZD is outside the excepted: the all_except rule beats ZZB's default eVisa.
    status, _, refs = entering(root, "ZZD", "ZZB", "2024-06-01")
    assert status is Status.AUTHORIZATION_REQUIRED and "ZZB#everyone-but-union" in refs
    # ZZE is excepted and named by its own rule, which governs.
    status, _, refs = entering(root, "ZZE", "ZZB", "2024-06-01")
    assert status is Status.ADMISSIBLE and "ZZB#zze-short-stays" in refs
    # A member of the excepted group falls through to the default.
    status, _, refs = entering(root, "ZZA", "ZZB", "2024-06-01")
    assert "ZZB#evisa" in refs and "ZZB#everyone-but-union" not in refs


def test_all_except_follows_group_membership_dates(tmp_path: Path) -> None:
    zzb = (FIXTURE / "countries" / "ZZB.yaml").read_text(encoding="utf-8").replace(
        "entry:\n", "entry:\n" + ALL_EXCEPT, 1)
    root = data_set(tmp_path, {"countries/ZZB.yaml": zzb})
    # ZZC left UNION at the end of 2019 (groups.yaml): excepted before, covered after.
    assert "ZZB#evisa" in entering(root, "ZZC", "ZZB", "2015-06-01")[2]
    assert "ZZB#everyone-but-union" in entering(root, "ZZC", "ZZB", "2024-06-01")[2]


def test_two_all_except_rules_on_the_same_days_overlap(tmp_path: Path) -> None:
    twice = ALL_EXCEPT + ALL_EXCEPT.replace("everyone-but-union", "again").replace(
        "UNION, ZZE", "ZZE")
    zzb = (FIXTURE / "countries" / "ZZB.yaml").read_text(encoding="utf-8").replace(
        "entry:\n", "entry:\n" + twice, 1)
    root = data_set(tmp_path, {"countries/ZZB.yaml": zzb})
    assert any("'again' overlaps rule 'everyone-but-union'" in str(p) for p in lint(root))


def test_all_except_needs_a_list(tmp_path: Path) -> None:
    bad = ALL_EXCEPT.replace("{all_except: [UNION, ZZE]}", "{all_except: []}")
    zzb = (FIXTURE / "countries" / "ZZB.yaml").read_text(encoding="utf-8").replace(
        "entry:\n", "entry:\n" + bad, 1)
    with pytest.raises(RuleDataError, match="all_except: expected a non-empty list"):
        load_rules(data_set(tmp_path, {"countries/ZZB.yaml": zzb}))
