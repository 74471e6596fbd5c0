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

from collections.abc import Hashable, Mapping
from datetime import date

from admit.batch.outcomes import LegKey
from admit.engine.documents import BUILT_IN, own_issuer
from admit.model import CONVENTION_CLASS, Document, DocumentType
from admit.rules.spec import DocumentRule, Rule
from admit.rules.tables import DEFAULT, Agreement, Rules

NATIONAL = ("national",)
_Entries = Mapping[str, tuple[tuple[date, date, Rule], ...]]


def _in_force(table: _Entries | None, code: str, on: date) -> tuple[Rule, ...]:
    if table is None:
        return ()
    return tuple(rule for start, end, rule in table.get(code, ()) if start <= on <= end)


class _Holder:
    """What the rules of one destination say to one code on one day."""

    __slots__ = ("_documents", "agreements", "rules", "signature", "tokens")

    def __init__(self, own: tuple[tuple[Rule, ...], ...], shared: tuple[Rule, ...],
                 agreements: tuple[Agreement, ...], binding: tuple[bool, ...]) -> None:
        self.signature = (tuple(tuple(map(id, rules)) for rules in own), binding)
        # The rules and agreements that can be read for this code: its own and the defaults.
        self.rules = tuple(rule for rules in own for rule in rules) + shared
        self.agreements = tuple(a for a, binds in zip(agreements, binding, strict=True) if binds)
        tokens: set[str] = set()
        for rule in self.rules:
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
                found = (kind in BUILT_IN,
                         tuple(rule.documents is None or kind in rule.documents
                               for rule in self.rules),
                         tuple(kind in rule.accept for rule in self.rules
                               if isinstance(rule, DocumentRule)),
                         tuple(kind in agreement.spec.documents
                               for agreement in self.agreements))
            self._documents[kind] = found
        return found


class Holders:
    """Holder classes of one rule set, cached by destination, day, codes and type."""

    def __init__(self, rules: Rules, on: date | None = None) -> None:
        self.rules = rules
        self.on = on
        self._agreements = (*rules.expired_documents, *rules.internal_documents)
        self._holders: dict[tuple[str, date, str], _Holder] = {}
        self._shared: dict[tuple[str, date], tuple[Rule, ...]] = {}
        self._names: dict[tuple[tuple[str, ...], str, date], tuple[bool, ...]] = {}
        self._own: dict[tuple[str, str], bool] = {}
        self._classes: dict[tuple[str, date, str, DocumentType, str], Hashable] = {}

    def of(self, key: LegKey) -> Hashable:
        """The class of the key's holder and document: equal classes, equal answers (all
        else in the key equal)."""
        found = self._classes.get((key.to, key.date, key.nationality, key.document_type,
                                   key.issuer))
        if found is None:
            found = self._class(key)
            self._classes[(key.to, key.date, key.nationality, key.document_type,
                           key.issuer)] = found
        return found

    def _class(self, key: LegKey) -> Hashable:
        if key.national:
            return NATIONAL
        day = self.on if self.on is not None else key.date
        proves = key.proves
        holder = self._holder(key.to, day, proves)
        own = self._own.get((proves, key.issuer))
        if own is None:
            own = own_issuer(Document(type=key.document_type, issuer=key.issuer,
                                      nationality=proves))
            self._own[(proves, key.issuer)] = own
        names = self._names.get((holder.tokens, key.issuer, day))
        if names is None:
            names = tuple(self.rules.names(token, key.issuer, day) for token in holder.tokens)
            self._names[(holder.tokens, key.issuer, day)] = names
        return (holder.signature, holder.document_class(key.document_type), own, names)

    def _holder(self, to: str, day: date, code: str) -> _Holder:
        found = self._holders.get((to, day, code))
        if found is None:
            destination = self.rules.destinations.get(to)
            own: tuple[tuple[Rule, ...], ...] = ()
            shared = self._shared.get((to, day))
            if destination is not None:
                sections: tuple[_Entries | None, ...] = (
                    destination.documents, destination.validity, destination.entry,
                    destination.transit)
                own = tuple(_in_force(table, code, day) for table in sections)
                if shared is None:
                    shared = tuple(rule for table in sections
                                   for rule in _in_force(table, DEFAULT, day))
            shared = shared or ()
            self._shared[(to, day)] = shared
            binding = tuple(a.binds(code, to, day) for a in self._agreements)
            found = _Holder(own, shared, self._agreements, binding)
            self._holders[(to, day, code)] = found
        return found
