"""Who may act: users with one role each, identified by API tokens stored only as hashes.

Why: the workflow has three roles (docs/cases.md) — officer (open, record, propose removal),
supervisor (decide deferrals, approve removal, close) and auditor (read everything, change
nothing) — and its API tokens are stored hashed. A token is 32 random bytes, shown once when
the user is added; the store keeps its SHA-256. A slow password hash (scrypt, argon2) defends
guessable secrets; a 256-bit random token cannot be guessed, and a plain digest lets the token
be looked up by an index in one query.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from admit.cases.domain import Role
from admit.errors import InputError

TOKEN_PREFIX = "admit_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role

    @property
    def can_write(self) -> bool:
        return self.role is not Role.AUDITOR


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InputError("name", name, "a user name is 1-100 letters, digits and . _ @ -, "
                         "starting with a letter or digit")
    return name


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InputError("role", text, "one of " + ", ".join(r.value for r in Role)) from None
