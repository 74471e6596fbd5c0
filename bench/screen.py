"""Manifest screening speed and memory: the vectorised screener against the per-row engine loop.

Why: issue 7's targets — at least 1M passenger-legs a second on one core, and a 10M-row file
screened within 2 GB of peak memory — are measured here, by hand (`python -m bench.screen`),
never as timed tests. Each measurement runs in a fresh interpreter pinned to one CPU
(`sched_setaffinity`) with POLARS_MAX_THREADS=1: Polars' reader and Parquet sink run threads of
their own even then, so pinning is what makes the figure one core's (the process's CPU time is
reported beside the wall time to show it). Peak RSS is the child's. Each figure is the median of
`--repeat` runs, with the fastest and slowest, because the machine is shared.

The synthetic manifests model a day of arrivals on the shipped data set: flights of 200
passengers to destinations with rule files, all on one day; nationalities drawn from 60 codes with
a long tail; 94% passports, the rest national ID cards, refugee and stateless travel documents
and diplomatic passports; passports issued over the last ten years for five or ten years (so
some expired, some too short for the stay); stays of 1 to 30 days or none given; 5% transits.
Two-leg passengers connect through a hub airport (leg 1 a transit, leg 2 the destination).
Three-leg passengers then fly on from the destination to a second one on their departure day:
their first stay counts towards the third leg's limits, so its keys carry dates.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

NATIONALITIES = ["USA", "GBR", "DEU", "FRA", "CHN", "IND", "RUS", "TUR", "BRA", "JPN", "KOR",
                 "ESP", "ITA", "NLD", "POL", "UKR", "KAZ", "UZB", "EGY", "MAR", "NGA", "PAK",
                 "BGD", "IRN", "SAU", "ARE", "ISR", "CAN", "AUS", "MEX", "ARG", "ZAF", "THA",
                 "VNM", "PHL", "IDN", "MYS", "SGP", "GEO", "ARM", "AZE", "SRB", "ALB", "MDA",
                 "BLR", "TJK", "KGZ", "MNG", "NPL", "LKA", "JOR", "LBN", "IRQ", "SYR", "AFG",
                 "CHE", "NOR", "SWE", "XXA", "XXB"]
HUBS = ["DEU", "TUR", "ARE", "QAT", "FRA", "GBR", "NLD", "KAZ"]
FIRST_DAY = date(2025, 6, 2)


def synthetic(rows: int, legs: int, seed: int = 7) -> pl.DataFrame:
    """A manifest of `rows` passengers with `legs` legs each (text columns, as read)."""
    from admit.rules import load_rules

    destinations = sorted(load_rules().destinations)
    flights = max(rows // 200, 1)
    flight = pl.int_range(0, rows, eager=True) // 200 % flights

    def pick(values: Sequence[object], salt: int, weights: bool = False) -> pl.Series:
        pool = pl.Series(values)
        if weights:  # a long tail: the first codes are the most frequent
            pool = pl.concat([pool.head(10)] * 6 + [pool.head(30)] * 2 + [pool])
        return pool.sample(rows, with_replacement=True, seed=seed + salt)

    def per_flight(values: Sequence[object], salt: int) -> pl.Series:
        table = pl.Series(values).sample(flights, with_replacement=True, seed=seed + salt)
        return table.gather(flight)

    days = per_flight([FIRST_DAY], 1)
    kind = pick(["passport"] * 94 + ["national_id"] * 3 + ["refugee_travel_document",
                "stateless_travel_document", "diplomatic_passport"], 2)
    issued_ago = pick(list(range(0, 3650)), 3)
    validity = pick([1826, 3652], 4)
    stay = pick([*range(0, 30), None, None, None, None, None], 5)
    frame = pl.DataFrame({
        "ref": pl.int_range(0, rows, eager=True).cast(pl.String),
        "nationality": pick(list(NATIONALITIES), 6, weights=True),
        "document_type": kind, "day": days, "ago": issued_ago, "validity": validity,
        "stay": stay, "destination": per_flight(list(destinations), 8),
        "hub": per_flight(list(HUBS), 9), "origin": per_flight(list(NATIONALITIES[:30]), 10),
        "transit": pick(["false"] * 19 + ["true"], 11),
        "onward": per_flight(list(destinations), 12), "stay2": pick(list(range(1, 15)), 13)})
    issued = pl.col("day") - pl.duration(days=pl.col("ago"))
    columns = [pl.col("ref"), pl.col("nationality"), pl.col("document_type"),
               issued.cast(pl.String).alias("issued"),
               (issued + pl.duration(days=pl.col("validity"))).cast(pl.String).alias("expires")]
    until = (pl.col("day") + pl.duration(days=pl.col("stay"))).cast(pl.String)
    if legs == 1:
        columns += [pl.col("origin").alias("leg1_from"), pl.col("destination").alias("leg1_to"),
                    pl.col("day").cast(pl.String).alias("leg1_date"),
                    until.alias("leg1_until"), pl.col("transit").alias("leg1_transit")]
    else:
        columns += [pl.col("origin").alias("leg1_from"), pl.col("hub").alias("leg1_to"),
                    pl.col("day").cast(pl.String).alias("leg1_date"),
                    pl.lit("true").alias("leg1_transit"),
                    pl.col("hub").alias("leg2_from"), pl.col("destination").alias("leg2_to"),
                    pl.col("day").cast(pl.String).alias("leg2_date"),
                    until.alias("leg2_until"), pl.col("transit").alias("leg2_transit")]
    if legs == 3:
        onward = pl.col("day") + pl.duration(days=pl.col("stay").fill_null(3))
        columns += [pl.col("destination").alias("leg3_from"),
                    pl.col("onward").alias("leg3_to"), onward.cast(pl.String).alias("leg3_date"),
                    (onward + pl.duration(days=pl.col("stay2"))).cast(pl.String)
                    .alias("leg3_until")]
    return frame.select(columns)


def write_manifest(path: Path, rows: int, legs: int, chunk: int = 1_000_000) -> None:
    """Write a manifest in chunks of distinct passengers, so a 10M-row file fits in memory."""
    parts = []
    with tempfile.TemporaryDirectory() as scratch:
        for number, start in enumerate(range(0, rows, chunk)):
            part = Path(scratch) / f"{number}.parquet"
            synthetic(min(chunk, rows - start), legs, seed=number).with_columns(
                (pl.col("ref").cast(pl.Int64) + start).cast(pl.String)).write_parquet(part)
            parts.append(part)
        if path.suffix == ".csv":
            pl.scan_parquet(parts).sink_csv(path)
        else:
            pl.scan_parquet(parts).sink_parquet(path)


CHILD = """
import json, os, resource, sys, time
from pathlib import Path
os.sched_setaffinity(0, {int(sys.argv[5])})
from admit.rules import load_rules
from admit.batch.screen import screen_file
rules = load_rules()
path, engine, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = Path(path)
if limit:
    import polars as pl
    small = source.with_name(f"sample-{limit}-" + source.name)
    if not small.exists():
        if source.suffix == ".csv":
            pl.scan_csv(source, infer_schema=False).head(limit).sink_csv(small)
        else:
            pl.scan_parquet(source).head(limit).sink_parquet(small)
    source = small
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
summary = screen_file(source, sys.argv[4], "parquet", rules, engine=engine)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
print(json.dumps({"rows": summary.rows, "seconds": seconds, "cpu": cpu, "keys": summary.keys,
                  "calls": summary.engine_calls, "peak_mb": after.ru_maxrss / 1024}))
"""


def run(path: Path, engine: str = "vectorised", limit: int = 0, core: int = 0
        ) -> dict[str, float]:
    """Screen `path` in a fresh interpreter pinned to one CPU: rows, seconds, CPU seconds,
    keys, engine calls and peak RSS."""
    env = dict(os.environ, POLARS_MAX_THREADS="1")
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), engine, str(limit),
                              str(Path(scratch) / "out.parquet"), str(core)],
                             check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def repeated(path: Path, times: int, engine: str = "vectorised", limit: int = 0,
             core: int = 0) -> tuple[dict[str, float], list[float]]:
    """The median run (by time) of `times`, and every run's time."""
    runs = sorted((run(path, engine, limit, core) for _ in range(times)),
                  key=lambda result: result["seconds"])
    return runs[len(runs) // 2], [result["seconds"] for result in runs]


def spread(seconds: list[float], rows: float, legs: int = 1) -> str:
    """Fastest and slowest runs, and the fastest as passenger-legs per second: on a shared
    machine the fastest run is the closest to the code's own cost."""
    if len(seconds) < 2:
        return ""
    return (f"runs {min(seconds):.2f}–{max(seconds):.2f} s, fastest "
            f"{rows * legs / min(seconds):,.0f} passenger-legs/s; ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000_000,
                        help="rows of the memory test (0 to skip)")
    parser.add_argument("--reference", type=int, default=20_000,
                        help="rows screened by the per-row engine loop")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median)")
    parser.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)),
                        help="the CPU the screening runs on")
    parser.add_argument("--legs", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--input", choices=["parquet", "csv"], default="parquet",
                        help="the manifests' format (growth and memory runs stay Parquet)")
    args = parser.parse_args()
    core = args.core
    print(f"one core (CPU {core}), POLARS_MAX_THREADS=1, median of {args.repeat}; "
          f"Python {sys.version.split()[0]}, Polars {pl.__version__}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for legs in args.legs:
            path = folder / f"manifest-{legs}.{args.input}"
            start = time.perf_counter()
            write_manifest(path, args.rows, legs)
            made = time.perf_counter() - start
            fast, times = repeated(path, args.repeat, core=core)
            slow, _ = repeated(path, 1, "rows", args.reference, core=core)
            rate = fast["rows"] / fast["seconds"]
            loop = slow["rows"] / slow["seconds"]
            print(f"{legs}-leg, {fast['rows']:,.0f} passengers (made in {made:.1f} s): "
                  f"vectorised {fast['seconds']:.2f} s ({spread(times, fast['rows'], legs)}CPU "
                  f"{fast['cpu']:.2f} s) = {rate:,.0f} passengers/s = {rate * legs:,.0f} "
                  f"passenger-legs/s, {fast['keys']:,.0f} keys, {fast['calls']:,.0f} engine "
                  f"calls, peak {fast['peak_mb']:,.0f} MB; per-row engine loop {loop:,.0f} "
                  f"passengers/s ({slow['rows']:,.0f} rows); speed-up {rate / loop:,.0f}x")
        for rows in (100_000, 300_000, 3_000_000):
            path = folder / f"growth-{rows}.parquet"
            write_manifest(path, rows, 1)
            result, times = repeated(path, args.repeat, core=core)
            print(f"growth: 1-leg, {rows:,} passengers: {result['seconds']:.2f} s "
                  f"({spread(times, result['rows'])}median "
                  f"{result['rows'] / result['seconds']:,.0f} passengers/s), "
                  f"{result['keys']:,.0f} keys, {result['calls']:,.0f} engine calls")
        if args.big:
            path = folder / "big.parquet"
            write_manifest(path, args.big, 1)
            result = run(path, core=core)
            print(f"{args.big:,} passengers, 1 leg: {result['seconds']:.1f} s "
                  f"({result['rows'] / result['seconds']:,.0f}/s; CPU {result['cpu']:.1f} s), "
                  f"{result['keys']:,.0f} keys, peak RSS {result['peak_mb']:,.0f} MB "
                  "(target <= 2048)")


if __name__ == "__main__":
    main()
