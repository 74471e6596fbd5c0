"""Every transition of the state machine and every guard, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admit.cases import CaseService, State, TransitionRefused, VersionConflict
from admit.cases.domain import ClaimStatus, DeferralStatus
from admit.cases.machine import ACTIONS
from admit.errors import InputError
from tests.cases.conftest import ARRIVAL, OFFICER, OFFICER_2, at, refusal
from tests.cases.workflow import PATHS, PREREQUISITES, do, reach

CASE_ACTIONS = [name for name in ACTIONS if name != "open"]


def test_open_starts_refused_with_the_engine_decision(service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    assert (case.state, case.version, case.opened_by) == (State.REFUSED, 1, "olga")
    decision = case.refusal.decision
    assert decision["data_version"] == service.rules.data_version
    assert decision["legs"][0]["country"] == "ZZA"
    assert case.refusal.arrival.embarkation_country == "UTO"
    assert service.get(OFFICER, case.id) == case


def test_every_allowed_transition_reaches_its_target(service: CaseService) -> None:
    for name in CASE_ACTIONS:
        act = ACTIONS[name]
        for source in sorted(act.sources, key=list(State).index):
            case = reach(service, source)
            for step in PREREQUISITES.get(name, ()):
                case = do(service, case, step)
            before = case.version
            after = do(service, case, name)
            expected = act.target if act.target is not None else source
            assert after.state is expected, (name, source)
            assert after.version == before + 1, (name, source)
            assert service.get(OFFICER, case.id) == after, (name, source)


def test_every_other_transition_is_refused(service: CaseService) -> None:
    cases = {state: reach(service, state) for state in PATHS}
    for name in CASE_ACTIONS:
        for state, case in cases.items():
            if state in ACTIONS[name].sources:
                continue
            with pytest.raises(TransitionRefused) as refused:
                do(service, case, name)
            assert refused.value.code == "INVALID_TRANSITION", (name, state)
            assert state.value in refused.value.message
    for state, case in cases.items():  # nothing changed
        assert service.get(OFFICER, case.id).version == case.version, state


def test_unknown_action_is_refused(service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    with pytest.raises(TransitionRefused) as refused:
        service.act(OFFICER, case.id, "deport", {})
    assert refused.value.code == "UNKNOWN_ACTION"


@pytest.mark.parametrize("action", ["approve_removal", "remove"])
def test_a_pending_claim_blocks_removal(service: CaseService, action: str) -> None:
    case = reach(service, State.REMOVAL_PROPOSED if action == "approve_removal"
                 else State.REMOVAL_APPROVED)
    case = do(service, case, "lodge_claim")
    with pytest.raises(TransitionRefused) as refused:
        do(service, case, action)
    assert refused.value.code == "NON_REFOULEMENT_HOLD"
    assert "claim #1" in refused.value.message and "ZZC" in refused.value.message
    # a referral to the asylum procedure keeps the hold; a rejection lifts it
    referred = do(service, case, "assess_claim", outcome="referred")
    assert referred.claims[0].status is ClaimStatus.REFERRED
    with pytest.raises(TransitionRefused, match="NON_REFOULEMENT_HOLD"):
        do(service, referred, action)


def test_the_hold_is_lifted_when_the_claim_is_rejected(service: CaseService) -> None:
    case = do(service, reach(service, State.REMOVAL_APPROVED), "lodge_claim")
    case = do(service, case, "assess_claim", outcome="rejected")
    assert not case.on_hold
    assert do(service, case, "remove").state is State.REMOVED


def test_the_hold_comes_before_the_state_check(service: CaseService) -> None:
    case = do(service, service.open(OFFICER, refusal()), "lodge_claim")
    with pytest.raises(TransitionRefused) as refused:
        do(service, case, "remove")
    assert refused.value.code == "NON_REFOULEMENT_HOLD"


def test_removal_waits_for_a_deferral_decision_and_date(service: CaseService) -> None:
    case = do(service, reach(service, State.REMOVAL_APPROVED), "request_deferral")
    with pytest.raises(TransitionRefused, match="DEFERRAL_PENDING"):
        do(service, case, "remove")
    case = do(service, case, "decide_deferral", new_date="2024-05-14")
    assert case.deferrals[0].status is DeferralStatus.GRANTED
    assert case.deferrals[0].decided_by == "sam"
    with pytest.raises(TransitionRefused, match="DEFERRAL_IN_EFFECT"):
        do(service, case, "remove", removed_at=at(24))
    on_the_day = do(service, case, "remove", removed_at="2024-05-14T06:00:00Z")
    assert on_the_day.outcome is not None and on_the_day.outcome.destination == "UTO"


def test_a_refused_deferral_does_not_postpone(service: CaseService) -> None:
    case = do(service, reach(service, State.REMOVAL_APPROVED), "request_deferral")
    case = do(service, case, "decide_deferral", granted=False, new_date=None)
    assert case.deferrals[0].status is DeferralStatus.REFUSED
    assert case.granted_until is None
    assert do(service, case, "remove").state is State.REMOVED


def test_deferral_decisions_need_a_pending_request_and_a_date(service: CaseService) -> None:
    case = reach(service, State.REFUSED)
    with pytest.raises(TransitionRefused, match="DEFERRAL_NOT_FOUND"):
        do(service, case, "decide_deferral")
    case = do(service, case, "request_deferral")
    with pytest.raises(InputError) as missing:
        do(service, case, "decide_deferral", new_date=None)
    assert missing.value.field == "new_date"
    case = do(service, case, "decide_deferral")
    with pytest.raises(TransitionRefused, match="DEFERRAL_ALREADY_DECIDED"):
        do(service, case, "decide_deferral")


def test_claims_are_assessed_once(service: CaseService) -> None:
    case = reach(service, State.REFUSED)
    with pytest.raises(TransitionRefused, match="CLAIM_NOT_FOUND"):
        do(service, case, "assess_claim")
    case = do(service, do(service, case, "lodge_claim"), "assess_claim")
    assert case.claims[0].assessed_by == "sam"
    with pytest.raises(TransitionRefused, match="CLAIM_ALREADY_ASSESSED"):
        do(service, case, "assess_claim")


def test_only_the_approved_destination_may_be_removed_to(service: CaseService) -> None:
    case = reach(service, State.REMOVAL_APPROVED)
    with pytest.raises(TransitionRefused, match="DESTINATION_NOT_APPROVED"):
        do(service, case, "remove", destination="ZZD")
    reproposed = do(service, case, "propose_removal", destination="ZZD")
    assert reproposed.state is State.REMOVAL_PROPOSED and reproposed.removal is not None
    assert reproposed.removal.approved_by is None


def test_transfer_needs_a_claim_and_withdrawal_needs_none(service: CaseService) -> None:
    case = reach(service, State.REFUSED)
    with pytest.raises(TransitionRefused, match="NO_PROTECTION_CLAIM"):
        do(service, case, "transfer")
    case = do(service, case, "lodge_claim")
    with pytest.raises(TransitionRefused, match="CLAIM_PENDING"):
        do(service, case, "withdraw")
    case = do(service, case, "assess_claim", outcome="withdrawn")
    assert do(service, case, "withdraw").state is State.WITHDRAWN


def test_times_and_dates_are_checked_against_the_arrival(service: CaseService) -> None:
    case = reach(service, State.REFUSED)
    with pytest.raises(InputError) as early:
        do(service, case, "propose_removal", date="2024-05-01")
    assert early.value.field == "date"
    with pytest.raises(InputError) as backwards:
        do(service, case, "notify_carrier", deadline=at(0.5))
    assert backwards.value.field == "deadline"


def test_a_stale_version_is_a_conflict_and_changes_nothing(service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    first = service.act(OFFICER, case.id, "note", {"text": "first"}, case.version)
    with pytest.raises(VersionConflict) as conflict:
        service.act(OFFICER_2, case.id, "note", {"text": "second"}, case.version)
    assert conflict.value.status == 409
    now = service.get(OFFICER, case.id)
    assert now == first and [n.text for n in now.notes] == ["first"]
    retried = service.act(OFFICER_2, case.id, "note", {"text": "second"}, now.version)
    assert [n.text for n in retried.notes] == ["first", "second"]


def test_deadlines_follow_the_case(service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    due = service.due(OFFICER, at=ARRIVAL + timedelta(minutes=1))
    assert [(s.id, s.deadline_kind) for s in due] == [(case.id, "notify_carrier")]
    assert service.due(OFFICER, at=ARRIVAL - timedelta(minutes=1)) == []
    case = do(service, case, "notify_carrier")
    summary = service.summaries(OFFICER)[0]
    assert (summary.deadline_kind, summary.next_deadline) == ("removal", ARRIVAL +
                                                               timedelta(hours=30))
    case = do(service, do(service, case, "request_deferral"), "decide_deferral")
    summary = service.summaries(OFFICER)[0]
    assert summary.next_deadline is not None
    assert summary.next_deadline.date().isoformat() == "2024-05-14"
    do(service, case, "lodge_claim")
    summary = service.summaries(OFFICER)[0]
    assert (summary.deadline_kind, summary.next_deadline) == ("assess_claim",
                                                               ARRIVAL + timedelta(hours=72))


def test_lists_sort_by_next_deadline_and_decided_cases_last(service: CaseService) -> None:
    late = service.open(OFFICER, refusal())
    late = do(service, late, "notify_carrier", deadline=at(50))
    decided = reach(service, State.ADMITTED)
    soon = service.open(OFFICER, refusal())
    soon = do(service, soon, "notify_carrier", deadline=at(10))
    unnotified = service.open(OFFICER, refusal())
    order = [s.id for s in service.summaries(OFFICER)]
    assert order == [unnotified.id, soon.id, late.id, decided.id]
    assert [s.id for s in service.due(OFFICER, at=ARRIVAL + timedelta(hours=20))] == [
        unnotified.id, soon.id]
    assert [s.id for s in service.due(OFFICER, at=ARRIVAL + timedelta(hours=20),
                                      within=timedelta(hours=40))] == [
        unnotified.id, soon.id, late.id]
