"""Manifest screening speed and memory: the vectorised screener against the per-row engine loop.

Why: issue 7's targets — at least 1M passenger-legs a second on one core, and a 10M-row file
screened within 2 GB of peak memory — are measured here, by hand (`python -m bench.screen`),
never as timed tests. Each measurement runs in a fresh interpreter with POLARS_MAX_THREADS=1,
so the figures are one core's and the peak RSS is the screening's own.

The synthetic manifests model a day of arrivals on the shipped data set: flights of 200
passengers to destinations with rule files, all on one day; nationalities drawn from 60 codes with
a long tail; 94% passports, the rest national ID cards, refugee and stateless travel documents
and diplomatic passports; passports issued over the last ten years for five or ten years (so
some expired, some too short for the stay); stays of 1 to 30 days or none given; 5% transits.
Two-leg passengers connect through a hub airport (leg 1 a transit, leg 2 the destination).
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
        "transit": pick(["false"] * 19 + ["true"], 11)})
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
import json, resource, sys, time
from pathlib import Path
from admit.rules import load_rules
from admit.batch.screen import screen_file
rules = load_rules()
path, engine, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = Path(path)
if limit:
    import polars as pl
    small = source.with_name("sample-" + source.name)
    pl.scan_parquet(source).head(limit).sink_parquet(small)
    source = small
start = time.perf_counter()
summary = screen_file(source, sys.argv[4], "parquet", rules, engine=engine)
seconds = time.perf_counter() - start
print(json.dumps({"rows": summary.rows, "seconds": seconds, "keys": summary.keys,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(path: Path, engine: str = "vectorised", limit: int = 0) -> dict[str, float]:
    """Screen `path` in a fresh one-core interpreter; rows, seconds, keys and peak RSS."""
    env = dict(os.environ, POLARS_MAX_THREADS="1")
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), engine, str(limit),
                              str(Path(scratch) / "out.parquet")],
                             check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000_000,
                        help="rows of the memory test (0 to skip)")
    parser.add_argument("--reference", type=int, default=20_000,
                        help="rows screened by the per-row engine loop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for legs in (1, 2):
            path = folder / f"manifest-{legs}.parquet"
            start = time.perf_counter()
            write_manifest(path, args.rows, legs)
            made = time.perf_counter() - start
            fast = run(path)
            slow = run(path, "rows", args.reference)
            rate = fast["rows"] / fast["seconds"]
            loop = slow["rows"] / slow["seconds"]
            print(f"{legs}-leg, {fast['rows']:,.0f} passengers (made in {made:.1f} s): "
                  f"vectorised {fast['seconds']:.2f} s = {rate:,.0f} passengers/s = "
                  f"{rate * legs:,.0f} passenger-legs/s, {fast['keys']:,.0f} keys, peak "
                  f"{fast['peak_mb']:,.0f} MB; per-row engine loop {loop:,.0f} passengers/s "
                  f"({slow['rows']:,.0f} rows); speed-up {rate / loop:,.0f}x")
        for rows in (100_000, 300_000):
            path = folder / f"growth-{rows}.parquet"
            write_manifest(path, rows, 1)
            result = run(path)
            print(f"growth: 1-leg, {rows:,} passengers: {result['seconds']:.2f} s, "
                  f"{result['rows'] / result['seconds']:,.0f} passengers/s")
        if args.big:
            path = folder / "big.parquet"
            write_manifest(path, args.big, 1)
            result = run(path)
            print(f"{args.big:,} passengers, 1 leg: {result['seconds']:.1f} s "
                  f"({result['rows'] / result['seconds']:,.0f}/s), peak RSS "
                  f"{result['peak_mb']:,.0f} MB (target <= 2048)")


if __name__ == "__main__":
    main()
