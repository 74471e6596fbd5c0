"""Step 1, national: a citizen of the destination is always admissible (right of return).

Why first: nothing else matters for a national: the document only proves nationality, so an
expired own passport still admits (docs/design.md, The engine).
"""

from __future__ import annotations

from admit.engine.context import Attempt, LegContext, label
from admit.model import Code, Status


def check(ctx: LegContext) -> Attempt | None:
    """An attempt with the NATIONAL finding if the traveller is a citizen, else None."""
    code = ctx.code
    if code not in ctx.traveller.nationalities:
        return None
    own = next((d for d in ctx.traveller.documents if d.nationality == code), None)
    attempt = Attempt(own)
    if own is None:
        proof = "; bring proof of nationality"
    elif own.expires is not None and own.expires < ctx.leg.date:
        proof = (f": the {label(own)} proves nationality even though it expired on "
                 f"{own.expires.isoformat()}")
    else:
        proof = f": the {label(own)} proves nationality"
    attempt.add(Code.NATIONAL, Status.ADMISSIBLE,
                f"{code} admits its own citizens (right of return){proof}.")
    return attempt
