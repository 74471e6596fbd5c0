"""Compare admit's answers with a published visa matrix: where do they disagree, and how badly?

Why: a matrix of every passport against every destination (passport-index's "tidy" CSV) is a
cheap way to find what admit's rule data may be missing or may have wrong. It is a lead, never
a source: it is scraped, undated, unsourced and flattens conditions, so a disagreement is a
question for a maintainer to answer from a real source, not a verdict. This module reads the
matrix, asks the real engine (`admit.engine.check`, as `admit check` does) about the same
traveller the golden table and `admit rules coverage` use, maps both answers to a common scale,
and counts and lists where they differ. It prints nothing: the terminal, JSON and Markdown
views are built from the `Report` it returns.

Two scales: the exact level (visa-free, on arrival, ETA, eVisa, visa, refused) and the board
level a carrier cares about (free to board, an authorization needed first, refused). The worst
disagreement is admit letting someone board (free) where the matrix says an authorization is
needed or entry is refused.
"""

from __future__ import annotations

import csv
import enum
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from admit import codes
from admit.engine import check
from admit.errors import InputError
from admit.model import Code, Leg, LegDecision, Purpose, Status, Traveller, Trip
from admit.rules.compare_notes import Explanation
from admit.rules.coverage import traveller
from admit.rules.tables import Rules

COLUMNS = ("Passport", "Destination", "Requirement")
MIN_DAYS, MAX_DAYS = 7, 360
OWN_COUNTRY = "-1"
# The matrix spells Kosovo with the user-assigned code most data sets use; ICAO's is RKS.
ALIASES = {"XKX": "RKS"}
ORIGIN = "UTO"  # the golden table's neutral origin: where the leg starts does not matter here


class Level(enum.StrEnum):
    """The exact answer, on a scale both sides can be put on."""

    VISA_FREE = "visa_free"
    VISA_ON_ARRIVAL = "visa_on_arrival"
    ETA = "eta"
    EVISA = "evisa"
    VISA_REQUIRED = "visa_required"
    NOT_ADMITTED = "not_admitted"
    UNKNOWN = "unknown"  # admit only: the data does not say

    @property
    def board(self) -> Board:
        return _BOARD[self]


class Board(enum.StrEnum):
    """What a carrier does at the gate: board, ask for an authorization first, or refuse."""

    FREE = "free"
    AUTHORIZATION = "authorization"
    REFUSED = "refused"
    UNKNOWN = "unknown"


_BOARD = {Level.VISA_FREE: Board.FREE, Level.VISA_ON_ARRIVAL: Board.FREE,
          Level.ETA: Board.AUTHORIZATION, Level.EVISA: Board.AUTHORIZATION,
          Level.VISA_REQUIRED: Board.AUTHORIZATION, Level.NOT_ADMITTED: Board.REFUSED,
          Level.UNKNOWN: Board.UNKNOWN}
MATRIX_BOARDS = (Board.FREE, Board.AUTHORIZATION, Board.REFUSED)
WORDS = {"visa free": Level.VISA_FREE, "visa on arrival": Level.VISA_ON_ARRIVAL,
         "eta": Level.ETA, "e-visa": Level.EVISA, "visa required": Level.VISA_REQUIRED,
         "no admission": Level.NOT_ADMITTED}
# The finding of the governing entry rule names the regime (admit.engine.authorization); a
# citizen's right of return is the freest answer there is.
_REGIME = {Code.NATIONAL: Level.VISA_FREE, Code.FREEDOM_OF_MOVEMENT: Level.VISA_FREE,
           Code.VISA_FREE: Level.VISA_FREE, Code.VISA_ON_ARRIVAL: Level.VISA_ON_ARRIVAL,
           Code.ETA_REQUIRED: Level.ETA, Code.EVISA_REQUIRED: Level.EVISA,
           Code.VISA_REQUIRED: Level.VISA_REQUIRED, Code.NOT_ADMITTED: Level.NOT_ADMITTED}


class Kind(enum.StrEnum):
    """How a pair compares, best to worst for listing: `worst` is admit boarding (free) where
    the matrix needs an authorization or refuses."""

    AGREE = "agree"
    UNKNOWN = "unknown"  # admit has no answer
    EXACT = "exact"  # the same board level, another exact level (an eVisa for an ETA)
    BOARD = "board"  # another board level, but admit does not board where the matrix would not
    WORST = "worst"


@dataclass(frozen=True, slots=True)
class Cell:
    """One matrix row: `row` is its line in the file (the header is row 1)."""

    row: int
    passport: str
    destination: str
    value: str
    level: Level
    days: int | None


@dataclass(frozen=True, slots=True)
class Answer:
    """admit's answer for one pair: the level, the longest stay, and the rule that decided."""

    level: Level
    days: int | None
    rule: str | None


@dataclass(frozen=True, slots=True)
class Pair:
    cell: Cell
    admit: Answer
    explanation: Explanation | None = None

    @property
    def passport(self) -> str:
        return self.cell.passport

    @property
    def kind(self) -> Kind:
        matrix, admit = self.cell.level, self.admit.level
        if matrix == admit:
            return Kind.AGREE
        if admit == Level.UNKNOWN:
            return Kind.UNKNOWN
        if matrix.board == admit.board:
            return Kind.EXACT
        return Kind.WORST if admit.board == Board.FREE else Kind.BOARD


@dataclass(frozen=True, slots=True)
class Tally:
    """The figures of a set of pairs. `confusion[(matrix, admit)]` counts pairs by board
    level; `worst` counts admit boarding (free) where the matrix needs an authorization or
    refuses; `unexplained` the disagreements no explanation covers."""

    pairs: int = 0
    exact: int = 0
    board: int = 0
    unknown: int = 0
    worst: int = 0
    unexplained: int = 0
    confusion: Mapping[tuple[Board, Board], int] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[Pair]) -> Tally:
        kinds: Counter[Kind] = Counter()
        confusion: Counter[tuple[Board, Board]] = Counter()
        count = board = unexplained = 0
        for pair in pairs:
            count += 1
            kind = pair.kind
            kinds[kind] += 1
            matrix, admit = pair.cell.level.board, pair.admit.level.board
            confusion[matrix, admit] += 1
            board += matrix == admit
            unexplained += kind != Kind.AGREE and pair.explanation is None
        return cls(pairs=count, exact=kinds[Kind.AGREE], board=board, unknown=kinds[Kind.UNKNOWN],
                   worst=kinds[Kind.WORST], unexplained=unexplained, confusion=dict(confusion))

    def percent(self, count: int) -> float | None:
        """`count` as a percentage of the pairs, one decimal; None when there are none."""
        return round(100 * count / self.pairs, 1) if self.pairs else None


@dataclass(frozen=True, slots=True)
class DestinationReport:
    code: str
    name: str
    pairs: tuple[Pair, ...]  # sorted by passport
    tally: Tally

    def disagreements(self, *kinds: Kind) -> tuple[Pair, ...]:
        """The pairs of these kinds (every disagreement by default), worst first, then by
        passport."""
        wanted = set(kinds) if kinds else set(Kind) - {Kind.AGREE}
        order = list(Kind)
        return tuple(sorted((p for p in self.pairs if p.kind in wanted),
                            key=lambda p: (-order.index(p.kind), p.passport)))


@dataclass(frozen=True, slots=True)
class Report:
    """The comparison on one date. `no_rule_file`: matrix destinations admit has no rule file
    for (not compared); `not_in_matrix`: compared destinations the matrix has no row for;
    `unused`: explanations that cover no disagreement (stale, or a typo)."""

    on: date
    data_version: str
    destinations: tuple[DestinationReport, ...]
    tally: Tally
    no_rule_file: tuple[str, ...]
    not_in_matrix: tuple[str, ...]
    unused: tuple[Explanation, ...]


def classify(value: str) -> tuple[Level, int | None] | None:
    """A matrix value as (level, days); None for `-1` (own country). Raises ValueError for a
    value the matrix does not use."""
    text = " ".join(value.split()).lower()
    if text == OWN_COUNTRY:
        return None
    if text.isdigit():
        days = int(text)
        if MIN_DAYS <= days <= MAX_DAYS:
            return Level.VISA_FREE, days
        raise ValueError(f"a number of days must be {MIN_DAYS}-{MAX_DAYS}")
    level = WORDS.get(text)
    if level is None:
        raise ValueError(f"expected a number of days ({MIN_DAYS}-{MAX_DAYS}), "
                         f"{', '.join(WORDS)} or {OWN_COUNTRY}")
    return level, None


def parse_matrix(text: str, extra_codes: Collection[str] = frozenset()) -> tuple[Cell, ...]:
    """The cells of a tidy matrix (CSV with a header Passport, Destination, Requirement), own
    countries left out. `extra_codes` are the fictional codes a test data set declares.
    Raises InputError naming the row and column and the value for anything it cannot read."""
    reader = csv.reader(text.removeprefix("\ufeff").splitlines())
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != list(COLUMNS):
        raise InputError("row 1 (header)", ",".join(header or []),
                         f"expected the columns {', '.join(COLUMNS)}")
    cells: list[Cell] = []
    seen: dict[tuple[str, str], int] = {}
    for row, values in enumerate(reader, start=2):
        if not values or not "".join(values).strip():
            continue  # a blank line
        if len(values) != len(COLUMNS):
            raise InputError(f"row {row}", ",".join(values),
                             f"expected {len(COLUMNS)} values ({', '.join(COLUMNS)})")
        passport = _code(values[0], row, COLUMNS[0], extra_codes)
        destination = _code(values[1], row, COLUMNS[1], extra_codes)
        try:
            found = classify(values[2])
        except ValueError as exc:
            raise InputError(f"row {row}, {COLUMNS[2]}", values[2], str(exc)) from None
        first = seen.setdefault((passport, destination), row)
        if first != row:
            raise InputError(f"row {row}", ",".join(values[:2]),
                             f"the pair {passport} to {destination} is already on row {first}")
        if found is not None:
            cells.append(Cell(row, passport, destination, values[2].strip(), *found))
    return tuple(cells)


def _code(value: str, row: int, column: str, extra: Collection[str]) -> str:
    code = value.strip().upper()
    code = ALIASES.get(code, code)
    if not (codes.is_known(code) or code in extra):
        raise InputError(f"row {row}, {column}", value, "not a country code")
    return code


def answer(leg: LegDecision) -> Answer:
    """admit's answer on the common scale. A refusal by any step (a document not accepted, a
    passport too old) is `not_admitted`, citing the rule that refused; otherwise the level is
    the regime of the governing entry rule, citing it."""
    if leg.status == Status.UNKNOWN:
        return Answer(Level.UNKNOWN, None, _first_rule(leg, Status.UNKNOWN))
    if leg.status == Status.INADMISSIBLE:
        return Answer(Level.NOT_ADMITTED, None, _first_rule(leg, Status.INADMISSIBLE))
    for finding in leg.findings:
        level = _REGIME.get(finding.code)
        if level is not None:
            return Answer(level, leg.max_stay_days, finding.rule)
    return Answer(Level.UNKNOWN, None, None)  # no step gave a regime: say so, never guess


def _first_rule(leg: LegDecision, status: Status) -> str | None:
    return next((f.rule for f in leg.findings if f.status == status and f.rule), None)


def ask(rules: Rules, holder: Traveller, destination: str, on: date) -> Answer:
    """The engine's answer for `holder` (the golden traveller of a passport, made by
    admit.rules.coverage.traveller) on a tourist trip of one leg entering `destination` on
    `on`."""
    leg = Leg(origin=ORIGIN, to=destination, date=on, purpose=Purpose.TOURISM)
    decision = check(Trip(holder, (leg,)), rules)
    return answer(decision.legs[0])


def compare(rules: Rules, cells: Sequence[Cell], on: date,
            destinations: Collection[str] | None = None,
            explanations: Sequence[Explanation] = ()) -> Report:
    """Compare every cell whose destination has a rule file (only `destinations`, when
    given) with admit's answer on `on`; each disagreement gets the first explanation in file
    order that covers it."""
    wanted = set(rules.destinations) if destinations is None else set(destinations)
    by_destination: dict[str, list[Cell]] = {}
    no_rule_file: set[str] = set()
    for cell in cells:
        if cell.destination not in rules.destinations:
            no_rule_file.add(cell.destination)
        elif cell.destination in wanted:
            by_destination.setdefault(cell.destination, []).append(cell)
    used: set[int] = set()
    reports = []
    holders: dict[str, Traveller] = {}  # one per passport: making one is a tenth of a check
    for code in sorted(wanted & set(rules.destinations)):
        pairs = []
        for cell in sorted(by_destination.get(code, ()), key=lambda c: c.passport):
            holder = holders.get(cell.passport)
            if holder is None:
                holder = holders[cell.passport] = traveller(cell.passport, on)
            pair = Pair(cell, ask(rules, holder, code, on))
            if pair.kind != Kind.AGREE:
                index = next((i for i, e in enumerate(explanations)
                              if e.covers(code, cell.passport)), None)
                if index is not None:
                    used.add(index)
                    pair = Pair(cell, pair.admit, explanations[index])
            pairs.append(pair)
        reports.append(DestinationReport(code, rules.destinations[code].spec.name,
                                         tuple(pairs), Tally.of(pairs)))
    return Report(
        on=on, data_version=rules.data_version, destinations=tuple(reports),
        tally=Tally.of(p for r in reports for p in r.pairs),
        no_rule_file=tuple(sorted(no_rule_file if destinations is None
                                  else no_rule_file & wanted)),
        not_in_matrix=tuple(r.code for r in reports if not r.pairs),
        unused=tuple(e for i, e in enumerate(explanations)
                     if i not in used and (destinations is None or e.destination in wanted)))


def to_json(report: Report) -> dict[str, Any]:
    """The report as `admit rules compare --json` prints it."""
    return {
        "on": report.on.isoformat(), "data_version": report.data_version,
        "overall": _tally_json(report.tally),
        "destinations": [{"code": r.code, "name": r.name, **_tally_json(r.tally),
                          "disagreements": [_pair_json(p) for p in r.disagreements()]}
                         for r in report.destinations],
        "no_rule_file": list(report.no_rule_file), "not_in_matrix": list(report.not_in_matrix),
        "unused_explanations": [e.to_json() for e in report.unused],
    }


def _tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "pairs": tally.pairs, "exact_agree": tally.exact, "board_agree": tally.board,
        "unknown": tally.unknown, "admit_boards_matrix_needs_authorization": tally.worst,
        "unexplained": tally.unexplained, "exact_agree_pct": tally.percent(tally.exact),
        "board_agree_pct": tally.percent(tally.board),
        "unknown_pct": tally.percent(tally.unknown),
        "confusion": {m.value: {a.value: tally.confusion.get((m, a), 0) for a in Board}
                      for m in MATRIX_BOARDS},
    }


def _pair_json(pair: Pair) -> dict[str, Any]:
    cell, admit = pair.cell, pair.admit
    return {
        "passport": cell.passport, "row": cell.row, "kind": pair.kind.value,
        "matrix": {"value": cell.value, "level": cell.level.value,
                   "board": cell.level.board.value, "days": cell.days},
        "admit": {"level": admit.level.value, "board": admit.level.board.value,
                  "days": admit.days, "rule": admit.rule},
        "explanation": None if pair.explanation is None else pair.explanation.to_json(),
    }
