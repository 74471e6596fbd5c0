"""The story end to end, on the real data set and on both databases (docs/design.md).

A Russian citizen's passport expired on 2023-02-20; he flew from Kazakhstan to Ulaanbaatar and
was refused entry on 2023-02-27. Removal to Kazakhstan, where he embarked, is proposed; his
written request defers it until 2023-03-02; he lodges a protection claim naming Russia. Removal
is then refused with NON_REFOULEMENT_HOLD, and Kazakhstan is flagged as an onward-removal risk
through the 1993 Minsk Convention, with its source. (The person's name, document number and the
flights are made up: the story's facts are the dates, countries and documents.)
"""

from __future__ import annotations

from typing import Any

import pytest

from admit.cases import CaseService, State, TransitionRefused
from admit.rules import load_rules
from tests.cases.conftest import OFFICER, SUPERVISOR

REFUSAL: dict[str, Any] = {
    "person": {"surname": "PETROV", "given_names": "PAVEL", "nationalities": ["RUS"],
               "birth_date": "1975-05-01"},
    "documents": [{"type": "passport", "issuer": "RUS", "number": "750000001",
                   "issued": "2013-02-20", "expires": "2023-02-20"}],
    "arrival": {"carrier": "Example Air", "flight": "EX 100",
                "port_of_entry": "Chinggis Khaan International Airport", "country": "MNG",
                "embarkation_point": "Astana", "embarkation_country": "KAZ",
                "time": "2023-02-27T06:40:00+08:00"},
    "grounds": "The passport expired on 2023-02-20, before arrival.",
}


def test_the_mongolia_refusal_of_2023_02_27(real_service: CaseService) -> None:
    svc = real_service
    case = svc.open(OFFICER, REFUSAL)
    decision = case.refusal.decision
    assert decision["status"] == "inadmissible" and decision["board"] is False
    assert decision["data_version"] == load_rules().data_version
    assert "DOCUMENT_EXPIRED" in [f["code"] for f in decision["legs"][0]["findings"]]
    # 06:40 in Ulaanbaatar is still the 26th in UTC: the rules of the local date apply
    assert decision["legs"][0]["date"] == case.refusal.arrival.date.isoformat() == "2023-02-27"
    assert case.refusal.arrival.time.isoformat() == "2023-02-26T22:40:00+00:00"

    view = svc.view(OFFICER, case.id)
    first, *others = view["alternatives"]
    assert (first["country"], first["roles"]) == ("KAZ", ["embarkation"])
    assert ("RUS", ["nationality"]) in [(a["country"], a["roles"]) for a in others]
    assert first["risks"] == []  # no claim yet

    case = svc.act(OFFICER, case.id, "propose_removal",
                   {"destination": "KAZ", "date": "2023-02-28", "method": "carrier"},
                   case.version)
    assert case.state is State.REMOVAL_PROPOSED and case.removal is not None
    assert case.removal.evaluation.country == "KAZ"
    case = svc.act(SUPERVISOR, case.id, "approve_removal", {}, case.version)
    case = svc.act(OFFICER, case.id, "notify_carrier",
                   {"notified_at": "2023-02-27T08:00:00+08:00",
                    "deadline": "2023-02-28T12:00:00+08:00", "removal_flight": "EX 101"},
                   case.version)

    case = svc.act(OFFICER, case.id, "request_deferral",
                   {"requested_by": "the person, in writing",
                    "requested_at": "2023-02-27T12:00:00+08:00",
                    "reason": "written request to the head of the Border Guard Service",
                    "until": "2023-03-02"}, case.version)
    case = svc.act(SUPERVISOR, case.id, "decide_deferral",
                   {"deferral": 1, "granted": True, "new_date": "2023-03-02"}, case.version)
    assert case.granted_until is not None and case.granted_until.isoformat() == "2023-03-02"

    case = svc.act(OFFICER, case.id, "lodge_claim",
                   {"lodged_at": "2023-02-28T10:00:00+08:00",
                    "lodged_with": "General Authority for Border Protection",
                    "feared_country": "RUS", "decide_by": "2023-03-09"}, case.version)
    assert case.on_hold

    with pytest.raises(TransitionRefused) as refused:
        svc.act(OFFICER, case.id, "remove",
                {"removed_at": "2023-03-02T09:00:00+08:00", "destination": "KAZ",
                 "how": "EX 101"}, case.version)
    assert refused.value.code == "NON_REFOULEMENT_HOLD"
    assert svc.get(OFFICER, case.id).state is State.REMOVAL_APPROVED

    view = svc.view(SUPERVISOR, case.id)
    assert view["hold"]["code"] == "NON_REFOULEMENT_HOLD"
    assert view["next_deadline"]["kind"] == "assess_claim"
    kaz = next(a for a in view["alternatives"] if a["country"] == "KAZ")
    minsk = next(r for r in kaz["risks"] if r["agreement"] == "MINSK-1993")
    assert (minsk["reason"], minsk["feared_country"]) == ("extradition", "RUS")
    treaty = next(a.spec for a in load_rules().agreements if a.spec.id == "MINSK-1993")
    assert minsk["sources"] == [{"url": s.url, "title": s.title} for s in treaty.sources]
    assert "https://edis74.ru/minskaya-konventsiya-1993/" in [s["url"] for s in minsk["sources"]]
    rus = next(a for a in view["alternatives"] if a["country"] == "RUS")
    assert [r["reason"] for r in rus["risks"]] == ["feared_country"]

    kinds = [e["kind"] for e in view["timeline"]]
    assert kinds == ["open", "propose_removal", "approve_removal", "notify_carrier",
                     "request_deferral", "decide_deferral", "lodge_claim"]
    assert svc.verify().ok
