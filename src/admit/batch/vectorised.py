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
from admit.batch.outcomes import CODE_BITS, Cuts, LegKey, Span, add_span, cuts, leg_outcome
from admit.batch.validate import LEGS, BatchReader
from admit.errors import InputError
from admit.model import Status
from admit.rules import Rules

STATUS_LABELS = {int(status): status.label for status in Status}
_BOARDABLE = int(Status.ADMISSIBLE_ON_ARRIVAL)
_CODE_ORDER = sorted(CODE_BITS.items(), key=lambda item: item[0].value)
_INDEX = "_i"


def _key_columns(leg: int) -> list[str]:
    own = [leg_column(leg, name) for name in ("to", "date", "transit", "purpose")]
    history = [f"_h{j}_{name}" for j in range(1, leg) for name in ("to", "date", "until")]
    return [*own, NATIONALITY, DOCUMENT_TYPE, ISSUER, "_hu", *history]


def codes_text(bits: int) -> str:
    """A passenger's finding codes, alphabetical, `;`-separated (the reference's spelling)."""
    return ";".join(code.value for code, bit in _CODE_ORDER if bits & bit)


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
        self.reader = BatchReader(legs, rules.extra_codes)
        self.engine_calls = 0
        self._reset()

    def _reset(self) -> None:
        self._keys: dict[LegKey, tuple[int, Cuts]] = {}
        self._spans: dict[Span, int] = {}  # span → its bit in the departure-validity flags
        self._outcomes: dict[tuple[int, int, int, int, int], int] = {}
        self._reasons: dict[tuple[str | None, str | None], int] = {}
        self._status: list[int] = []
        self._bits: list[int] = []
        self._reason: list[int] = []
        self._series: tuple[pl.Series, pl.Series, pl.Series] | None = None
        # The keys and answers seen so far as frames, so that a batch whose keys are all
        # known is joined without a Python loop; per leg, since the key columns differ.
        self._key_frames: dict[int, pl.DataFrame] = {}
        self._answer_frame: pl.DataFrame | None = None
        self._by_id: dict[int, LegKey] = {}

    @property
    def keys_seen(self) -> int:
        return len(self._keys)

    def screen(self, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, InputError]]]:
        """Decide a batch of text rows (with `row`): the output rows of the good ones, and the
        number and error of each bad one."""
        if len(self._keys) > self.max_keys or len(self._spans) > 60:
            self._reset()
        typed, errors = self.reader.read(raw)
        return self._decide(typed), errors

    def _decide(self, typed: pl.DataFrame) -> pl.DataFrame:
        frame = typed.with_row_index(_INDEX).with_columns(self._history_columns())
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
        day, until, transit = (leg_column(leg, n) for n in ("date", "until", "transit"))
        counted = pl.any_horizontal([pl.col(f"_h{j}_to").is_not_null() for j in range(1, leg)]
                                    ) if leg > 1 else pl.lit(False)
        stay = (pl.when(pl.col(until).is_null())
                .then(pl.when(pl.col(transit)).then(pl.lit(1, pl.Int64)).otherwise(None))
                .otherwise((pl.col(until) - pl.col(day)).dt.total_days() + 1))
        present = frame.filter(pl.col(LEGS) >= leg).select(
            pl.col(_INDEX), *[c for c in columns if c != "_hu"],
            pl.when(counted).then(pl.col(until)).otherwise(None).alias("_hu"),
            pl.col(leg_column(leg, "from")).alias("_from"), pl.col(until).alias("_until"),
            pl.col(EXPIRES), pl.col(ISSUED), stay.alias("_days"))
        known = self._key_frames.get(leg)
        joined = (present.join(known, on=columns, how="left", nulls_equal=True)
                  if known is not None else None)
        if joined is None or joined.get_column("_kid").null_count():
            # Keys not seen before: give them ids and cuts, then join again (a batch of known
            # keys, the usual case after the first batches, joins once).
            fresh_keys = (present if joined is None
                          else joined.filter(pl.col("_kid").is_null())).select(columns).unique()
            fresh = self._key_table(fresh_keys, columns, leg)
            known = fresh if known is None else pl.concat([known, fresh],
                                                          how="diagonal_relaxed")
            self._key_frames[leg] = known
            joined = present.join(known, on=columns, how="left", nulls_equal=True)
        table = known
        assert table is not None
        spans = [(span, bit) for span, bit in self._spans.items()]
        joined = joined.with_columns(self._span_columns(joined, spans))
        features = joined.select(
            pl.col(_INDEX), pl.col("_kid"), pl.col("_from"), pl.col("_until"),
            pl.col(EXPIRES), pl.col(ISSUED),
            _category(EXPIRES, "_e", table), _category(ISSUED, "_x", table),
            _category("_days", "_d", table),
            _flags(spans).alias("_v"))
        feature_columns = ["_kid", "_ce", "_cx", "_cd", "_v"]
        answers = self._answer_frame
        found = (features.join(answers, on=feature_columns, how="left")
                 if answers is not None else None)
        if found is None or found.get_column("_oid").null_count():
            groups = (features if found is None else found.filter(pl.col("_oid").is_null()))
            fresh = self._outcome_ids(groups.unique(subset=feature_columns, keep="first"))
            answers = fresh if answers is None else pl.concat([answers, fresh])
            self._answer_frame = answers
            found = features.join(answers, on=feature_columns, how="left")
        status, bits, reason = self._outcome_series()
        oid = pl.repeat(None, frame.height, dtype=pl.Int64, eager=True)
        if found.height:
            oid = oid.scatter(found.get_column(_INDEX), found.get_column("_oid"))
        return status.gather(oid), bits.gather(oid), reason.gather(oid)

    def _key_table(self, keys: pl.DataFrame, columns: list[str], leg: int) -> pl.DataFrame:
        """The batch's distinct keys with their id, cut points and departure spans."""
        ids: list[int] = []
        found: list[Cuts] = []
        history_at = len(columns) - 3 * (leg - 1)
        for values in keys.iter_rows():
            key = _leg_key(values, history_at)
            known = self._keys.get(key)
            if known is None:
                known = (len(self._keys), cuts(key, self.rules))
                self._keys[key] = known
                self._by_id[known[0]] = key
                for span in known[1].spans:
                    self._spans.setdefault(span, len(self._spans))
            ids.append(known[0])
            found.append(known[1])
        extra: dict[str, Any] = {"_kid": pl.Series(ids, dtype=pl.Int64)}
        columns_of: list[tuple[str, list[tuple[object, ...]]]] = [
            ("_e", [c.expiry for c in found]), ("_x", [c.issue for c in found]),
            ("_d", [c.days for c in found])]
        for prefix, lists in columns_of:
            dtype = pl.Int64 if prefix == "_d" else pl.Date
            for j in range(max((len(x) for x in lists), default=0)):
                extra[f"{prefix}{j}"] = pl.Series([x[j] if j < len(x) else None for x in lists],
                                                  dtype=dtype)
        extra["_vm"] = pl.Series([sum(1 << self._spans[s] for s in c.spans) for c in found],
                                 dtype=pl.Int64)
        return keys.with_columns(**extra)

    def _span_columns(self, joined: pl.DataFrame, spans: list[tuple[Span, int]]
                      ) -> list[pl.Expr]:
        """For each departure span, the date validity must reach: departure + span, computed
        once per distinct departure date with the engine's own calendar arithmetic."""
        departures = [d for d in joined.get_column("_until").unique().to_list() if d is not None]
        out = []
        for span, bit in spans:
            reach = {d: add_span(d, span) for d in departures}
            out.append(pl.col("_until").replace_strict(reach, default=None, return_dtype=pl.Date)
                       .alias(f"_u{bit}"))
        return out

    def _outcome_ids(self, groups: pl.DataFrame) -> pl.DataFrame:
        """Each distinct (key, features) with the id of its answer, asking the engine for the
        ones not seen before (with the group's first row as the example)."""
        ids = []
        for kid, ce, cx, cd, v, origin, until, expires, issued in groups.select(
                "_kid", "_ce", "_cx", "_cd", "_v", "_from", "_until", EXPIRES, ISSUED
        ).iter_rows():
            feature = (kid, ce, cx, cd, v)
            oid = self._outcomes.get(feature)
            if oid is None:
                outcome = leg_outcome(self._by_id[kid], origin, until, expires, issued, self.rules,
                                      self.on)
                self.engine_calls += 1
                oid = len(self._status)
                self._status.append(outcome.status)
                self._bits.append(outcome.codes)
                pair = (outcome.reason, outcome.rule)
                self._reason.append(self._reasons.setdefault(pair, len(self._reasons)))
                self._outcomes[feature] = oid
                self._series = None
            ids.append(oid)
        return groups.select("_kid", "_ce", "_cx", "_cd", "_v").with_columns(
            pl.Series("_oid", ids, dtype=pl.Int64))

    def _outcome_series(self) -> tuple[pl.Series, pl.Series, pl.Series]:
        if self._series is None:
            self._series = (pl.Series(self._status, dtype=pl.Int8),
                            pl.Series(self._bits, dtype=pl.Int64),
                            pl.Series(self._reason, dtype=pl.Int32))
        return self._series


def _category(value: str, prefix: str, table: pl.DataFrame) -> pl.Expr:
    """How many of the key's cuts lie on or before the row's value; -1 for a missing value."""
    name = {"_e": "_ce", "_x": "_cx", "_d": "_cd"}[prefix]
    count = sum(1 for c in table.columns if c.startswith(prefix) and c[len(prefix):].isdigit())
    if not count:
        return pl.when(pl.col(value).is_null()).then(-1).otherwise(0).cast(pl.Int64).alias(name)
    passed = pl.sum_horizontal([(pl.col(value) >= pl.col(f"{prefix}{j}")).cast(pl.Int64)
                                for j in range(count)])
    return pl.when(pl.col(value).is_null()).then(-1).otherwise(passed).cast(pl.Int64).alias(name)


def _flags(spans: list[tuple[Span, int]]) -> pl.Expr:
    """Bit per departure span: expiry reaches departure + span; only the key's spans count."""
    bits: pl.Expr = pl.lit(0, pl.Int64)
    for _, bit in spans:
        reached = (pl.col(EXPIRES) >= pl.col(f"_u{bit}")).fill_null(False).cast(pl.Int64)
        bits = bits | (reached * (1 << bit))
    # Without a departure date the engine measures from arrival (the expiry cuts hold that);
    # -1 keeps such a row apart from one whose expiry falls short of its departure.
    return pl.when(pl.col("_until").is_null()).then(pl.lit(-1, pl.Int64)) \
        .otherwise(bits & pl.col("_vm"))


def _leg_key(values: tuple[Any, ...], history_at: int) -> LegKey:
    to, day, transit, purpose, nationality, kind, issuer, until = values[:8]
    rest = values[history_at:]
    history = tuple((rest[i], rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)
                    if rest[i] is not None)
    return LegKey(to=to, date=day, transit=transit, purpose=purpose, nationality=nationality,
                  document_type=kind, issuer=issuer, until=until, history=history)
