"""Write the golden decision table: tests/golden/decisions.csv.

Why: a change to the rule data should show up as a readable diff of outcomes, and CI should
fail when the committed table no longer matches the data (tests/unit/test_golden.py). The
table crosses every destination that has a rule file with every nationality (ISO alpha-3 plus
XXA stateless and XXB refugee) on a few dates; one row per (destination, nationality), sorted.

The traveller holds one document issued a year before the date and valid five years: an
ordinary passport of their own state, or for XXA / XXB a stateless / refugee travel document
issued by UTO (a neutral issuer). The trip is one leg with no departure date. Each cell is the
status — `ok` (admissible), `arrival` (admissible on arrival), `auth` (authorization required),
`unknown`, `refused` (inadmissible) — then `:N` when the leg has a maximum stay of N days.

Run: `make golden` (or `python tools/golden.py [OUTPUT]`).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path

from admit._iso3166 import ALPHA3
from admit.engine import check_leg
from admit.model import Leg, Status, Trip
from admit.rules import Rules, load_rules
from admit.rules.coverage import traveller

OUTPUT = Path(__file__).resolve().parents[1] / "tests" / "golden" / "decisions.csv"
DATES = (date(2019, 6, 1), date(2023, 2, 27), date(2026, 6, 1))
NATIONALITIES = tuple(sorted(ALPHA3 | {"XXA", "XXB"}))
SHORT = {Status.ADMISSIBLE: "ok", Status.ADMISSIBLE_ON_ARRIVAL: "arrival",
         Status.AUTHORIZATION_REQUIRED: "auth", Status.UNKNOWN: "unknown",
         Status.INADMISSIBLE: "refused"}


def cell(rules: Rules, destination: str, nationality: str, day: date) -> str:
    leg = Leg(origin="UTO", to=destination, date=day)
    decided = check_leg(Trip(traveller(nationality, day), (leg,)), leg, rules)
    short = SHORT[decided.status]
    return short if decided.max_stay_days is None else f"{short}:{decided.max_stay_days}"


def table(rules: Rules) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["destination", "nationality", *(d.isoformat() for d in DATES)])
    for destination in sorted(rules.destinations):
        for nationality in NATIONALITIES:
            writer.writerow([destination, nationality,
                             *(cell(rules, destination, nationality, d) for d in DATES)])
    return out.getvalue()


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    text = table(load_rules())
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
