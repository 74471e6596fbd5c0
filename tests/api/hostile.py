"""Hypothesis strategies for what an attacker sends, shared by the API and case API fuzzers.

Why written by hand: schemathesis builds requests from the schema and writes bodies with
Python's json, so it never sends what breaks a service written in Python: NaN and Infinity,
numbers beyond a double (1e400), integers longer than Python reads, lone surrogates (`\\ud800`),
nesting deeper than a recursive reader follows, header bytes no client library would send.
`hostile_bodies` plants such values anywhere in a valid document, as keys too, and writes the
JSON text itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import strategies as st


@dataclass(frozen=True)
class Raw:
    """A JSON token written as it is (NaN, 1e400, 5000 digits, 3000 brackets)."""

    text: str
    unwritable: bool  # the service must refuse it as a 422, wherever it is


def to_json(node: Any) -> str:
    if isinstance(node, Raw):
        return node.text
    if isinstance(node, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_json(v)}" for k, v in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(to_json(v) for v in node) + "]"
    return json.dumps(node)  # ensure_ascii: a lone surrogate is written as its \\u escape


def unwritable(node: Any) -> bool:
    """Whether the document holds what no JSON answer can carry."""
    if isinstance(node, Raw):
        return node.unwritable
    if isinstance(node, str):
        return _lone_surrogate(node)
    if isinstance(node, dict):
        return any(_lone_surrogate(k) or unwritable(v) for k, v in node.items())
    if isinstance(node, list):
        return any(unwritable(v) for v in node)
    return False


def _lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
surrogate_text = st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), surrogates,
                           st.text(max_size=4))
odd_text = st.one_of(
    surrogate_text,
    st.text(st.characters(max_codepoint=0x1F), max_size=8),  # control characters
    st.text(st.characters(categories=["Cf", "Zl", "Zp", "Mn"]), max_size=8),  # invisible
    st.integers(5_000, 60_000).map(lambda n: "x" * n),
)
raw_numbers = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E309",
                     "123456789e999", "-0.0e99999"]).map(lambda t: Raw(t, t != "-0.0e99999")),
    st.integers(4301, 6000).map(lambda n: Raw("9" * n, True)),  # more than Python reads
    st.integers(20, 4300).map(lambda n: Raw("9" * n, False)),  # read, but huge
    st.sampled_from(["1e-400", "-0", "0.0", "1.5", "-1"]).map(lambda t: Raw(t, False)),
)
deep = st.one_of(
    st.integers(33, 3000).map(lambda n: Raw("[" * n + "]" * n, True)),
    st.integers(33, 3000).map(lambda n: Raw('{"a": ' * n + "1" + "}" * n, True)),
    st.integers(1, 32).map(lambda n: Raw("[" * n + "]" * n, False)),
)
hostile_values = st.one_of(
    raw_numbers, deep, odd_text,
    st.integers(-(10**300), 10**300), st.floats(allow_nan=False, allow_infinity=False),
    st.none(), st.booleans(), st.just(""), st.just([]), st.just({}),
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _replace(node: Any, path: Sequence[Any], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: _replace(v, rest, value) if k == head else v for k, v in node.items()}
    return [_replace(v, rest, value) if i == head else v for i, v in enumerate(node)]


def _add_key(node: Any, path: Sequence[Any], key: str, value: Any) -> Any:
    if not path:
        return {**node, key: value} if isinstance(node, dict) else node
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: _add_key(v, rest, key, value) if k == head else v for k, v in node.items()}
    return [_add_key(v, rest, key, value) if i == head else v for i, v in enumerate(node)]


@st.composite
def hostile_bodies(draw: st.DrawFn, base: Any) -> Any:
    """`base` with one to three of its values (or the whole) replaced by hostile ones, and
    perhaps a hostile key added."""
    document = base
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        if draw(st.integers(0, 4)) == 0:
            key = draw(st.one_of(surrogate_text, st.text(max_size=3)))
            document = _add_key(document, path, key, draw(hostile_values))
        else:
            document = _replace(document, path, draw(hostile_values))
    return document


# Header values as bytes a client could put on the wire: anything but CR, LF and NUL.
header_bytes = st.one_of(
    st.binary(max_size=64).map(lambda b: b.translate(None, b"\r\n\x00")),
    st.sampled_from([b'"\xb2"', b"\xef\xbc\x91", b'"' + b"9" * 5000 + b'"', b"*", b"W/",
                     b"\xff" * 3000, b"Bearer \xd9\xa1", b"application/json; charset=utf-16"]),
)
header_names = st.sampled_from([b"if-match", b"authorization", b"content-type", b"accept",
                                b"cookie", b"accept-language", b"x-forwarded-for", b"range",
                                b"if-none-match", b"content-encoding", b"origin", b"referer"])
odd_headers = st.lists(st.tuples(header_names, header_bytes), max_size=4)


def send_raw(app: Any, method: str, url: str, headers: list[tuple[bytes, bytes]],
             body: bytes = b"") -> httpx.Response:
    """One request through httpx's ASGI transport, which passes header bytes unchanged
    (Starlette's test client re-encodes them as UTF-8, as no server would)."""
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.request(method, url, headers=headers, content=body)

    return asyncio.run(send())


def assert_answered(response: httpx.Response, allowed: frozenset[int]) -> None:
    """No 5xx, a documented status, and a JSON body whose problems name field and value."""
    assert response.status_code in allowed, (response.status_code, response.text[:500])
    body = response.json()
    if response.status_code == 422 and isinstance(body.get("detail"), list):
        for problem in body["detail"]:
            assert {"field", "value", "message"} <= set(problem), problem
