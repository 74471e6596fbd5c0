"""Pure parts of the case workflow, without a database: inputs, the machine's table and its
documentation, deadlines, the hash chain, sealing, forms."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from admit.cases import StoreError
from admit.cases.audit import (
    GENESIS,
    LEGACY,
    Anchor,
    Head,
    Record,
    event_mac,
    head_mac,
    legacy_digest,
    parse_anchor,
    verify,
)
from admit.cases.commands import OpenCase, ProposeRemoval, parse
from admit.cases.crypto import Cipher
from admit.cases.deadlines import next_deadline, removal_deadline
from admit.cases.domain import Role, State
from admit.cases.fold import Event, apply
from admit.cases.forms import fields_of, payload_from_form, refusal_from_form
from admit.cases.intake import refusal as make_refusal
from admit.cases.machine import ACTIONS, available, mermaid
from admit.errors import InputError
from admit.rules import Rules
from tests.cases.conftest import ARRIVAL, refusal

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cases.md"


def test_the_documented_diagram_is_the_machine() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert f"```mermaid\n{mermaid()}\n```" in text
    for name in ACTIONS:
        assert f"`{name}`" in text, name


def test_every_state_is_reachable_and_only_closed_is_final() -> None:
    reached = {State.REFUSED}
    while True:
        more = {a.target for a in ACTIONS.values() if a.target and a.sources & reached}
        if more <= reached:
            break
        reached |= more
    assert reached == set(State)
    finals = {s for s in State if not any(s in a.sources for a in ACTIONS.values())}
    assert finals == {State.CLOSED}


def test_auditors_may_take_no_action() -> None:
    assert all(Role.AUDITOR not in a.roles for a in ACTIONS.values())
    assert {a.name for a in ACTIONS.values() if a.roles == {Role.SUPERVISOR}} == {
        "approve_removal", "decide_deferral", "assess_claim", "admit", "transfer", "close"}


def test_personal_values_never_appear_in_input_errors(fixture_rules: Rules) -> None:
    with pytest.raises(InputError) as surname:
        parse(OpenCase, refusal(person={"surname": ["IVANOV"], "nationalities": ["ZZC"]}),
              extra_codes=fixture_rules.extra_codes)
    assert surname.value.field == "person.surname" and "IVANOV" not in str(surname.value)
    bad_number = refusal(documents=[{"type": "passport", "issuer": "ZZC", "number": 751234567,
                                     "expires": "2030-01-01"}])
    payload = parse(OpenCase, bad_number, extra_codes=fixture_rules.extra_codes)
    with pytest.raises(InputError) as number:
        make_refusal(payload, fixture_rules)
    assert number.value.field == "documents[0].number"
    assert "751234567" not in str(number.value)
    mrz = refusal(documents=[{"mrz": "P<UTOSECRET<<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nshort"}])
    payload = parse(OpenCase, mrz, extra_codes=fixture_rules.extra_codes)
    with pytest.raises(InputError) as unreadable:
        make_refusal(payload, fixture_rules)
    assert "SECRET" not in str(unreadable.value)


def test_codes_are_checked_against_the_rules_in_use(fixture_rules: Rules) -> None:
    with pytest.raises(InputError) as fictional:
        parse(ProposeRemoval, {"destination": "ZZD", "date": "2024-05-11"})
    assert fictional.value.field == "destination"
    ok = parse(ProposeRemoval, {"destination": "zzd", "date": "2024-05-11"},
               extra_codes=fixture_rules.extra_codes)
    assert ok.destination == "ZZD"


def _case(fixture_rules: Rules) -> Event:
    data = make_refusal(parse(OpenCase, refusal(), extra_codes=fixture_rules.extra_codes),
                        fixture_rules).model_dump(mode="json")
    return Event(1, 1, "open", "olga", Role.OFFICER, ARRIVAL, data)


def test_deadlines_from_events(fixture_rules: Rules) -> None:
    case = apply(None, _case(fixture_rules))
    first = next_deadline(case)
    assert first is not None and (first.kind, first.due) == ("notify_carrier", ARRIVAL)
    case = apply(case, Event(1, 2, "notify_carrier", "olga", Role.OFFICER, ARRIVAL, {
        "carrier": "Test Air", "notified_at": ARRIVAL.isoformat(), "removal_flight": "TA 2",
        "deadline": (ARRIVAL + timedelta(hours=5)).isoformat()}))
    assert removal_deadline(case) == ARRIVAL + timedelta(hours=5)
    case = apply(case, Event(1, 3, "request_deferral", "olga", Role.OFFICER, ARRIVAL, {
        "requested_by": "p", "requested_at": ARRIVAL.isoformat(), "reason": "r",
        "until": None}))
    pending = next_deadline(case)
    # due with the removal it would move, and named first: decide it before removing
    assert pending is not None and (pending.kind, pending.due) == (
        "decide_deferral", ARRIVAL + timedelta(hours=5))
    case = apply(case, Event(1, 4, "decide_deferral", "sam", Role.SUPERVISOR, ARRIVAL, {
        "deferral": 1, "granted": True, "new_date": "2024-05-14", "reason": ""}))
    assert removal_deadline(case) == datetime(2024, 5, 14, tzinfo=UTC)
    case = apply(case, Event(1, 5, "admit", "sam", Role.SUPERVISOR, ARRIVAL, {
        "at": ARRIVAL.isoformat(), "reason": "r"}))
    assert next_deadline(case) is None and available(case, Role.OFFICER)[0].name == "note"


def test_apply_refuses_an_event_it_does_not_know(fixture_rules: Rules) -> None:
    case = apply(None, _case(fixture_rules))
    with pytest.raises(StoreError, match="cannot apply"):
        apply(case, Event(1, 2, "teleport", "olga", Role.OFFICER, ARRIVAL, {}))


MAC = Cipher(bytes(32)).mac


def _chain(n: int, legacy: int = 0) -> list[Record]:
    """`n` events, the first `legacy` of them unkeyed (as written before the chain had a
    key)."""
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = ARRIVAL + timedelta(seconds=seq)
        fields = (seq, 1, seq, "note", "olga", "officer", at, f"sealed{seq}", prev)
        if seq <= legacy:
            records.append(Record(*fields, legacy_digest(*fields), LEGACY))
        else:
            records.append(Record(*fields, event_mac(MAC, *fields)))
        prev = records[-1].hash
    return records


def _head(records: list[Record]) -> Head:
    return Head(len(records), records[-1].hash, head_mac(MAC, len(records), records[-1].hash))


def test_the_chain_detects_each_kind_of_tampering() -> None:
    records = _chain(5)
    head = _head(records)
    assert verify(records, head, MAC).ok
    altered = [*records[:2], dataclasses.replace(records[2], actor="eve"), *records[3:]]
    assert verify(altered, head, MAC).first_broken == 3
    assert verify(records[:2] + records[3:], head, MAC).first_broken == 3
    assert verify(records[:4], head, MAC).first_broken == 5
    assert verify(records, Head(5, GENESIS, head.mac), MAC).first_broken == 5
    assert verify(records[:4], _head(records[:4]), MAC).ok  # a clean cut needs the head MAC
    assert not verify(records[:4], Head(4, records[3].hash, head.mac), MAC).ok
    assert not verify(records, head, Cipher(bytes(range(32))).mac).ok  # another key
    assert verify([], None, MAC).ok


def test_unkeyed_events_pass_only_before_keyed_ones() -> None:
    sealed = _chain(5, legacy=2)
    assert verify(sealed, _head(sealed), MAC).ok
    forged, prev = sealed[:3], sealed[2].hash
    for r in sealed[3:]:  # events 4 and 5 rewritten as unkeyed, linked to the keyed event 3
        fields = (r.seq, r.case_id, r.case_version, r.kind, "eve", r.role, r.recorded_at,
                  r.payload, prev)
        forged.append(Record(*fields, legacy_digest(*fields), LEGACY))
        prev = forged[-1].hash
    report = verify(forged, Head(5, prev), MAC)
    assert (report.first_broken, report.reason) == (
        4, "an unkeyed event after keyed ones (forged)")
    unkeyed = _chain(5, legacy=5)
    assert "ends with unkeyed events" in verify(unkeyed, Head(5, unkeyed[-1].hash), MAC).reason


def test_a_recorded_head_finds_what_changed_or_went_since() -> None:
    records = _chain(6)
    recorded = Anchor(4, records[3].hash)
    assert verify(records, _head(records), MAC, recorded).ok
    assert verify(records[:4], _head(records[:4]), MAC, recorded).ok
    cut = verify(records[:3], _head(records[:3]), MAC, recorded)
    assert (cut.ok, cut.first_broken) == (False, 4)
    other = Anchor(4, records[2].hash)
    assert verify(records, _head(records), MAC, other).first_broken == 4
    assert parse_anchor(f" {recorded.text}\n") == recorded
    for text in ("", "4", "4:" + "A" * 64, "-1:" + "0" * 64, "4:" + "0" * 63):
        with pytest.raises(InputError):
            parse_anchor(text)


def test_sealing_binds_data_to_its_place() -> None:
    cipher = Cipher(os.urandom(32))
    token = cipher.seal(b'{"surname": "X"}', b"event 1")
    assert b"surname" not in token.encode() and cipher.open(token, b"event 1") == \
        b'{"surname": "X"}'
    with pytest.raises(StoreError, match="event 2 does not open"):
        cipher.open(token, b"event 2")
    with pytest.raises(StoreError):
        Cipher(os.urandom(32)).open(token, b"event 1")
    assert "key" not in repr(cipher).replace("<key hidden>", "")


def test_the_chain_key_is_derived_apart_from_the_encryption_key() -> None:
    key = os.urandom(32)
    mac = Cipher(key).mac(b"message")
    assert mac == Cipher(key).mac(b"message") != Cipher(os.urandom(32)).mac(b"message")
    assert mac != hmac.new(key, b"message", hashlib.sha256).hexdigest()


def test_forms_follow_the_action_models() -> None:
    fields = {f.name: f for f in fields_of(ACTIONS["decide_deferral"].payload)}
    assert (fields["granted"].kind, fields["granted"].options) == ("select", ("true", "false"))
    assert fields["new_date"].kind == "date" and not fields["new_date"].required
    assert fields_of(ACTIONS["assess_claim"].payload)[1].options == (
        "referred", "rejected", "withdrawn")
    assert payload_from_form(ACTIONS["note"].payload, {"text": " x ", "version": "3"}) == {
        "text": "x"}
    built = refusal_from_form({"surname": "A", "nationalities": "ZZC, UTO",
                               "document_type": "passport", "document_issuer": "ZZC",
                               "time": "2024-05-10T07:45"})
    assert built["person"]["nationalities"] == ["ZZC", "UTO"]
    assert built["documents"] == [{"type": "passport", "issuer": "ZZC"}]


def test_dates_stay_on_the_calendar_the_engine_can_compute_with(fixture_rules: Rules) -> None:
    with pytest.raises(InputError) as far:
        parse(ProposeRemoval, {"destination": "UTO", "date": "9999-12-31"},
              extra_codes=fixture_rules.extra_codes)
    assert far.value.field == "date" and "between 1900-01-01 and 2999-12-31" in far.value.reason
    with pytest.raises(InputError) as arrival:
        parse(OpenCase, refusal(arrival={**refusal()["arrival"],
                                         "time": "9999-12-31T23:00:00-10:00"}),
              extra_codes=fixture_rules.extra_codes)
    assert arrival.value.field == "arrival.time"
    payload = parse(OpenCase, refusal(documents=[{"type": "passport", "issuer": "ZZC",
                                                  "expires": "9999-12-31"}]),
                    extra_codes=fixture_rules.extra_codes)
    with pytest.raises(InputError) as expiry:
        make_refusal(payload, fixture_rules)
    assert expiry.value.field == "documents[0].expires"


def test_personal_data_stays_out_of_reprs(fixture_rules: Rules) -> None:
    opening = _case(fixture_rules)
    case = apply(None, opening)
    case = apply(case, Event(1, 2, "note", "olga", Role.OFFICER, ARRIVAL,
                             {"text": "met TESTPERSON's lawyer"}))
    shown = repr(case) + repr(opening) + str(case)
    for secret in ("TESTPERSON", "ALEX", "X0000001", "1980-01-01", "Nationals of ZZC"):
        assert secret not in shown
    assert "ZZC" in shown and "refused" in shown  # what is not personal still shows
