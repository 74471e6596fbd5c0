"""Inadmissible-person cases: refusal, removal, deferral, protection.

Why: when a border refuses someone, a case begins that can decide a person's life. This
package follows it from the refusal (with the engine's decision as a snapshot) through removal
to the point of embarkation or another country where the person is admissible (ICAO Annex 9,
Chapter 5), deferral requests, and protection claims that block removal while they are pending
(non-refoulement, 1951 Refugee Convention art. 33) — as an explicit state machine over an
append-only, encrypted event trail chained under a key, in SQLite or PostgreSQL. docs/cases.md
describes it; `CaseService` is what every interface calls.
"""

from admit.cases.auth import User
from admit.cases.domain import Case, Role, State
from admit.cases.errors import (
    CaseError,
    CaseNotFound,
    Forbidden,
    StoreError,
    TransitionRefused,
    Unauthenticated,
    VersionConflict,
)
from admit.cases.service import CaseService

__all__ = [
    "Case",
    "CaseError",
    "CaseNotFound",
    "CaseService",
    "Forbidden",
    "Role",
    "State",
    "StoreError",
    "TransitionRefused",
    "Unauthenticated",
    "User",
    "VersionConflict",
]
