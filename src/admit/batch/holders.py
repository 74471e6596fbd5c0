"""Holder classes: the nationalities, issuers and document types a destination's rules cannot
tell apart.

Why: a day of arrivals meets each destination with dozens of nationalities, and most of them
fall under the same few rules (the visa-free list, the default). Asking the engine once per
nationality would repeat the same answer dozens of times, and engine calls are the one cost per
key that Python pays. So keys are merged by holder class before the engine is asked.

What makes two holders the same, for a leg of a manifest row (one document, no
authorizations, no stays but the trip's own): the engine reads the holder's codes and document
type only

- in its first step, whether the destination is among the traveller's nationalities (right of
  return: then nothing else is read, so every such holder is one class);
- through `pick` in the documents, validity, entry and transit tables for the code the document
  proves: `pick` takes the first entry in force on the day whose document types and purposes
  fit, so two holders whose in-force entries are the same rules in the same order, and whose
  document types every one of those rules (and the defaults) treats alike, get the same rule
  for every purpose;
- in a documents rule's accepted types, and the built-in acceptance of the passport types;
- through the expired-document and internal-document agreements that bind the code and the
  destination on the day (`Agreement.binds`), and the document types they cover;
- through `own_issuer` (the issuer is the holder's own state) and `Rules.names` of the issuer
  against the issuer tokens of the documents rules in force for the holder and of the binding
  agreements;
- and in the words of messages, which screening does not report.

Exemptions are left out: they are lifted by an authorization the traveller holds, and a
manifest row holds none. A class is the tuple of those values; `tests/unit/test_batch_holders.py`
checks on both data sets that keys of one class get the same answer from the engine, and the
property tests compare every screened row with `engine.check`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Mapping
from datetime import date, timedelta

from admit.batch.outcomes import LegKey
from admit.engine.documents import BUILT_IN, own_issuer
from admit.model import CONVENTION_CLASS, Document, DocumentType
from admit.rules.spec import DocumentRule, Rule
from admit.rules.tables import DEFAULT, Agreement, Rules

NATIONAL = ("national",)
_Entries = Mapping[str, tuple[tuple[date, date, Rule], ...]]


def _in_force(table: _Entries | None, code: str, on: date) -> tuple[Rule, ...]:
    entries = table.get(code) if table is not None else None
    if not entries:
        return ()
    return tuple(rule for start, end, rule in entries if start <= on <= end)


class _Holder:
    """What the rules of one destination say to one code on one day."""

    __slots__ = ("_documents", "agreements", "tables", "tokens")

    def __init__(self, own: tuple[tuple[Rule, ...], ...], shared: tuple[tuple[Rule, ...], ...],
                 agreements: tuple[Agreement, ...], binding: tuple[bool, ...]) -> None:
        # Per section, the rules `pick` can read for this code, in its order: the code's own
        # entries in force, then the defaults.
        self.tables = tuple(mine + default for mine, default in zip(own, shared, strict=True))
        self.agreements = tuple(a for a, binds in zip(agreements, binding, strict=True) if binds)
        tokens: set[str] = set()
        for rule in (self.tables[0] if self.tables else ()):
            if isinstance(rule, DocumentRule):
                tokens.update(rule.issuers or ())
        for agreement in self.agreements:
            if agreement.spec.kind == "expired_documents":
                tokens.update(agreement.spec.issuers or ())
        self.tokens = tuple(sorted(tokens))
        self._documents: dict[DocumentType, Hashable] = {}

    def document_class(self, kind: DocumentType) -> Hashable:
        """How the rules read this document type: equal classes, equal readings."""
        found = self._documents.get(kind)
        if found is None:
            if kind in CONVENTION_CLASS:
                found = kind  # it changes the code the document proves
            else:
                readings: list[Hashable] = []
                for section, rules in enumerate(self.tables):
                    fits: list[bool] = []
                    for rule in rules:
                        fit = rule.documents is None or kind in rule.documents
                        fits.append(fit)
                        if fit and rule.purposes is None:
                            break  # `pick` stops here for every purpose: nothing after counts
                    else:
                        if section == 0:  # no documents rule always fits: the built-in may
                            fits.append(kind in BUILT_IN)
                    accepted = tuple(kind in rule.accept for rule in rules[:len(fits)]
                                     if isinstance(rule, DocumentRule))
                    readings.append((tuple(fits), accepted))
                readings.append(tuple(kind in agreement.spec.documents
                                      for agreement in self.agreements))
                found = tuple(readings)
            self._documents[kind] = found
        return found


class Epochs:
    """The rule set's epochs: the spans of days over which nothing the engine can read about
    a holder changes. Every entry of every table is in force on whole spans of days, and so
    is every agreement, party and group membership; between two consecutive starts or ends
    of any of them, `pick`, `Agreement.binds` and `Rules.names` answer alike on every day. So
    a class computed on an epoch's first day holds for all its days, and keys of one class on
    different days of an epoch get the same answers for the same features (their cuts are
    the same kinds, at other dates)."""

    def __init__(self, rules: Rules) -> None:
        edges: set[date] = set()

        def span(start: date, end: date) -> None:
            edges.add(start)
            if end < date.max:
                edges.add(end + timedelta(days=1))

        for destination in rules.destinations.values():
            for table in (destination.documents or {}, destination.validity, destination.entry,
                          destination.exemptions, destination.transit):
                for entries in table.values():
                    for start, end, _ in entries:
                        span(start, end)
            for spans in destination.common_area.values():
                for start, end in spans:
                    span(start, end)
        for agreement in rules.agreements:
            span(agreement.spec.start, agreement.spec.end)
            for spans in agreement.parties.values():
                for start, end in spans:
                    span(start, end)
        for members in rules.group_members.values():
            for spans in members.values():
                for start, end in spans:
                    span(start, end)
        self.edges = sorted(edges)
        self._starts: dict[date, date] = {}

    def start(self, day: date) -> date:
        """The first day of `day`'s epoch (date.min for days before every edge)."""
        found = self._starts.get(day)
        if found is None:
            index = bisect_right(self.edges, day)
            found = self._starts[day] = self.edges[index - 1] if index else date.min
        return found


class Holders:
    """Holder classes of one rule set, in parts that the vectorised screener combines: the
    holder (`holder`: the rules in force for a code), the reading of a document type under
    those rules (`document`), the issuer's standing (`own`, `names`). Each part is computed
    once per distinct input and given a small integer id."""

    def __init__(self, rules: Rules, on: date | None = None) -> None:
        self.rules = rules
        self.on = on
        self.epochs = Epochs(rules)
        self._agreements = (*rules.expired_documents, *rules.internal_documents)
        self.holders: list[_Holder] = []
        self._by_code: dict[tuple[str, date, str], int] = {}
        self._by_signature: dict[Hashable, int] = {}
        self._destinations: dict[tuple[str, date], tuple[
            tuple[_Entries | None, ...], tuple[tuple[Rule, ...], ...], tuple[bool, ...]]] = {}
        self._ids: dict[Hashable, int] = {}  # interned document readings and issuer names
        self._tokens: dict[tuple[str, ...], int] = {}
        self._token_lists: list[tuple[str, ...]] = []
        self._names: dict[tuple[int, str, date], int] = {}
        self._own: dict[tuple[str, str], bool] = {}
        self._documents: dict[tuple[int, DocumentType], int] = {}

    def day(self, arrival: date) -> date:
        """The first day of the rule epoch whose rules apply to a leg arriving on `arrival`
        (`on` when the caller fixed it): every part of a class is computed on that day."""
        return self.epochs.start(self.on if self.on is not None else arrival)

    def of(self, key: LegKey) -> Hashable:
        """The class of the key's holder and document: equal classes, equal answers (all
        else in the key equal)."""
        if key.national:
            return NATIONAL
        day = self.day(key.date)
        proves = key.proves
        holder = self.holder(key.to, day, proves)
        return (holder, self.document(holder, key.document_type), self.own(proves, key.issuer),
                self.names(self.tokens(holder), key.issuer, day))

    def holder(self, to: str, day: date, code: str) -> int:
        """The id of the rules in force for `code` in `to` on `day` (codes the rules treat
        alike share it)."""
        found = self._by_code.get((to, day, code))
        if found is None:
            sections, shared, parties = self._destination(to, day)
            own = tuple(_in_force(table, code, day) for table in sections)
            # An agreement binds only where the destination is a party in force on the day.
            binding = tuple(party and a.binds(code, to, day)
                            for a, party in zip(self._agreements, parties, strict=True)
                            ) if any(parties) else parties
            signature = (to, day, tuple(tuple(map(id, rules)) for rules in own), binding)
            found = self._by_signature.get(signature)
            if found is None:
                found = self._by_signature[signature] = len(self.holders)
                self.holders.append(_Holder(own, shared, self._agreements, binding))
            self._by_code[(to, day, code)] = found
        return found

    def _destination(self, to: str, day: date) -> tuple[
            tuple[_Entries | None, ...], tuple[tuple[Rule, ...], ...], tuple[bool, ...]]:
        """The destination's tables, its default rules in force, and the agreements that
        bind it on the day (cached)."""
        found = self._destinations.get((to, day))
        if found is None:
            destination = self.rules.destinations.get(to)
            # Without a rule file every section is empty (and the built-in acceptance rules).
            sections: tuple[_Entries | None, ...] = (None, None, None, None)
            if destination is not None:
                sections = (destination.documents, destination.validity, destination.entry,
                            destination.transit)
            shared = tuple(_in_force(table, DEFAULT, day) for table in sections)
            parties = tuple(a.binds(to, to, day) for a in self._agreements)
            found = self._destinations[(to, day)] = (sections, shared, parties)
        return found

    def document(self, holder: int, kind: DocumentType) -> int:
        """The id of how the holder's rules read a document type."""
        found = self._documents.get((holder, kind))
        if found is None:
            found = self._intern(self.holders[holder].document_class(kind))
            self._documents[(holder, kind)] = found
        return found

    def tokens(self, holder: int) -> int:
        """The id of the issuer tokens the holder's rules and agreements name."""
        tokens = self.holders[holder].tokens
        found = self._tokens.get(tokens)
        if found is None:
            found = self._tokens[tokens] = len(self._token_lists)
            self._token_lists.append(tokens)
        return found

    def names(self, tokens: int, issuer: str, day: date) -> int:
        """The id of which of those tokens (by id) name the issuer on the day."""
        found = self._names.get((tokens, issuer, day))
        if found is None:
            found = self._intern(tuple(self.rules.names(token, issuer, day)
                                       for token in self._token_lists[tokens]))
            self._names[(tokens, issuer, day)] = found
        return found

    def own(self, proves: str, issuer: str) -> bool:
        """Whether the document is issued by the holder's own state (the engine's test)."""
        found = self._own.get((proves, issuer))
        if found is None:
            # `own_issuer` reads the document's codes only, not its type.
            found = own_issuer(Document(type=DocumentType.PASSPORT, issuer=issuer,
                                        nationality=proves))
            self._own[(proves, issuer)] = found
        return found

    def _intern(self, value: Hashable) -> int:
        return self._ids.setdefault(value, len(self._ids))
