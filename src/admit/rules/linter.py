"""`admit rules lint`: every problem in a data set, each with file:line and what was expected.

Why: whoever edits a rule file needs every mistake at once, not one per run. The linter runs
the very validation loading runs (`read_data_set`: layout, YAML, fields, codes, groups,
references, dates, overlaps) and reports all it finds, where loading stops at the first; so a
data set lint passes loads, and one it rejects never does. The JSON Schema (schema.json) stays
the editors' description of the format; tests keep it in agreement with this validation.
"""

from __future__ import annotations

from pathlib import Path

from admit.rules.fields import Problem
from admit.rules.loading import default_data_dir, read_data_set


def lint(path: str | Path | None = None) -> list[Problem]:
    """Problems in the data set at `path` (a data directory, or one file in it: then only that
    file's problems), sorted by file and line. Raises RuleDataError if there is no data set."""
    target = Path(path).resolve() if path is not None else default_data_dir().resolve()
    root, only = target, None
    if target.is_file():
        only = target
        root = _root_of(target)
    problems = read_data_set(root).problems
    if only is not None:
        rel = only.relative_to(root).as_posix()
        problems = [p for p in problems if p.file == rel]
    return sorted(set(problems))


def _root_of(file: Path) -> Path:
    """The data directory a rule file belongs to: the nearest folder above it that holds a
    data set's parts (a file in a stray subfolder of countries/ too)."""
    for folder in file.parents:
        if (folder / "countries").is_dir() or (folder / "groups.yaml").is_file():
            return folder
    return file.parent.parent if file.parent.name in ("countries", "policies") else file.parent
