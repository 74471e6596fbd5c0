"""Splitting the MRZ name field into primary and secondary identifiers (Doc 9303-3 s.4.6).

Why apart: the name is the one field no check digit protects, and real documents bend the rule
(Indian passports with an empty primary identifier, single-name holders, truncated names). The
split is deterministic; each oddity is a warning, never an error, so a reader can show it.
"""

from __future__ import annotations

from admit.mrz.issues import Issue

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")


def split(raw: str, line: int, column: int, warnings: list[Issue]) -> tuple[str, str]:
    """(surname, given names) from a whole name field; appends warnings for oddities.

    `line` and `column` are the 1-based position of the field's first character.
    """
    text = raw.rstrip("<")
    if not text:
        warnings.append(Issue("name.empty", line, column, "The name field is empty."))
        return "", ""
    if text[0] == "<":
        warnings.append(Issue("name.empty_primary_identifier", line, column,
                              "The name field starts with a filler: no primary identifier."))
    cut = text.find("<<")
    if cut < 0:
        warnings.append(Issue("name.single_identifier", line, column,
                              "The name has a single identifier (no '<<' separator)."))
        surname, given = text.replace("<", " ").strip(), ""
    else:
        surname = text[:cut].replace("<", " ").strip()
        rest = text[cut + 2:]
        if "<<" in rest:
            warnings.append(Issue("name.extra_separator", line, column + cut + 2 + rest.find("<<"),
                                  "A second '<<' separator appears in the secondary identifier."))
        given = rest.replace("<", " ").strip()
    if raw[-1] != "<":
        warnings.append(Issue("name.possibly_truncated", line, column + len(raw) - 1,
                              "The name fills its whole field and may have been truncated."))
    if not _LETTERS.issuperset(text):
        first = next(i for i, c in enumerate(text) if c not in _LETTERS)
        warnings.append(Issue("name.contains_digits", line, column + first,
                              "The name contains characters other than letters and fillers."))
    return surname, given


def part(raw: str) -> str:
    """A single name part (national formats that keep surname and given names apart)."""
    return raw.rstrip("<").replace("<", " ").strip()
