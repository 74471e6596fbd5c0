"""How long one engine check takes in-process, and how long a cold start takes.

Why: carriers screen whole manifests and every interface calls `check` per request, so the
targets are a median of at most 50 µs for a two-leg trip in-process, and at most 300 ms for a
cold start (import, load and compile every shipped rule file) in a fresh interpreter. Run by
hand (`python -m bench.check_trip`), never as a timed test.

The trip is the story's route with a valid passport: a Russian citizen flying to Kazakhstan,
then on to Mongolia, both visa-free with stay limits, against the shipped data set.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from admit.engine import check
from admit.model import Trip
from admit.rules import load_rules

TRIP = {
    "traveller": {"nationalities": ["RUS"], "documents": [
        {"type": "passport", "issuer": "RUS", "issued": "2020-01-10", "expires": "2030-01-10"}]},
    "itinerary": [
        {"from": "RUS", "to": "KAZ", "date": "2023-02-20", "until": "2023-02-26"},
        {"from": "KAZ", "to": "MNG", "date": "2023-02-27", "until": "2023-03-20"},
    ],
}
COLD = ("import time; t = time.perf_counter(); from admit.engine import check; "
        "from admit.rules import load_rules; load_rules(); "
        "print((time.perf_counter() - t) * 1000)")


def in_process(calls: int = 20000) -> tuple[float, float]:
    """Median and 99th percentile, in µs, of one `check` of the two-leg trip."""
    rules = load_rules()
    trip = Trip.from_json(TRIP)
    for leg in trip.itinerary:
        assert leg.to in rules.destinations, f"the shipped data set has no {leg.to}"
    for _ in range(1000):  # warm up
        check(trip, rules)
    timings = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        start = clock()
        check(trip, rules)
        timings.append(clock() - start)
    timings.sort()
    return statistics.median(timings) / 1000, timings[int(len(timings) * 0.99)] / 1000


def cold_start(runs: int = 15) -> tuple[float, float]:
    """Median ms of import + load + compile measured inside a fresh interpreter, and median
    ms of the whole fresh process beyond a bare interpreter start."""
    inside, whole, bare = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD], check=True, capture_output=True,
                             text=True).stdout
        whole.append((time.perf_counter() - start) * 1000)
        inside.append(float(out))
    return statistics.median(inside), statistics.median(whole) - statistics.median(bare)


def main() -> None:
    rules = load_rules()
    print(f"admit check: two-leg trip RUS->KAZ->MNG, data {rules.data_version}, "
          f"{len(rules.destinations)} destinations")
    median, p99 = in_process()
    print(f"in-process check: median {median:.1f} µs, p99 {p99:.1f} µs (target median <= 50)")
    inside, whole = cold_start()
    print(f"cold start: import + load + compile {inside:.0f} ms inside the interpreter, "
          f"{whole:.0f} ms of process time beyond a bare start (target <= 300)")


if __name__ == "__main__":
    main()
