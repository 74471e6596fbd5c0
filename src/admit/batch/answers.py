"""What a screener has learnt: leg keys by id with their cuts, and the engine's answers.

Why: a day of arrivals repeats the same few thousand leg keys over millions of rows, so each
key is read, classed and cut once, and each distinct (key, features) is put to the engine once,
for the whole run — every later batch that meets them looks them up. The vectorised screener
looks up by gathers and `replace_strict` on Polars Series held here, so a row costs integer
operations and never a Python call; this module holds those Series and keeps them in step with
the Python tables they are built from.
"""

from __future__ import annotations

from collections.abc import Hashable

import polars as pl

from admit.batch.outcomes import CODE_BITS, Cuts, LegKey, Outcome, Span, add_span

NEVER = 2**31 - 1  # pads a key's cuts: no date reaches it
_CODE_ORDER = sorted(CODE_BITS.items(), key=lambda item: item[0].value)
# Room in a feature key (see `Answers.feature_key`): cuts per kind, at most.
MAX_EXPIRY_CUTS, MAX_ISSUE_CUTS, MAX_DAY_CUTS = 62, 14, 30


class Lookup:
    """An integer → integer map that only grows, held as Series for `replace_strict`: new
    entries are appended as a part, so a batch that learns a few keys does not rebuild the
    whole map."""

    def __init__(self) -> None:
        self._keys: list[pl.Series] = []
        self._values: list[pl.Series] = []
        self._pending: list[tuple[int, int]] = []
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, key: int, value: int) -> None:
        self._pending.append((key, value))
        self.size += 1

    def update(self, keys: pl.Series, values: pl.Series) -> None:
        self._keys.append(keys.cast(pl.Int64))
        self._values.append(values.cast(pl.Int64))
        self.size += keys.len()

    def series(self) -> tuple[pl.Series, pl.Series]:
        if self._pending:
            self._keys.append(pl.Series([k for k, _ in self._pending], dtype=pl.Int64))
            self._values.append(pl.Series([v for _, v in self._pending], dtype=pl.Int64))
            self._pending = []
        if len(self._keys) != 1:
            self._keys = [pl.concat(self._keys, rechunk=True)]
            self._values = [pl.concat(self._values, rechunk=True)]
        return self._keys[0], self._values[0]

    def expr(self, column: pl.Expr) -> pl.Expr:
        """The value of each row's key; null for a key not known yet (or a null key)."""
        if not self.size:
            return pl.lit(None, pl.Int64)
        old, new = self.series()
        return column.replace_strict(old, new, default=None, return_dtype=pl.Int64)


class Keys:
    """Leg keys by id (`kid`): a class's example key and cuts, and the cut tables as Series
    indexed by kid for the feature comparisons."""

    def __init__(self) -> None:
        self.raw = Lookup()  # packed raw key (no history) → kid
        self.by_class: dict[Hashable, int] = {}
        self._answer_ids: dict[Hashable, int] = {}
        self.answer_class: list[int] = []  # kid → its answer class
        self.examples: list[LegKey] = []
        self.cuts: list[Cuts] = []
        self.spans: dict[Span, int] = {}
        self._tables: dict[str, pl.Series] | None = None
        self._tables_size = 0

    def __len__(self) -> int:
        return len(self.examples)

    def add(self, canonical: Hashable, key: LegKey, cuts: Cuts, answers: Hashable) -> int:
        """The kid of a key (`canonical`), with its example, cuts and answer class (keys of
        one answer class share the engine's answers)."""
        kid = self.by_class.get(canonical)
        if kid is None:
            if (len(cuts.expiry) > MAX_EXPIRY_CUTS or len(cuts.issue) > MAX_ISSUE_CUTS
                    or len(cuts.days) > MAX_DAY_CUTS):
                raise ValueError(f"too many cuts for one leg key: {cuts}")
            kid = len(self.examples)
            self.by_class[canonical] = kid
            self.examples.append(key)
            self.cuts.append(cuts)
            self.answer_class.append(self._answer_ids.setdefault(answers,
                                                                 len(self._answer_ids)))
            if cuts.span is not None:
                self.spans.setdefault(cuts.span, len(self.spans))
        return kid

    def tables(self) -> dict[str, pl.Series]:
        """`e0…`, `x0…`, `d0…` (cut dates as days since 1970, or day counts, padded with
        NEVER), `span` (the departure span's id, null without one), `answers` (the answer
        class) and `arrive` (arrival + that span), indexed by kid. Kids learnt since the last
        call are appended, not the whole table rebuilt."""
        built = self._tables_size
        if self._tables is not None and built == len(self.cuts):
            return self._tables
        from admit.batch.cells import days

        fresh = self.cuts[built:]
        columns: dict[str, tuple[list[int | None], pl.DataType]] = {}
        for prefix, values in (("e", [[days(d) for d in c.expiry] for c in fresh]),
                               ("x", [[days(d) for d in c.issue] for c in fresh]),
                               ("d", [list(c.days) for c in fresh])):
            for j in range(max(map(len, values), default=0)):
                columns[f"{prefix}{j}"] = ([v[j] if j < len(v) else NEVER for v in values],
                                           pl.Int32())
        columns["span"] = ([None if c.span is None else self.spans[c.span] for c in fresh],
                           pl.Int32())
        columns["answers"] = (list(self.answer_class[built:]), pl.Int64())
        columns["arrive"] = ([None if c.span is None else days(add_span(key.date, c.span))
                              for key, c in zip(self.examples[built:], fresh, strict=True)],
                             pl.Int32())
        tables = dict(self._tables or {})
        for name in tables.keys() - columns.keys():  # a cut column the new kids lack
            columns[name] = ([NEVER] * len(fresh), pl.Int32())
        for name, (column, dtype) in columns.items():
            part = pl.Series(column, dtype=dtype)
            earlier = tables.get(name)
            if earlier is None and built:  # a cut column only the new kids have
                earlier = pl.Series([NEVER] * built, dtype=dtype)
            tables[name] = part if earlier is None else pl.concat([earlier, part], rechunk=True)
        self._tables, self._tables_size = tables, len(self.cuts)
        return tables


class Answers:
    """The engine's answers by id (`oid`), and (answer class, features) → oid. Reasons and code sets
    are interned, so that the output's words are gathers from short Categorical Series."""

    def __init__(self) -> None:
        self.by_features = Lookup()
        self.status: list[int] = []
        self.reason: list[int] = []  # index into `reasons`
        self.codes: list[int] = []  # index into `code_texts`
        self.bits: list[int] = []  # the codes as bits (`CODE_BITS`), to OR over legs
        self.reasons: list[tuple[str | None, str | None]] = []  # (code, rule)
        self.code_texts: list[str] = []
        self._reason_ids: dict[tuple[str | None, str | None], int] = {}
        self._code_ids: dict[int, int] = {}  # code bits → index into `code_texts`
        self._series: tuple[pl.Series, pl.Series, pl.Series, pl.Series] | None = None

    def __len__(self) -> int:
        return len(self.status)

    def add(self, features: int, outcome: Outcome) -> None:
        pair = (outcome.reason, outcome.rule)
        reason = self._reason_ids.get(pair)
        if reason is None:
            reason = self._reason_ids[pair] = len(self.reasons)
            self.reasons.append(pair)
        self.by_features.add(features, len(self.status))
        self.status.append(outcome.status)
        self.reason.append(reason)
        self.codes.append(self.code_id(outcome.codes))
        self.bits.append(outcome.codes)
        self._series = None

    def code_id(self, bits: int) -> int:
        """The id of a set of finding codes (as bits), its text interned on first sight."""
        found = self._code_ids.get(bits)
        if found is None:
            found = self._code_ids[bits] = len(self.code_texts)
            self.code_texts.append(codes_text(bits))
        return found

    def series(self) -> tuple[pl.Series, pl.Series, pl.Series, pl.Series]:
        """Status (Int8), reason id (Int32), code-set id (Int32) and code bits (Int64),
        indexed by oid."""
        if self._series is None:
            self._series = (pl.Series(self.status, dtype=pl.Int8),
                            pl.Series(self.reason, dtype=pl.Int32),
                            pl.Series(self.codes, dtype=pl.Int32),
                            pl.Series(self.bits, dtype=pl.Int64))
        return self._series


def codes_text(bits: int) -> str:
    """A passenger's finding codes, alphabetical, `;`-separated (the reference's spelling)."""
    return ";".join(code.value for code, bit in _CODE_ORDER if bits & bit)
