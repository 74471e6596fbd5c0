"""Days of presence as sorted, merged intervals with prefix sums.

Why: every question the calculator asks is "how many days of presence between day a and day b?"
— asked once per window in a control and a few dozen times in a latest-exit search. Building a
set of days per window would cost O(window) each time; merged intervals answer any range in
O(log n) with two binary searches, whatever the length of the history.

Days are proleptic Gregorian ordinals (date.toordinal()) so that day arithmetic is integer
arithmetic.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class Presence:
    """An immutable set of days, stored as disjoint inclusive intervals in ascending order."""

    __slots__ = ("_before", "_ends", "_starts")

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for start, end in sorted(intervals):
            # Overlapping or touching intervals become one: a day is counted once.
            if ends and start <= ends[-1] + 1:
                if end > ends[-1]:
                    ends[-1] = end
            else:
                starts.append(start)
                ends.append(end)
        before = [0] * len(starts)
        total = 0
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            before[i] = total
            total += end - start + 1
        self._starts = starts
        self._ends = ends
        # _before[i]: days of presence in the intervals before interval i.
        self._before = before

    @property
    def intervals(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))

    @property
    def first_day(self) -> int | None:
        return self._starts[0] if self._starts else None

    @property
    def last_day(self) -> int | None:
        return self._ends[-1] if self._ends else None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, int):
            return False
        i = bisect_right(self._starts, day) - 1
        return i >= 0 and day <= self._ends[i]

    def _upto(self, day: int) -> int:
        """Days of presence on or before `day`."""
        i = bisect_right(self._starts, day) - 1
        if i < 0:
            return 0
        return self._before[i] + min(self._ends[i], day) - self._starts[i] + 1

    def count(self, first: int, last: int) -> int:
        """Days of presence from `first` to `last`, both included (0 for an empty range)."""
        if last < first:
            return 0
        return self._upto(last) - self._upto(first - 1)
