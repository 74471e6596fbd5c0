"""The domain types: status order, codes, and the exact JSON shape of a decision."""

from __future__ import annotations

from datetime import date

import pytest

from admit.model import (
    Code,
    Decision,
    Document,
    DocumentType,
    Finding,
    Leg,
    LegDecision,
    Status,
)

DESIGN_CODES = {
    "NATIONAL", "FREEDOM_OF_MOVEMENT", "VISA_FREE", "VISA_ON_ARRIVAL", "EVISA_REQUIRED",
    "ETA_REQUIRED", "VISA_REQUIRED", "AUTHORIZATION_HELD", "DOCUMENT_EXPIRED",
    "EXPIRED_DOCUMENT_ACCEPTED", "VALIDITY_TOO_SHORT", "DOCUMENT_TOO_OLD",
    "DOCUMENT_NOT_ACCEPTED", "STAY_TOO_LONG", "STAY_LIMIT_EXCEEDED", "TRANSIT_WITHOUT_VISA",
    "TRANSIT_VISA_REQUIRED", "NOT_ADMITTED", "NO_RULE",
}


def test_status_order_best_to_worst() -> None:
    labels = [s.label for s in sorted(Status)]
    assert labels == ["admissible", "admissible_on_arrival", "authorization_required",
                      "unknown", "inadmissible"]
    assert max(Status.UNKNOWN, Status.AUTHORIZATION_REQUIRED) is Status.UNKNOWN


@pytest.mark.parametrize(("status", "boardable"), [
    (Status.ADMISSIBLE, True), (Status.ADMISSIBLE_ON_ARRIVAL, True),
    (Status.AUTHORIZATION_REQUIRED, False), (Status.UNKNOWN, False),
    (Status.INADMISSIBLE, False)])
def test_boardable(status: Status, boardable: bool) -> None:
    assert status.boardable is boardable


def test_status_parse_round_trips_and_rejects() -> None:
    for status in Status:
        assert Status.parse(status.label) is status
    with pytest.raises(ValueError, match="not a status"):
        Status.parse("fine")


def test_codes_keep_the_design_list() -> None:
    assert {c.value for c in Code} >= DESIGN_CODES
    assert {c.value for c in Code} - DESIGN_CODES == {"DOCUMENT_DATE_UNKNOWN"}


@pytest.mark.parametrize(("until", "transit", "days"), [
    (None, False, None), (None, True, 1), (date(2023, 2, 27), False, 1),
    (date(2023, 3, 28), False, 30)])
def test_stay_days_counts_both_ends(until: date | None, transit: bool, days: int | None) -> None:
    leg = Leg("KAZ", "MNG", date(2023, 2, 27), until, transit)
    assert leg.stay_days == days
    assert leg.role == ("transit" if transit else "destination")


def test_document_number_stays_out_of_repr() -> None:
    document = Document(DocumentType.PASSPORT, "RUS", "RUS", number="751234567")
    assert "751234567" not in repr(document)


def test_decision_json_has_exactly_the_design_shape() -> None:
    finding = Finding(Code.DOCUMENT_EXPIRED, Status.INADMISSIBLE, "expired", "MNG#validity",
                      ("https://example.org",))
    leg = LegDecision("MNG", date(2023, 2, 27), "destination", Status.INADMISSIBLE,
                      Document(DocumentType.PASSPORT, "RUS", "RUS"), 30, (finding,))
    decision = Decision(Status.INADMISSIBLE, False, (leg,), "abc", "0.1.0", date(2023, 2, 27))
    out = decision.to_json()
    assert out == {
        "status": "inadmissible", "board": False, "data_version": "abc",
        "engine_version": "0.1.0", "as_of": "2023-02-27",
        "legs": [{"country": "MNG", "date": "2023-02-27", "role": "destination",
                  "status": "inadmissible", "document": {"type": "passport", "issuer": "RUS"},
                  "max_stay_days": 30, "latest_exit": None,
                  "findings": [{"code": "DOCUMENT_EXPIRED", "status": "inadmissible",
                                "message": "expired", "rule": "MNG#validity",
                                "sources": ["https://example.org"]}]}]}
    assert decision.codes == {Code.DOCUMENT_EXPIRED}


def test_decision_without_as_of_or_document() -> None:
    leg = LegDecision("MNG", date(2023, 2, 27), "transit", Status.INADMISSIBLE, None, None, ())
    out = Decision(Status.INADMISSIBLE, False, (leg,), "v", "e").to_json()
    assert out["as_of"] is None
    assert out["legs"][0]["document"] is None
