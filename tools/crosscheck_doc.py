"""Write docs/data-crosscheck.md: where admit's answers differ from a published visa matrix.

Why: the passport-index matrix is a lead for finding what admit's rule data may be missing or
may have wrong (never a source, see the page). This page lists every disagreement on the
matrix's own date with the explanations maintainers recorded in
docs/data-crosscheck-notes.yaml, so the unexplained count is the work left. It is generated
(the computation is admit.rules.compare, `admit rules compare`'s), never edited by hand, and
tests/unit/test_rules_compare.py fails when it no longer matches the data, the matrix or the
explanations (it skips where the shared matrix is absent).

The matrix is not part of the repository: it is read from the shared reference folder beside
it, `../shared/reference/passport-index/`.

Run: `make crosscheck-doc` (or `python tools/crosscheck_doc.py [OUTPUT]`).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from admit.rules import load_rules
from admit.rules.compare import compare, parse_matrix
from admit.rules.compare_markdown import render
from admit.rules.compare_notes import read_explanations

REPO = Path(__file__).resolve().parents[1]
MATRIX_DIR = Path("..") / "shared" / "reference" / "passport-index"
MATRIX = REPO / MATRIX_DIR / "passport-index-tidy-iso3.csv"
NOTES = REPO / "docs" / "data-crosscheck-notes.yaml"
OUTPUT = REPO / "docs" / "data-crosscheck.md"
ON = date(2026, 2, 17)  # the matrix's own date: its answers are compared with that day's rules
_LABEL = ("the passport-index \"tidy\" matrix updated 2026-02-17 (imorte/passport-index-data, "
          f"commit 9c59780), `{(MATRIX_DIR / MATRIX.name).as_posix()}` beside the repository")


class MatrixMissing(Exception):
    """The shared reference folder is not beside this repository."""


def document(matrix: Path = MATRIX) -> str:
    """The page for the shipped data set; raises MatrixMissing without the matrix."""
    if not matrix.is_file():
        raise MatrixMissing(
            f"the visa matrix is not at {matrix} ({(MATRIX_DIR / matrix.name).as_posix()} "
            "relative to the repository): put the shared reference folder beside the "
            "repository, as ../shared/reference/passport-index/")
    rules = load_rules()
    notes = read_explanations(NOTES.read_text(encoding="utf-8"),
                              str(NOTES.relative_to(REPO)), rules.extra_codes)
    cells = parse_matrix(matrix.read_text(encoding="utf-8"), rules.extra_codes)
    return render(compare(rules, cells, ON, explanations=notes), _LABEL)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    try:
        text = document()
    except MatrixMissing as exc:
        sys.exit(f"crosscheck_doc: {exc}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
