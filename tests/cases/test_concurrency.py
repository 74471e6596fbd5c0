"""Optimistic locking under real concurrency: parallel writers on one case lose nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from admit.cases import CaseService, User, VersionConflict
from admit.cases.domain import Role
from tests.cases.conftest import OFFICER, refusal

WRITERS = 6
NOTES_EACH = 8


def test_parallel_updates_of_one_case_lose_nothing(service: CaseService) -> None:
    case_id = service.open(OFFICER, refusal()).id
    conflicts = [0] * WRITERS

    def writer(index: int) -> None:
        user = User(f"officer{index}", Role.OFFICER)
        for n in range(NOTES_EACH):
            while True:  # read, change, and on a conflict read again and retry
                seen = service.get(user, case_id).version
                try:
                    service.act(user, case_id, "note", {"text": f"{index}-{n}"}, seen)
                    break
                except VersionConflict:
                    conflicts[index] += 1

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    case = service.get(OFFICER, case_id)
    assert case.version == 1 + WRITERS * NOTES_EACH
    assert sorted(n.text for n in case.notes) == sorted(
        f"{i}-{n}" for i in range(WRITERS) for n in range(NOTES_EACH))
    for index in range(WRITERS):  # each writer's notes in its own order
        mine = [n.text for n in case.notes if n.by == f"officer{index}"]
        assert mine == [f"{index}-{n}" for n in range(NOTES_EACH)]
    assert service.verify().ok


def _race(service: CaseService, case_id: int, seen: int) -> list[str]:
    """Two officers send a change made on the same version at the same moment."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(name: str) -> None:
        barrier.wait()
        try:
            service.act(User(name, Role.OFFICER), case_id, "note", {"text": name}, seen)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("olga", "omar")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_two_officers_on_one_version_one_wins_one_gets_a_conflict(
        service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    for _ in range(10):
        seen = case.version
        assert _race(service, case.id, seen) == ["conflict", "ok"]
        case = service.get(OFFICER, case.id)
        assert case.version == seen + 1
    assert len(case.notes) == 10
    assert service.verify().ok
