"""The vectorised screener: a batch of passengers decided with Polars, with exactly the
engine's answers.

Why: a carrier's day is millions of passenger-legs, and a Python call per row cannot keep up.
Each cell is typed once per distinct string (`admit.batch.cells`); each leg of each row is
packed into one integer, its raw key (destination, date, transit, purpose, nationality,
document type, issuer); each distinct raw key is read once, merged with the keys whose holders
the rules cannot tell apart (`admit.batch.holders`) and cut at the thresholds of its rules
(`admit.batch.outcomes`); each row's side of every cut is found with integer comparisons, and
each distinct (answer class, features) — keys of one rule epoch share answers — is put to the
real engine once, with one row of that group as the example. Rows whose cells the trip parser
might refuse go to the row-by-row reference, which gives their errors in its own words. Legs
combine as `engine.check` combines them: the worst status, board only when every leg is
boardable, every leg's codes, the reason of the first worst leg.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import polars as pl

from admit.batch.answers import NEVER, Answers, Keys
from admit.batch.cells import WHITESPACE, Cells, days, from_days
from admit.batch.columns import (
    DOCUMENT_TYPE,
    EXPIRES,
    ISSUED,
    ISSUER,
    NATIONALITY,
    REF,
    ROW,
    STATUS_TYPE,
    leg_column,
)
from admit.batch.holders import Holders
from admit.batch.learning import DATE, OFFSET, Learner, packed
from admit.batch.outcomes import CODE_BITS, Outcome, add_span, leg_outcome
from admit.batch.reference import screen_rows
from admit.batch.validate import LEGS, SUSPECT, typed_batch
from admit.errors import InputError
from admit.model import Code, Status
from admit.rules import Rules

_STATUS_TEXT = pl.Series([status.label for status in Status], dtype=STATUS_TYPE)
_BOARDABLE = int(Status.ADMISSIBLE_ON_ARRIVAL)
DENSE_REACH = 200_000  # entries of the dense departure + span table, at most
_NOT_ACCEPTED = CODE_BITS[Code.DOCUMENT_NOT_ACCEPTED]
_HISTORY = ("to", "date", "until")


def _packed(leg: int) -> pl.Expr:
    to, day, transit, purpose = (pl.col(leg_column(leg, name))
                                 for name in ("to", "date", "transit", "purpose"))
    return packed(to, day, transit, purpose, pl.col(NATIONALITY), pl.col(DOCUMENT_TYPE),
                  pl.col(ISSUER))


def _counted(leg: int) -> pl.Expr:
    """Leg `leg` is a stay the engine counts for later legs: present, not a transit, with an
    intended departure."""
    return ((pl.col(LEGS) >= leg) & (pl.col(leg_column(leg, "transit")).fill_null(0) == 0)
            & pl.col(leg_column(leg, "until")).is_not_null())


def _history_columns(leg: int) -> list[str]:
    return ["_hu", *[f"_h{j}_{name}" for j in range(1, leg) for name in _HISTORY]]


class Screener:
    """Screens batches of one manifest. Keys, their cuts and the engine's answers are kept
    across batches (up to `max_keys` keys, then forgotten and recomputed), so memory follows
    the variety of the data, not the number of rows."""

    def __init__(self, rules: Rules, legs: int, on: date | None = None,
                 max_keys: int = 200_000) -> None:
        self.rules = rules
        self.legs = legs
        self.on = on
        self.max_keys = max_keys
        self.cells = Cells(rules.extra_codes)
        self.holders = Holders(rules, on)
        self.engine_calls = 0
        self.raw_keys = 0
        self._date_cache: dict[int, date] = {}
        self._reset()

    def _reset(self) -> None:
        self.learner = Learner(self.rules, self.on, self.cells, self.holders, self._dates)
        self.keys = Keys()
        self.answers = Answers()
        self._history: dict[int, pl.DataFrame] = {}  # per leg: history + packed → kid
        # departure + span as days: the batch's dense table, and a map beyond it.
        self._dense: dict[tuple[int, int, int], pl.Series] = {}
        self._reach_map: dict[int, int] = {}
        self._refused: dict[int, Outcome] = {}  # answer class → the answer for every row

    @property
    def keys_seen(self) -> int:
        return len(self.keys)

    def screen(self, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, InputError]]]:
        """Decide a batch of text rows (with `row`): the output rows of the good ones, and the
        number and error of each bad one."""
        if len(self.keys) > self.max_keys:
            self._reset()
        typed = typed_batch(raw, self.legs, self.cells)
        suspect = typed.get_column(SUSPECT)
        errors: list[tuple[int, InputError]] = []
        if not suspect.any():
            return self._decide(typed, raw.get_column(REF) if REF in raw.columns else None), \
                errors
        refs = raw.get_column(REF) if REF in raw.columns else None
        good = typed.filter(~suspect)
        out = self._decide(good, None if refs is None else refs.filter(~suspect))
        rows: list[dict[str, Any]] = []
        doubtful = raw.filter(suspect)
        numbers = doubtful.get_column(ROW).to_list()
        records = doubtful.drop(ROW).iter_rows(named=True)
        for number, (row, error) in zip(numbers, screen_rows(records, self.legs, self.rules,
                                                             self.on), strict=True):
            if error is None:
                rows.append(row | {ROW: number})
            else:
                errors.append((number, error))
        if rows:
            out = pl.concat([out, pl.DataFrame(rows, schema=out.schema)]).sort(ROW)
        return out, errors

    def _decide(self, typed: pl.DataFrame, refs: pl.Series | None) -> pl.DataFrame:
        legs = range(1, self.legs + 1)
        found = [self._leg(typed, leg) for leg in legs]
        status, reason, codes, bits = self.answers.series()
        frame = pl.DataFrame(
            [status.gather(oid).alias(f"_s{leg}") for leg, oid in zip(legs, found, strict=True)]
            + [reason.gather(oid).alias(f"_r{leg}") for leg, oid in zip(legs, found, strict=True)]
            + [typed.get_column(leg_column(leg, "to")).alias(f"_t{leg}") for leg in legs])
        if self.legs == 1:
            frame = frame.with_columns(pl.col("_s1").alias("_s"), pl.col("_r1").alias("_r"),
                                       pl.col("_t1").alias("_c"), codes.gather(found[0])
                                       .alias("_k"))
        else:
            frame = self._combine(frame, [bits.gather(oid) for oid in found])
        ref = pl.lit(None, pl.String)
        if refs is not None:
            text = refs.str.strip_chars(WHITESPACE)
            ref = pl.when(pl.lit(text.str.len_bytes() == 0)).then(None).otherwise(pl.lit(text))
        answers = self.answers

        def words(values: Sequence[str | None]) -> pl.Expr:
            return pl.lit(pl.Series(values, dtype=pl.Categorical))

        return frame.select(
            pl.lit(typed.get_column(ROW)).alias(ROW), ref.alias(REF),
            (pl.col("_s") <= _BOARDABLE).alias("board"),
            pl.lit(_STATUS_TEXT).gather(pl.col("_s")).alias("status"),
            words(answers.code_texts).gather(pl.col("_k")).alias("codes"),
            words([r for r, _ in answers.reasons]).gather(pl.col("_r")).alias("reason"),
            words([r for _, r in answers.reasons]).gather(pl.col("_r")).alias("reason_rule"),
            words(self.cells.codes).gather(pl.col("_c")).alias("reason_country"),
            pl.lit(None, pl.String).alias("error"),
            *[pl.lit(_STATUS_TEXT).gather(pl.col(f"_s{leg}")).alias(leg_column(leg, "status"))
              for leg in legs])

    def _combine(self, frame: pl.DataFrame, bits: list[pl.Series]) -> pl.DataFrame:
        """A trip of several legs, as `engine.check` combines them: the worst status, the
        reason and country of the first leg with it, the codes of every leg."""
        legs = range(1, self.legs + 1)
        worst = pl.max_horizontal([pl.col(f"_s{leg}") for leg in legs])
        reason: pl.Expr = pl.lit(None, pl.Int32)
        country: pl.Expr = pl.lit(None, pl.Int32)
        for leg in reversed(legs):
            first = pl.col(f"_s{leg}") == worst
            reason = pl.when(first).then(pl.col(f"_r{leg}")).otherwise(reason)
            country = pl.when(first).then(pl.col(f"_t{leg}")).otherwise(country)
        union = bits[0].fill_null(0)
        for more in bits[1:]:
            union = union | more.fill_null(0)
        distinct = union.unique().to_list()
        ids = [self.answers.code_id(b) for b in distinct]
        code_set = union.replace_strict(distinct, ids, return_dtype=pl.Int32)
        return frame.with_columns(worst.alias("_s"), reason.alias("_r"), country.alias("_c"),
                                  code_set.alias("_k"))

    def _leg(self, typed: pl.DataFrame, leg: int) -> pl.Series:
        """The answer id (oid) of every row's leg `leg` (null where the row has fewer
        legs)."""
        day, until, transit = (pl.col(leg_column(leg, n)) for n in ("date", "until", "transit"))
        # Days present, both counted; a transit without a departure is one day. Without a
        # departure a stay is not measured: it fits every limit, as a stay of 0 days would.
        stay = pl.when(until.is_null()).then(transit.fill_null(0)).otherwise(until - day + 1)
        columns = [_packed(leg).alias("_p"), pl.col(EXPIRES).alias("_e"),
                   pl.col(ISSUED).alias("_x"), stay.alias("_d"), until.alias("_u"),
                   pl.col(leg_column(leg, "from")).alias("_f")]
        if leg > 1:
            counted = [_counted(j) for j in range(1, leg)]
            columns.append(pl.any_horizontal(counted).alias("_hh"))
            columns.append(pl.when(pl.any_horizontal(counted)).then(until).alias("_hu"))
            columns += [pl.when(counted[j - 1]).then(pl.col(leg_column(j, name)))
                        .alias(f"_h{j}_{name}") for j in range(1, leg) for name in _HISTORY]
        work = typed.select(columns)
        work = work.with_columns(self._kid(work, leg))
        if work.select((pl.col("_p").is_not_null() & pl.col("_k").is_null()).any()).item():
            self._learn_keys(work, leg)
            work = work.with_columns(self._kid(work, leg))
        work = self._features(work)
        oid = self.answers.by_features.expr(pl.col("_fk")).alias("_o")
        work = work.with_columns(oid)
        if work.select((pl.col("_k").is_not_null() & pl.col("_o").is_null()).any()).item():
            self._ask_engine(work)
            work = work.with_columns(self.answers.by_features.expr(pl.col("_fk")).alias("_o"))
        return work.get_column("_o")

    def _kid(self, work: pl.DataFrame, leg: int) -> pl.Expr:
        plain = self.keys.raw.expr(pl.col("_p"))
        known = self._history.get(leg)
        if leg == 1:
            return plain.alias("_k")
        if known is None or not work.get_column("_hh").any():
            return pl.when(pl.col("_hh")).then(None).otherwise(plain).alias("_k")
        found = work.select([*_history_columns(leg), "_p"]).join(
            known, on=[*_history_columns(leg), "_p"], how="left", nulls_equal=True,
            maintain_order="left").get_column("_kh")
        return pl.when(pl.col("_hh")).then(pl.lit(found)).otherwise(plain).alias("_k")

    def _learn_keys(self, work: pl.DataFrame, leg: int) -> None:
        """Give the batch's new raw keys their kid (`admit.batch.learning`)."""
        history = _history_columns(leg) if leg > 1 else []
        fresh = work.filter(pl.col("_p").is_not_null() & pl.col("_k").is_null()).select(
            "_p", *history).unique()
        learnt = self.learner.learn(fresh, history, self.keys)
        self.raw_keys += learnt.height
        if leg > 1:
            with_history = learnt.filter(pl.any_horizontal([pl.col(f"_h{j}_to").is_not_null()
                                                            for j in range(1, leg)]))
            if with_history.height:
                known = self._history.get(leg)
                self._history[leg] = (with_history if known is None
                                      else pl.concat([known, with_history]))
            learnt = learnt.filter(pl.all_horizontal([pl.col(f"_h{j}_to").is_null()
                                                      for j in range(1, leg)]))
        self.keys.raw.update(learnt.get_column("_p"), learnt.get_column("_kh"))

    def _dates(self, value: int) -> date:
        found = self._date_cache.get(value)
        if found is None:
            found = self._date_cache[value] = from_days(value)
        return found

    def _features(self, work: pl.DataFrame) -> pl.DataFrame:
        """Each row's side of its key's cuts, packed with the kid into a feature key `_fk`."""
        tables = self.keys.tables()
        work = work.with_columns(pl.lit(series).gather(pl.col("_k")).alias(f"_g{name}")
                                 for name, series in tables.items())

        def category(value: str, prefix: str) -> pl.Expr:
            names = [f"_g{name}" for name in tables if name.startswith(prefix)
                     and name[len(prefix):].isdigit()]
            if not names:
                return pl.lit(0, pl.Int32)
            passed: pl.Expr = pl.lit(0, pl.Int32)
            for name in names:
                passed = passed + (pl.col(value) >= pl.col(name)).cast(pl.Int32)
            # A missing value (null sum) is its own category where the key has such cuts.
            return passed.fill_null(pl.when(pl.col(names[0]) == NEVER).then(0).otherwise(-1))

        # Validity beyond departure, measured from arrival when the row gives no departure.
        needed = pl.when(pl.col("_u").is_null()).then(pl.col("_garrive")) \
            .otherwise(self._reach(work))
        departure = pl.when(pl.col("_gspan").is_null()).then(0).otherwise(
            (pl.col("_e") >= needed).fill_null(False).cast(pl.Int32))
        features = ((category("_e", "e") + 1) * 2**11 + (category("_x", "x") + 1) * 2**7
                    + (category("_d", "d") + 1) * 2**2 + (departure + 1))
        return work.with_columns((pl.col("_ganswers") * 2**17 + features.cast(pl.Int64))
                                 .alias("_fk"))

    def _reach(self, work: pl.DataFrame) -> pl.Expr:
        """departure + span per row, for keys with a departure span: computed with the
        engine's own calendar arithmetic once per (span, departure date), as a dense table
        over the batch's departures (or a map, for departures spread over centuries)."""
        spans = sorted(self.keys.spans, key=self.keys.spans.__getitem__)
        departures = work.get_column("_u")
        low, high = departures.min(), departures.max()
        if not spans or low is None or high is None:
            return pl.lit(None, pl.Int32)
        first, width = int(cast(int, low)), int(cast(int, high)) - int(cast(int, low)) + 1
        span = pl.col("_gspan")
        if width * len(spans) <= DENSE_REACH:
            found = self._dense.get((first, width, len(spans)))
            if found is None:
                found = pl.Series([days(add_span(from_days(first + i), each))
                                   for each in spans for i in range(width)], dtype=pl.Int32)
                self._dense = {(first, width, len(spans)): found}
            return pl.lit(found).gather(span * width + pl.col("_u") - first)
        for value in departures.unique().drop_nulls().to_list():
            for index, each in enumerate(spans):
                self._reach_map.setdefault(index * 2**DATE + value + OFFSET,
                                           days(add_span(from_days(value), each)))
        packed: pl.Expr = span.cast(pl.Int64) * 2**DATE + pl.col("_u").cast(pl.Int64) + OFFSET
        return packed.replace_strict(list(self._reach_map), list(self._reach_map.values()),
                                     default=None, return_dtype=pl.Int32)

    def _ask_engine(self, work: pl.DataFrame) -> None:
        """Ask the engine once per new (key, features), with the group's first row. A key
        whose document the destination does not accept needs one answer: the engine refuses
        such a document before it reads its dates or the stay (`engine._attempt` stops at
        the documents step), so every row of the key gets that answer."""
        fresh = work.filter(pl.col("_k").is_not_null() & pl.col("_o").is_null()).unique(
            subset="_fk", keep="first", maintain_order=True)
        codes, dates, refused = self.cells.codes, self._dates, self._refused
        for fk, kid, origin, until, expires, issued in fresh.select(
                "_fk", "_k", "_f", "_u", "_e", "_x").iter_rows():
            outcome = refused.get(fk >> 17)
            if outcome is None:
                outcome = leg_outcome(
                    self.keys.examples[kid], codes[origin], None if until is None else
                    dates(until), None if expires is None else dates(expires),
                    None if issued is None else dates(issued), self.rules, self.on)
                self.engine_calls += 1
                if outcome.codes & _NOT_ACCEPTED:
                    refused[fk >> 17] = outcome
            self.answers.add(fk, outcome)
