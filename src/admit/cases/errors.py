"""The errors of the case workflow, each with a stable code the interfaces map to a status.

Why: the API, the CLI and the web pages must answer a refused action the same way — 401 with
no token, 403 for the wrong role, 404 for an unknown case, 409 when someone else changed the
case first, 422 when the state machine or a guard refuses. One typed error per meaning lets
each interface translate in one place. Messages never carry personal data (names, document
numbers, MRZ): only codes, numbers, states and countries.
"""

from __future__ import annotations

from admit.errors import AdmitError


class CaseError(AdmitError):
    """Base of the case errors: `code` is stable (scripts test it), `message` is for people."""

    code = "CASE_ERROR"
    status = 400

    def __init__(self, message: str, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(f"{self.code}: {message}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class Unauthenticated(CaseError):
    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(CaseError):
    code = "FORBIDDEN"
    status = 403


class CaseNotFound(CaseError):
    code = "CASE_NOT_FOUND"
    status = 404


class VersionConflict(CaseError):
    """Someone changed the case since the caller read it: re-read and retry."""

    code = "VERSION_CONFLICT"
    status = 409


class VersionRequired(CaseError):
    """A change sent without the version it was made on (HTTP: no If-Match)."""

    code = "VERSION_REQUIRED"
    status = 428


class TransitionRefused(CaseError):
    """The state machine or one of its guards refuses the action (INVALID_TRANSITION,
    NON_REFOULEMENT_HOLD, DEFERRAL_IN_EFFECT, …)."""

    code = "INVALID_TRANSITION"
    status = 422


class StoreError(CaseError):
    """The case store cannot be used as configured (bad database URL, unsafe key file)."""

    code = "STORE_ERROR"
    status = 500
