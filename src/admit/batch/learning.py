"""Learning a batch's new raw keys: packed integers to leg keys, merged by holder class, cut.

Why: the first batches of a day meet tens of thousands of raw keys (destination × nationality
× document type × issuer × transit …), and a few microseconds of Python for each is a visible
share of the whole run. So the raw keys are decoded with integer arithmetic in Polars, and each
part of a holder class (`admit.batch.holders`) is computed once per distinct input — the rules
in force once per (destination, rule epoch, code), a document type's reading once per (holder,
type), an issuer's standing once per (issuer tokens, issuer, epoch) — and joined back. Python
then meets each distinct merged key once, to give it an id (`kid`), its answer class (the key
without its day, within an epoch, when it carries no earlier stays) and its cuts (the rules'
kinds once per answer class, at each key's dates).

A raw key packs, from the low bits: issuer (11 bits, an index into `Cells.codes`), document
type (3), nationality (11), purpose + 1 (3), transit (1), arrival as days since 0001-01-01
(22), destination (11): 62 bits, a non-negative Int64.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import polars as pl

from admit.batch.answers import Keys
from admit.batch.cells import DOCUMENT_TYPES, PURPOSES, Cells, days
from admit.batch.holders import Holders
from admit.batch.outcomes import CutKinds, LegKey, cut_kinds, cuts_at, history_counts
from admit.model import CONVENTION_CLASS
from admit.rules import Rules

OFFSET = 719_162  # days from 0001-01-01 to 1970-01-01: every ISO date packs non-negative
CODE, DATE = 11, 22  # bits of a country code's index and of a date
SHIFTS = {"issuer": 0, "document_type": 11, "nationality": 14, "purpose": 25, "transit": 28,
          "date": 29, "to": 51}
WIDTHS = {"issuer": CODE, "document_type": 3, "nationality": CODE, "purpose": 3, "transit": 1,
          "date": DATE, "to": CODE}


def packed(to: pl.Expr, day: pl.Expr, transit: pl.Expr, purpose: pl.Expr, nationality: pl.Expr,
           kind: pl.Expr, issuer: pl.Expr) -> pl.Expr:
    """The raw key of typed columns (null where a part is null: a leg the row lacks)."""
    parts = {"to": to, "date": day + OFFSET, "transit": transit.fill_null(0),
             "purpose": purpose.fill_null(-1) + 1, "nationality": nationality,
             "document_type": kind, "issuer": issuer}
    total: pl.Expr = pl.lit(0, pl.Int64)
    for name, part in parts.items():
        total = total + part.cast(pl.Int64) * 2 ** SHIFTS[name]
    return total


def _field(name: str) -> pl.Expr:
    value: pl.Expr = pl.col("_p") // 2 ** SHIFTS[name] % 2 ** WIDTHS[name]
    if name == "date":
        value = value - OFFSET
    elif name == "purpose":
        value = value - 1
    return value.alias(name)


class Learner:
    """Gives raw keys their kid, registering new kids (example key and cuts) in `keys`."""

    def __init__(self, rules: Rules, on: date | None, cells: Cells, holders: Holders,
                 dates: Callable[[int], date]) -> None:
        self.rules = rules
        self.on = on
        self.cells = cells
        self.holders = holders
        self.dates = dates
        self._kinds: dict[Hashable, CutKinds] = {}  # by answer class (see `Keys.add`)

    def learn(self, fresh: pl.DataFrame, history: list[str], keys: Keys) -> pl.DataFrame:
        """`fresh`: distinct raw keys (`_p`, and the history columns `history` of a later
        leg: see `admit.batch.vectorised`). Returns them with their kid (`_kh`)."""
        codes, dates, holders = self.cells.codes, self.dates, self.holders
        frame = fresh.with_columns(_field(name) for name in SHIFTS)
        proves: pl.Expr = pl.col("nationality")
        for kind, code in CONVENTION_CLASS.items():
            proves = pl.when(pl.col("document_type") == DOCUMENT_TYPES.index(kind)).then(
                pl.lit(self.cells.code_index(code), pl.Int64)).otherwise(proves)
        frame = frame.with_columns(
            proves.alias("proves"),
            (pl.col("date") if self.on is None else pl.lit(days(self.on), pl.Int64)).alias("day"))
        # Classes are computed on the first day of the rules' epoch (`Epochs`): the same on
        # every day of it.
        seen = frame.get_column("day").unique().to_list()
        frame = frame.with_columns(pl.col("day").replace_strict(
            seen, [days(holders.epochs.start(dates(day))) for day in seen],
            return_dtype=pl.Int64))
        # A national is admitted whatever else the key holds: the class parts stay null.
        frame = frame.with_columns(((pl.col("to") == pl.col("nationality"))
                                    | (pl.col("to") == pl.col("proves"))).alias("national"))
        frame = self._join(frame, ["to", "day", "proves"], "hc",
                           lambda to, day, code: holders.holder(codes[to], dates(day),
                                                                codes[code]))
        frame = self._join(frame, ["hc", "document_type"], "dc",
                           lambda hc, kind: holders.document(hc, DOCUMENT_TYPES[kind]))
        frame = self._join(frame, ["hc"], "tk", holders.tokens)
        frame = self._join(frame, ["tk", "issuer", "day"], "nm",
                           lambda tk, issuer, day: holders.names(tk, codes[issuer], dates(day)))
        frame = self._join(frame, ["proves", "issuer"], "own",
                           lambda code, issuer: int(holders.own(codes[code], codes[issuer])))
        stays = [f"_k{name}" for name in history]
        if history:
            frame = self._stays(frame, history)
        canonical = ["to", "date", "transit", "purpose", "hc", "dc", "own", "nm", *stays]
        firsts = frame.unique(subset=canonical, keep="first")
        kids = []
        for row in firsts.select(*canonical, "day", "nationality", "document_type", "issuer"
                                 ).iter_rows():
            identity = row[:len(canonical)]
            kid = keys.by_class.get(identity)
            if kid is None:
                key = self._key(row, stays)
                # Keys that differ only in their date within an epoch, and carry no stays,
                # get one set of answers: their cuts are the same kinds at other dates.
                answers = (identity[0], row[len(canonical)] if not key.history else key.date,
                           *identity[2:])
                kinds = self._kinds.get(answers)
                if kinds is None:
                    kinds = self._kinds[answers] = cut_kinds(key, self.rules, self.on)
                kid = keys.add(identity, key, cuts_at(kinds, key), answers)
            kids.append((*identity, kid))
        table = pl.DataFrame(kids, schema=[*canonical, "_kh"], orient="row",
                             infer_schema_length=None)
        schema = pl.Schema({**frame.select(canonical).schema, "_kh": pl.Int64()})
        return frame.join(table.cast(schema), on=canonical, how="left", nulls_equal=True
                          ).select("_p", *history, "_kh")

    def _key(self, row: tuple[Any, ...], history: list[str]) -> LegKey:
        """The example key of a new kid: the raw key of the first row of its class."""
        codes, dates = self.cells.codes, self.dates
        to, day, transit, purpose = row[:4]
        nationality, kind, issuer = row[-3:]  # after the epoch's day
        values = row[8:8 + len(history)]
        until: date | None = None
        stays: tuple[tuple[str, date, date], ...] = ()
        if values and any(v is not None for v in values[1:]):
            until = None if values[0] is None else dates(values[0])
            stays = tuple((codes[values[i]], dates(values[i + 1]), dates(values[i + 2]))
                          for i in range(1, len(values), 3) if values[i] is not None)
        return LegKey(to=codes[to], date=dates(day), transit=bool(transit),
                      purpose=None if purpose < 0 else PURPOSES[purpose],
                      nationality=codes[nationality], document_type=DOCUMENT_TYPES[kind],
                      issuer=codes[issuer], until=until, history=stays)

    def _stays(self, frame: pl.DataFrame, history: list[str]) -> pl.DataFrame:
        """The history columns as the key keeps them (`_k…`): as given where the engine's
        stay step can read them (`history_counts`), else null, so that the key is the one
        of a leg without history."""
        countries = [name for name in history if name.endswith("_to")]
        # The entry rule is one per holder class, document reading and purpose: one
        # question per distinct class, with its first row's codes.
        on = ["to", "day", "hc", "dc", "purpose", *countries]
        codes, dates = self.cells.codes, self.dates
        parts = frame.filter(~pl.col("national") & pl.any_horizontal(
            [pl.col(name).is_not_null() for name in countries])).unique(
            subset=on, keep="first").select(*on, "proves", "document_type")
        values = [(*row[:-2], history_counts(
            self.rules, codes[row[0]], dates(row[1]), codes[row[-2]], DOCUMENT_TYPES[row[-1]],
            None if row[4] < 0 else PURPOSES[row[4]],
            [codes[code] for code in row[5:-2] if code is not None]))
            for row in parts.iter_rows()]
        parts = parts.select(on)
        table = pl.DataFrame(values, schema=[*on, "_counts"], orient="row",
                             infer_schema_length=None)
        frame = frame.join(table.cast(pl.Schema({**parts.schema, "_counts": pl.Boolean()})),
                           on=on, how="left", nulls_equal=True)
        return frame.with_columns(pl.when(pl.col("_counts")).then(pl.col(name)).alias(f"_k{name}")
                                  for name in history)

    def _join(self, frame: pl.DataFrame, on: list[str], name: str,
              compute: Callable[..., Hashable]) -> pl.DataFrame:
        """`compute` once per distinct `on` among the rows that are not nationals, joined
        back as column `name` (null for nationals)."""
        parts = frame.filter(~pl.col("national")).select(on).unique()
        values = [(*row, compute(*row)) for row in parts.iter_rows()]
        table = pl.DataFrame(values, schema=[*on, name], orient="row", infer_schema_length=None)
        joined = frame.join(table.cast(pl.Schema({**parts.schema, name: pl.Int64()})), on=on,
                            how="left")
        return joined.with_columns(pl.when(pl.col("national")).then(None)
                                   .otherwise(pl.col(name)).alias(name))
