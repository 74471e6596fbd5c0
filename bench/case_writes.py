"""Case writes per second on SQLite and PostgreSQL, and how a write grows with its case
(docs/benchmarks.md, "Case store").

Why: every change to a case is a durable, sealed, chained event; this measures what that
costs. A write is one action through `CaseService.act` — read the case row under a lock,
rebuild the case (kept in memory, else its snapshot and the events after it), check the
guards, update the row with its version guard, lock and check the chain head, seal and append
the event (every 32 versions also the snapshot), commit — the same path the API and the pages
take. Measured:

- opens: `CaseService.open` (adds an engine check of the arrival) on the fixture rules;
- one writer: notes on one case after another, one at a time (latency median and p99);
- four writers: four threads, each on its own cases (the chain head serialises commits);
- growth: one case taken to 100, 1,000 and 10,000 events (`--sizes`); at each size, the
  median wall and CPU time of 21 writes by this process (which holds the case in memory) and
  of 21 "cold" writes (memory cleared first, as another worker or `admit cases act` finds it:
  snapshot plus the events after it), and reading the case (`view`, its first timeline page
  of 100 events) cold, with the size of that JSON. CPU time says more than wall time on a
  busy machine.

SQLite runs in a temporary directory with the shipped settings (WAL, synchronous=FULL: an
fsync per commit); PostgreSQL at ADMIT_BENCH_POSTGRES_URL or ADMIT_TEST_POSTGRES_URL, in a
throwaway schema, with its default (durable) settings. Run by hand:
`.venv/bin/python -m bench.case_writes [--sizes 100,1000,10000] [--growth-only]`; never a
timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from admit.cases import CaseService, Role, User
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from admit.rules import load_rules

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "rules"
USER = User("bench", Role.OFFICER)
REFUSAL = {
    "person": {"surname": "BENCH", "given_names": "CASE", "nationalities": ["ZZC"]},
    "documents": [{"type": "passport", "issuer": "ZZC", "expires": "2030-01-01"}],
    "arrival": {"carrier": "Test Air", "flight": "TA 1", "port_of_entry": "Zed airport",
                "country": "ZZA", "embarkation_country": "UTO",
                "time": "2024-05-10T07:45:00Z"},
    "grounds": "benchmark",
}


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{tmp}/admit.db"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).set(drivername="postgresql+psycopg").update_query_dict(
            {"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(calls: int, action: Callable[[int], object]) -> tuple[float, list[float]]:
    """Calls per second and each call's latency in ms."""
    latencies = []
    start = time.perf_counter()
    for i in range(calls):
        t = time.perf_counter()
        action(i)
        latencies.append((time.perf_counter() - t) * 1000)
    return calls / (time.perf_counter() - start), latencies


def p99(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.99) - 1]


def run(name: str, url: str, writes: int = 400, threads: int = 4) -> None:
    svc = CaseService(connect(url), Cipher(secrets.token_bytes(32)), rules=load_rules(FIXTURE))
    try:
        opens, _ = timed(50, lambda _: svc.open(USER, REFUSAL))
        ids = [c.id for c in (svc.open(USER, REFUSAL) for _ in range(20))]
        one, latencies = timed(writes, lambda i: svc.act(USER, ids[i % len(ids)], "note",
                                                         {"text": f"note {i}"}))
        per_thread = writes // threads
        own = [[svc.open(USER, REFUSAL).id for _ in range(5)] for _ in range(threads)]

        def writer(index: int) -> None:
            for i in range(per_thread):
                svc.act(USER, own[index][i % 5], "note", {"text": f"t{index} {i}"})

        workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        many = per_thread * threads / (time.perf_counter() - start)
        assert svc.verify().ok
    finally:
        svc.close()
    print(f"| {name} | {opens:,.0f} | {one:,.0f} | {statistics.median(latencies):.1f} | "
          f"{p99(latencies):.1f} | {many:,.0f} |")


def growth(name: str, url: str, sizes: list[int], sample: int = 21) -> None:
    """Write time as one case grows: `sample` warm and `sample` cold writes at each size."""
    svc = CaseService(connect(url), Cipher(secrets.token_bytes(32)), rules=load_rules(FIXTURE))
    try:
        case_id = svc.open(USER, REFUSAL).id
        events = 1

        def note() -> None:
            nonlocal events
            svc.act(USER, case_id, "note", {"text": f"note {events} of one long case"})
            events += 1

        for size in sizes:
            while events < size:
                note()
            at = events
            warm, warm_cpu = zip(*(_write(note) for _ in range(sample)), strict=True)
            cold, cold_cpu = zip(*(_write(note, svc) for _ in range(sample)), strict=True)
            svc.store.recent.clear()
            start = time.perf_counter()
            view = svc.view(USER, case_id)
            read = (time.perf_counter() - start) * 1000
            kb = len(json.dumps(view, ensure_ascii=False).encode()) / 1024
            print(f"| {name} | {at:,} | {statistics.median(warm):.1f} | "
                  f"{statistics.median(warm_cpu):.1f} | {statistics.median(cold):.1f} | "
                  f"{statistics.median(cold_cpu):.1f} | {read:.0f} | {kb:,.0f} KB |",
                  flush=True)
        assert svc.verify().ok
    finally:
        svc.close()


def _write(note: Callable[[], None], cold: CaseService | None = None) -> tuple[float, float]:
    """One write's wall and CPU time in ms; `cold` forgets the cases it holds first."""
    if cold is not None:
        cold.store.recent.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    note()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="events in the one case at which to time writes")
    parser.add_argument("--growth-only", action="store_true",
                        help="skip the throughput table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = os.environ.get("ADMIT_BENCH_POSTGRES_URL") or os.environ.get(
        "ADMIT_TEST_POSTGRES_URL")
    if not args.growth_only:
        print("| store | opens/s | writes/s, 1 writer | median ms | p99 ms | "
              "writes/s, 4 writers |")
        print("|---|---:|---:|---:|---:|---:|")
        with sqlite_url() as url:
            run("SQLite (WAL, synchronous=FULL)", url)
        if base:
            with postgres_url(base) as url:
                run("PostgreSQL", url)
        print()
    print("| store | events in the case | warm write ms | CPU ms | cold write ms | CPU ms | "
          "cold read ms | case JSON |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with sqlite_url() as url:
        growth("SQLite", url, sizes)
    if base:
        with postgres_url(base) as url:
            growth("PostgreSQL", url, sizes)
    else:
        print("(PostgreSQL skipped: set ADMIT_BENCH_POSTGRES_URL)")


if __name__ == "__main__":
    main()
