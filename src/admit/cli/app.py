"""The shared Typer application and the helpers every sub-command uses to fail cleanly.

Why the consoles print text as typed: what the CLI shows carries user input (codes, names,
paths) and rule-file text (`file.yaml:100: …`), and Rich would otherwise read `[bold]` as a
style, `[/]` as a markup error and `:100:` as an emoji. Emoji codes are off for every print;
markup stays on for the CLI's own styles, so every user or file string printed with markup is
passed through `rich.markup.escape` (or printed as a `Text`), and `fail` prints its message as
a `Text`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from admit.daterange import check_day
from admit.errors import InputError, RuleDataError

app = typer.Typer(
    name="admit",
    help="May this person, with these documents, board this trip and enter these countries?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

stdout = Console(emoji=False)
stderr = Console(stderr=True, emoji=False)

# No contract nests deeper than a handful of levels; a deeper document is refused before any
# code walks it, so nothing downstream can run out of stack on it.
MAX_JSON_DEPTH = 64


def fail(message: str) -> NoReturn:
    """Exit 2 with one line that says what was wrong: the CLI's contract for bad input.

    `message` is plain text, printed as it is (never as markup), on one line however wide."""
    _error(message)
    raise typer.Exit(code=2)


def broken_rules(exc: RuleDataError) -> NoReturn:
    """Exit 1 naming the broken rule file and line: not the user's input, so no answer."""
    _error(f"rule data: {exc}")
    raise typer.Exit(code=1)


def _error(message: str) -> None:
    stderr.print(Text.assemble(("error:", "bold red"), " ", printable(message)),
                 highlight=False, soft_wrap=True)


def printable(text: str) -> str:
    """`text` with every character a terminal would act on or not show (a newline, an escape,
    a zero-width space) written as its Python escape, so that an error stays on one line and
    shows what was typed (a path with a newline in it, say) without the terminal obeying it."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode()
                   for char in text)


def read_text(path: str) -> str:
    """Read a file argument, `-` meaning standard input; a missing file is an input error."""
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        fail(f"cannot read {path!r}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{'standard input' if path == '-' else repr(path)} is not UTF-8 text")


def read_json(source: str, label: str | None = None) -> Any:
    """The JSON document of a file argument (`-` for stdin), or exit 2 naming `label` (the
    source itself by default) and what is wrong with it."""
    name = source if label is None else label
    text = read_text(source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{name}: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except RecursionError:
        fail(f"{name}: not JSON that can be read: nested more than {MAX_JSON_DEPTH} levels deep")
    except ValueError:  # Python refuses to read integers longer than this many digits
        fail(f"{name}: not JSON that can be read: a number has more than "
             f"{sys.get_int_max_str_digits()} digits")
    if _deeper_than(document, MAX_JSON_DEPTH):
        fail(f"{name}: not JSON that can be read: nested more than {MAX_JSON_DEPTH} levels deep")
    return document


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        children = (value.values() if isinstance(value, dict) else value
                    if isinstance(value, list) else None)
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def parse_day(option: str, value: str) -> date:
    """A date option (YYYY-MM-DD) within admit's calendar (admit.daterange), or exit 2."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: not a date (got {value!r})")
    try:
        return check_day(option, day)
    except InputError as exc:
        fail(f"{option}: {exc.reason} (got {value!r})")


@contextmanager
def reading_path(option: str, value: str | None) -> Iterator[None]:
    """Run the block that reads the path `value`; an OSError it raises (a name too long, no
    permission, a file where a directory belongs) is bad input naming `option`: exit 2."""
    try:
        yield
    except OSError as exc:
        fail(f"{option}: cannot read {value!r}: {exc.strerror or exc}")
