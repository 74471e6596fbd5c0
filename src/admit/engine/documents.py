"""Step 2, document choice: is this travel document accepted from this holder?

Why a step of its own: what a destination accepts differs by holder (national ID cards inside
the EU/EEA, Russian internal passports in the states that take them, refugee and stateless
travel documents per the destination's rule). One rule governs, by the precedence of
docs/rules.md, so a rule naming a nationality lists every type it accepts from them. With no
documents rule for the holder, the built-in default applies: the three passport types, issued
by the holder's own state, are accepted; any other document is `unknown`, never refused on the
strength of missing data. Agreements on internal documents add to what the rule accepts.
"""

from __future__ import annotations

from admit import codes
from admit.engine.context import Attempt, LegContext, a, label, who
from admit.model import Code, Document, DocumentType, Status
from admit.rules.tables import pick

BUILT_IN = frozenset({DocumentType.PASSPORT, DocumentType.DIPLOMATIC_PASSPORT,
                      DocumentType.SERVICE_PASSPORT})


def own_issuer(document: Document) -> bool:
    """Issued by the holder's own state: the British nationality classes (GBD, GBN, …) hold
    passports issued by GBR; a convention travel document is issued by a host state."""
    nationality, issuer = document.nationality, document.issuer
    if issuer == nationality or nationality in codes.STATELESS_OR_REFUGEE:
        return True
    return nationality.startswith("GB") and issuer == "GBR"


def check(ctx: LegContext, document: Document, attempt: Attempt) -> bool:
    """Whether to go on checking this document. A document the governing rule does not accept
    gets DOCUMENT_NOT_ACCEPTED (False); one no rule speaks for gets NO_RULE (True: the other
    steps still say what they can)."""
    rules = ctx.rules
    destination = ctx.destination
    on = ctx.on
    rule = (pick(destination.documents, document.nationality, on, document.type,
                 ctx.leg.purpose)
            if destination is not None and destination.documents is not None else None)
    if rule is not None:
        if document.type in rule.accept and (
                own_issuer(document) if rule.issuers is None
                else any(rules.names(t, document.issuer, on) for t in rule.issuers)):
            return True
    elif document.type in BUILT_IN and own_issuer(document):
        return True
    for agreement in rules.internal_documents:
        if (document.type in agreement.spec.documents and own_issuer(document)
                and agreement.binds(document.nationality, ctx.code, on)):
            return True
    what = f"{a(label(document))} issued by {document.issuer} from {who(document.nationality)}"
    if rule is None:
        # No rule speaks for this holder: only passports of their own state are known to be
        # accepted everywhere; for anything else the data cannot say, so do not refuse.
        attempt.add(Code.NO_RULE, Status.UNKNOWN,
                    f"No documents rule says whether {ctx.code} accepts {what}; only passports "
                    "issued by the holder's own state are accepted without one.")
        return True
    attempt.add(Code.DOCUMENT_NOT_ACCEPTED, Status.INADMISSIBLE,
                f"{ctx.code} does not accept {what}.", rule)
    return False
