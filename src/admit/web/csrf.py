"""Cross-site request forgery defences of the case pages: a form token and an origin check.

Why both: a signed-in supervisor's browser sends the session cookie with any form posted to
/cases, whoever wrote the form. SameSite=Strict keeps other *sites* out, but a site is only
the registrable domain: a page on another port of the same host, or on a sibling subdomain,
is the same site, so its forms carry the cookie. Two independent checks stop such a post:

- **Origin.** A browser names the page a POST comes from in its Origin header (Referer when it
  sends no Origin). It must be this server's own origin — scheme, host and port — or the post
  is refused. A post that names neither cannot be told from a forged one and is refused too.
- **Form token.** Every state-changing form carries a token that only this server and the
  signed-in browser can compute: the HMAC of a fixed label keyed by the session cookie, which
  is HttpOnly and renewed at each sign-in (a random session id beside the API token), so each
  session has its own token and no other page can read or derive it. Before signing in there
  is no session, so the sign-in page sets a random pre-session value in an HttpOnly cookie and
  its form carries that value's HMAC: a form posted from elsewhere lacks the pair.

Tokens are compared with `hmac.compare_digest` (constant time). The keys are the cookies'
own secrets, so there is no server secret to configure or to share between workers. The
published libraries for ASGI (double-submit cookies signed with one process secret) bind the
token to no session and break across `--workers` without extra configuration.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

FIELD = "csrf_token"
LOGIN_COOKIE = "admit_cases_login"
_SESSION_LABEL = b"admit cases: form token of a signed-in session"
_LOGIN_LABEL = b"admit cases: sign-in form token"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a post was refused, for the 403 page: a code and a message with no personal data."""

    code: str
    message: str


def new_session(api_token: str) -> str:
    """The session cookie's value: a fresh random id, then the API token it signs in with."""
    return f"{secrets.token_urlsafe(32)}.{api_token}"


def api_token(session: str) -> str:
    """The API token inside a session cookie (all of it, for a cookie set before sessions had
    an id: API tokens hold no dot)."""
    return session.rpartition(".")[2]


def session_token(session: str) -> str:
    """The form token of the session whose cookie holds `session`."""
    return _mac(session, _SESSION_LABEL)


def new_login_nonce() -> str:
    return secrets.token_urlsafe(32)


def login_nonce(value: str | None) -> str | None:
    """The pre-session cookie's value if it has the shape this module gives it, else None."""
    return value if value is not None and _NONCE.fullmatch(value) else None


def login_token(nonce: str) -> str:
    """The sign-in form's token for the pre-session cookie holding `nonce`."""
    return _mac(nonce, _LOGIN_LABEL)


def _mac(key: str, label: bytes) -> str:
    return hmac.new(key.encode("utf-8"), label, hashlib.sha256).hexdigest()


def token_matches(expected: str, sent: str | None) -> bool:
    """Whether the form sent the expected token; constant time, so timing tells nothing."""
    return sent is not None and hmac.compare_digest(expected.encode("utf-8"),
                                                    sent.encode("utf-8", "replace"))


def bad_token(sent: str | None, *, login: bool = False) -> Refusal:
    state = "is missing" if not sent else "does not match this browser's session"
    if login:
        return Refusal("CSRF_TOKEN", f"the sign-in form's {FIELD} {state}: a sign-in is "
                       "taken only from this site's sign-in page. Open /cases/login and "
                       "sign in again (cookies must be allowed).")
    return Refusal("CSRF_TOKEN", f"the form's {FIELD} {state}: a change is taken only from a "
                   "form this site gave the signed-in browser. Nothing was changed; open the "
                   "page again and send the form from there.")


def foreign_origin(request: Request) -> Refusal | None:
    """None when the POST comes from this server's own origin, else why it is refused.

    The origin stated is the Origin header's, else the Referer's scheme, host and port
    (never its path or query, which may hold anything)."""
    own = (request.url.scheme, request.url.hostname or "", _port(request.url.scheme,
                                                                request.url.port))
    stated = request.headers.get("origin")
    header = "Origin"
    if stated is None:
        stated = request.headers.get("referer")
        header = "Referer"
    if stated is None:
        return Refusal("CROSS_ORIGIN", "the request names neither an Origin nor a Referer, "
                       "so it cannot be told from a form on another site. Nothing was "
                       "changed; send the form from this site's page in a browser.")
    sent = _origin(stated)
    if sent == own:
        return None
    shown = _show(sent) if sent is not None else "an unreadable origin"
    return Refusal("CROSS_ORIGIN", f"{header}: the form was sent from {shown}, not from this "
                   f"site ({_show(own)}). Nothing was changed; forms are taken only from this "
                   "site's own pages.")


def _origin(text: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), _port(scheme, port)


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else _DEFAULT_PORTS.get(scheme, 0)


def _show(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    text = f"{scheme}://{host}" + ("" if _DEFAULT_PORTS.get(scheme) == port else f":{port}")
    return text[:200]
