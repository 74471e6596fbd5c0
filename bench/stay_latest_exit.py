"""How long a latest-exit answer takes, and how that grows with the length of the history.

Why: the engine asks the stay question for every leg of every trip, and batch screening asks it
for whole manifests; the target is at most 1 ms for a 10-year history of 200 stays. Run by hand
(`python -m bench.stay_latest_exit`), never as a timed test.

Each measurement is a full call as a caller makes it — index the stays, count the window, search
the latest exit — for a traveller present on the control date (the costly case: the search
runs). Histories are seeded random, 20 short stays a year, so longer histories span more years.
"""

from __future__ import annotations

import random
import statistics
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from admit.stay import Stay, StayRule, control, plan

SCHENGEN = StayRule(window_days=180, max_days=90)
SIZES = (50, 200, 800, 3200)


def make_history(count: int, seed: int = 2024) -> list[Stay]:
    """`count` stays of 1-7 days, 5-25 days apart (200 stays span about ten years); shuffled."""
    rng = random.Random(seed)
    day = date(2015, 1, 1)
    stays = []
    for _ in range(count):
        length = rng.randint(1, 7)
        stays.append(Stay(day, day + timedelta(days=length - 1)))
        day += timedelta(days=length - 1 + rng.randint(5, 25))
    rng.shuffle(stays)
    return stays


def median_microseconds(call: Callable[[], object], number: int = 200, repeat: int = 25) -> float:
    runs = timeit.repeat(call, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def main() -> None:
    print("admit.stay latest exit, 90 days in 180, traveller present on the control date")
    print(f"{'stays':>6} {'years':>6} {'control µs':>11} {'planning µs':>12}")
    for count in SIZES:
        stays = make_history(count)
        query = max(stay.exit for stay in stays)
        planned = query + timedelta(days=10)
        checked = control(SCHENGEN, stays, query)
        assert checked.latest_exit is not None, "the benchmark must exercise the search"
        control_us = median_microseconds(partial(control, SCHENGEN, stays, query))
        plan_us = median_microseconds(partial(plan, SCHENGEN, stays, planned))
        years = (query - min(stay.entry for stay in stays)).days / 365.25
        print(f"{count:>6} {years:>6.1f} {control_us:>11.1f} {plan_us:>12.1f}")


if __name__ == "__main__":
    main()
