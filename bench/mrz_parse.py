"""MRZ parse + validate speed, side by side with the readers people use today.

Run: `make bench-mrz` (creates .venv-bench with the peers) or
`.venv-bench/bin/python -m bench.mrz_parse [--count N] [--repeat R]`.

Corpus: N distinct valid TD3 MRZs from admit's own generator with a fixed seed, so every run
and every reader sees the same input. Each reader gets the two lines and must give a verdict
and the fields:
- admit:       admit.mrz.parse(lines, reference_date=...) -> .valid, .fields
- mrz 0.6.2:   mrz.checker.td3.TD3CodeChecker(text) -> bool(checker), checker.fields()
- passporteye: passporteye.mrz.text.MRZ(lines) -> .valid, .to_dict()
The best of R passes over the corpus is reported, in µs per MRZ, with the ratio to admit.
Cold import of admit.mrz is measured in fresh interpreters (median of 15, minus a bare start).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from admit.mrz import parse
from admit.mrz.generate import generate

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
STATES = ["UTO", "FRA", "RUS", "KAZ", "MNG", "GBR", "USA", "CAN", "IND", "CHN", "BRA", "NLD"]
REFERENCE = date(2026, 11, 24)


def corpus(count: int, seed: int = 9303) -> list[list[str]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[list[str]] = []
    while len(out) < count:
        number = "".join(rng.choice(ALNUM) for _ in range(9))
        if number in seen:
            continue
        seen.add(number)
        out.append(generate(
            "TD3", document_code="P", issuing_state=rng.choice(STATES),
            surname="".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 12))),
            given_names="".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 10))),
            document_number=number, nationality=rng.choice(STATES),
            birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(24000)),  # before 2006
            sex=rng.choice("MF"),
            expiry_date=date(2020, 1, 1) + timedelta(days=rng.randrange(4000)),
            optional_data="".join(rng.choice(ALNUM) for _ in range(rng.randint(0, 14)))))
    return out


def _admit(lines: list[str]) -> tuple[bool, object]:
    result = parse(lines, reference_date=REFERENCE)
    return result.valid, result.fields


def _peer_mrz() -> Callable[[list[str]], tuple[bool, object]] | None:
    try:
        from mrz.checker.td3 import TD3CodeChecker
    except ImportError:
        return None

    def run(lines: list[str]) -> tuple[bool, object]:
        checker = TD3CodeChecker("\n".join(lines))
        return bool(checker), checker.fields()

    return run


def _peer_passporteye() -> Callable[[list[str]], tuple[bool, object]] | None:
    try:
        from passporteye.mrz.text import MRZ
    except ImportError:
        return None

    def run(lines: list[str]) -> tuple[bool, object]:
        reading = MRZ(lines)
        return bool(reading.valid), reading.to_dict()

    return run


def time_reader(run: Callable[[list[str]], tuple[bool, object]], data: list[list[str]],
                repeat: int) -> tuple[float, int]:
    best = float("inf")
    valid = 0
    for _ in range(repeat):
        start = time.perf_counter()
        valid = sum(1 for lines in data if run(lines)[0])
        best = min(best, time.perf_counter() - start)
    return best / len(data) * 1e6, valid


def cold_import_ms(runs: int = 15) -> tuple[float, float]:
    def median_ms(code: str) -> float:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    bare = median_ms("pass")
    return median_ms("import admit.mrz") - bare, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = corpus(args.count)
    readers: list[tuple[str, Callable[[list[str]], tuple[bool, object]] | None]] = [
        ("admit", _admit), ("mrz 0.6.2 (TD3CodeChecker + fields)", _peer_mrz()),
        ("passporteye 2.2.2 (mrz.text.MRZ)", _peer_passporteye())]
    print(f"{len(data)} distinct valid TD3 MRZs, best of {args.repeat}, Python "
          f"{sys.version.split()[0]}")
    ours = 0.0
    for name, run in readers:
        if run is None:
            print(f"  {name:40s} not installed (make bench-mrz installs it)")
            continue
        us, valid = time_reader(run, data, args.repeat)
        if name == "admit":
            ours = us
        ratio = f"{us / ours:5.1f}x admit's time" if ours else ""
        print(f"  {name:40s} {us:8.2f} µs/MRZ  valid {valid}/{len(data)}  {ratio}")
    cold, bare = cold_import_ms()
    print(f"cold `import admit.mrz`: {cold:.1f} ms "
          f"(over a bare interpreter start of {bare:.1f} ms)")


if __name__ == "__main__":
    main()
