"""The cases this process wrote or read last, kept folded in memory.

Why: even from a snapshot, rebuilding a long case costs as much as the case is large (parsing
and validating every note in it), so a process that writes one case again and again would pay
that on every write. It keeps the last few cases it rebuilt, each with the version and the MAC
of the event that version ends with; the store uses an entry only when the case row still has
that version and that event still has that MAC, so a change by another process, or to the
database beneath it, means a miss and the case is rebuilt from the store. Only the store's
own folds of opened, authenticated events are kept; `admit cases verify` never uses them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from admit.cases.domain import Case

SIZE = 32  # cases kept; a long case is megabytes in memory


class RecentCases:
    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._cases: OrderedDict[int, tuple[int, str, Case]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case_id: int, version: int, mac: str | None) -> Case | None:
        """The case as kept, if it is at `version`, ending with the event whose MAC is
        `mac`."""
        with self._lock:
            found = self._cases.get(case_id)
            if found is None or mac is None or found[:2] != (version, mac):
                return None
            self._cases.move_to_end(case_id)
            return found[2]

    def put(self, case: Case, mac: str) -> None:
        with self._lock:
            self._cases[case.id] = (case.version, mac, case)
            self._cases.move_to_end(case.id)
            while len(self._cases) > self._size:
                self._cases.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._cases.clear()
