"""The vectorised screener: a batch of passengers decided with Polars, with exactly the
engine's answers.

Why: a carrier's day is millions of passenger-legs, and a Python call per row cannot keep up.
Rows that share a leg key (destination, date, nationality, document type, … — see
`admit.batch.outcomes`) share their answers up to the document's dates, so each distinct key
is decided once by the real engine, for every interval of expiry and issue date, and the rows
are joined to their key and pick their interval with column comparisons. Multi-leg passengers
are decided leg by leg and combined as `engine.check` combines them: the worst status, board
only when every leg is boardable, every leg's codes, the reason of the first worst leg.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from admit.batch.columns import (
    DOCUMENT_TYPE,
    EXPIRES,
    ISSUED,
    ISSUER,
    NATIONALITY,
    REF,
    ROW,
    leg_column,
)
from admit.batch.outcomes import CODE_BITS, KeyOutcomes, LegKey, key_outcomes
from admit.batch.validate import LEGS, BatchReader
from admit.errors import InputError
from admit.model import Status
from admit.rules import Rules

STATUS_LABELS = {int(status): status.label for status in Status}
_BOARDABLE = int(Status.ADMISSIBLE_ON_ARRIVAL)
_CODE_ORDER = sorted(CODE_BITS.items(), key=lambda item: item[0].value)
_INDEX = "_i"


def _key_columns(leg: int) -> list[str]:
    own = [leg_column(leg, name) for name in ("from", "to", "date", "until", "transit",
                                              "purpose")]
    history = [f"_h{j}_{name}" for j in range(1, leg) for name in ("to", "date", "until")]
    return [*own, NATIONALITY, DOCUMENT_TYPE, ISSUER, *history]


def codes_text(bits: int) -> str:
    """A passenger's finding codes, alphabetical, `;`-separated (the reference's spelling)."""
    return ";".join(code.value for code, bit in _CODE_ORDER if bits & bit)


class Screener:
    """Screens batches of one manifest. Leg keys and their answers are kept across batches
    (up to `max_keys`, then forgotten and recomputed), so memory follows the variety of the
    data, not the number of rows."""

    def __init__(self, rules: Rules, legs: int, on: date | None = None,
                 max_keys: int = 200_000) -> None:
        self.rules = rules
        self.legs = legs
        self.on = on
        self.max_keys = max_keys
        self.reader = BatchReader(legs, rules.extra_codes)
        self._reset()

    def _reset(self) -> None:
        self._keys: dict[LegKey, tuple[int, KeyOutcomes]] = {}
        self._reasons: dict[tuple[str | None, str | None], int] = {}
        self._status: list[int] = []
        self._bits: list[int] = []
        self._reason: list[int] = []
        self._series: tuple[pl.Series, pl.Series, pl.Series] | None = None

    @property
    def keys_seen(self) -> int:
        return len(self._keys)

    def screen(self, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, InputError]]]:
        """Decide a batch of text rows (with `row`): the output rows of the good ones, and the
        number and error of each bad one."""
        if len(self._keys) > self.max_keys:
            self._reset()
        typed, errors = self.reader.read(raw)
        return self._decide(typed), errors

    def _decide(self, typed: pl.DataFrame) -> pl.DataFrame:
        frame = typed.with_columns(self._history_columns())
        statuses, bits, reasons = [], [], []
        for leg in range(1, self.legs + 1):
            status, codes, reason = self._leg(frame, leg)
            statuses.append(status.alias(f"_s{leg}"))
            bits.append(codes.alias(f"_b{leg}"))
            reasons.append(reason.alias(f"_r{leg}"))
        frame = frame.with_columns(statuses + bits + reasons)
        worst = pl.max_horizontal([pl.col(f"_s{leg}") for leg in range(1, self.legs + 1)])
        frame = frame.with_columns(worst.alias("_s"))
        reason_id: pl.Expr = pl.lit(None, pl.Int32)
        country: pl.Expr = pl.lit(None, pl.String)
        for leg in reversed(range(1, self.legs + 1)):
            first = pl.col(f"_s{leg}") == pl.col("_s")
            reason_id = pl.when(first).then(pl.col(f"_r{leg}")).otherwise(reason_id)
            country = pl.when(first).then(pl.col(leg_column(leg, "to"))).otherwise(country)
        all_bits = pl.lit(0, pl.Int64)
        for leg in range(1, self.legs + 1):
            all_bits = all_bits | pl.col(f"_b{leg}").fill_null(0)
        frame = frame.with_columns(reason_id.alias("_r"), country.alias("_c"),
                                   all_bits.alias("_b"))
        texts = {bits: codes_text(bits) for bits in frame.get_column("_b").unique().to_list()}
        by_id = {index: pair for pair, index in self._reasons.items()}
        ids = [i for i in frame.get_column("_r").unique().to_list() if i is not None]
        reason_of = {i: by_id[i][0] for i in ids}
        rule_of = {i: by_id[i][1] for i in ids}
        return frame.select(
            pl.col(ROW), pl.col(REF),
            (pl.col("_s") <= _BOARDABLE).alias("board"),
            pl.col("_s").replace_strict(STATUS_LABELS, return_dtype=pl.String).alias("status"),
            pl.col("_b").replace_strict(texts, return_dtype=pl.String).alias("codes"),
            pl.col("_r").replace_strict(reason_of, default=None, return_dtype=pl.String)
            .alias("reason"),
            pl.col("_r").replace_strict(rule_of, default=None, return_dtype=pl.String)
            .alias("reason_rule"),
            pl.col("_c").alias("reason_country"),
            pl.lit(None, pl.String).alias("error"),
            *[pl.col(f"_s{leg}").replace_strict(STATUS_LABELS, default=None,
                                                return_dtype=pl.String)
              .alias(leg_column(leg, "status")) for leg in range(1, self.legs + 1)])

    def _history_columns(self) -> list[pl.Expr]:
        """For each leg, the stay it leaves behind for later legs, as the engine counts it:
        non-transit legs with an intended departure."""
        out = []
        for leg in range(1, self.legs):
            counts = (pl.col(LEGS) >= leg) & ~pl.col(leg_column(leg, "transit")) \
                & pl.col(leg_column(leg, "until")).is_not_null()
            for name in ("to", "date", "until"):
                out.append(pl.when(counts).then(pl.col(leg_column(leg, name)))
                           .otherwise(None).alias(f"_h{leg}_{name}"))
        return out

    def _leg(self, frame: pl.DataFrame, leg: int) -> tuple[pl.Series, pl.Series, pl.Series]:
        """Status, code bits and reason id of every row's leg `leg` (null where the row has
        fewer legs)."""
        columns = _key_columns(leg)
        present = frame.select(pl.col(columns), pl.col(EXPIRES), pl.col(ISSUED),
                               (pl.col(LEGS) >= leg).alias("_present"))
        keys = present.filter(pl.col("_present")).select(columns).unique()
        table = self._key_table(keys, columns, leg)
        joined = present.join(table, on=columns, how="left", nulls_equal=True,
                              maintain_order="left")
        cut_count = sum(1 for c in table.columns if c.startswith("_e"))
        issue_count = sum(1 for c in table.columns if c.startswith("_x"))
        expiry = (pl.sum_horizontal([(pl.col(EXPIRES) >= pl.col(f"_e{j}")).cast(pl.Int64)
                                     for j in range(cut_count)])
                  if cut_count else pl.lit(0, pl.Int64))
        issue = (pl.sum_horizontal([(pl.col(ISSUED) >= pl.col(f"_x{j}")).cast(pl.Int64)
                                    for j in range(issue_count)])
                 if issue_count else pl.lit(0, pl.Int64))
        expiry_cat = pl.when(pl.col(EXPIRES).is_null()).then(pl.col("_ne") - 1).otherwise(expiry)
        issue_cat = pl.when(pl.col(ISSUED).is_null()).then(pl.col("_ni") - 1).otherwise(issue)
        index = joined.select(
            pl.when(pl.col("_present"))
            .then(pl.col("_off") + expiry_cat * pl.col("_ni") + issue_cat)
            .otherwise(None).alias("_idx")).get_column("_idx")
        status, bits, reason = self._outcome_series()
        return status.gather(index), bits.gather(index), reason.gather(index)

    def _key_table(self, keys: pl.DataFrame, columns: list[str], leg: int) -> pl.DataFrame:
        """The batch's distinct keys with where their answers start and their cut dates."""
        offsets: list[int] = []
        expiry_counts: list[int] = []
        issue_counts: list[int] = []
        cuts: list[tuple[date, ...]] = []
        issue_cuts: list[tuple[date, ...]] = []
        history_at = len(columns) - 3 * (leg - 1)
        for values in keys.iter_rows():
            key = _leg_key(values, history_at)
            found = self._keys.get(key)
            if found is None:
                found = self._add(key)
            offset, outcomes = found
            offsets.append(offset)
            expiry_counts.append(outcomes.expiry_categories)
            issue_counts.append(outcomes.issue_categories)
            cuts.append(outcomes.expiry_cuts)
            issue_cuts.append(outcomes.issue_cuts)
        width = max((len(c) for c in cuts), default=0)
        issue_width = max((len(c) for c in issue_cuts), default=0)
        extra: dict[str, Any] = {
            "_off": pl.Series(offsets, dtype=pl.Int64),
            "_ne": pl.Series(expiry_counts, dtype=pl.Int64),
            "_ni": pl.Series(issue_counts, dtype=pl.Int64)}
        for j in range(width):
            extra[f"_e{j}"] = pl.Series([c[j] if j < len(c) else None for c in cuts],
                                        dtype=pl.Date)
        for j in range(issue_width):
            extra[f"_x{j}"] = pl.Series([c[j] if j < len(c) else None for c in issue_cuts],
                                        dtype=pl.Date)
        return keys.with_columns(**extra)

    def _add(self, key: LegKey) -> tuple[int, KeyOutcomes]:
        outcomes = key_outcomes(key, self.rules, self.on)
        offset = len(self._status)
        for outcome in outcomes.outcomes:
            self._status.append(outcome.status)
            self._bits.append(outcome.codes)
            pair = (outcome.reason, outcome.rule)
            self._reason.append(self._reasons.setdefault(pair, len(self._reasons)))
        self._keys[key] = (offset, outcomes)
        self._series = None
        return offset, outcomes

    def _outcome_series(self) -> tuple[pl.Series, pl.Series, pl.Series]:
        if self._series is None:
            self._series = (pl.Series(self._status, dtype=pl.Int8),
                            pl.Series(self._bits, dtype=pl.Int64),
                            pl.Series(self._reason, dtype=pl.Int32))
        return self._series


def _leg_key(values: tuple[Any, ...], history_at: int) -> LegKey:
    origin, to, day, until, transit, purpose, nationality, kind, issuer = values[:9]
    rest = values[history_at:]
    history = tuple((rest[i], rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)
                    if rest[i] is not None)
    return LegKey(origin=origin, to=to, date=day, until=until, transit=transit,
                  purpose=purpose, nationality=nationality, document_type=kind, issuer=issuer,
                  history=history)
