"""`admit rules lint`: every problem in a data set, each with file:line and what was expected.

Why: the loader stops at the first problem set (a malformed data set must not load); the
linter reports them all, and adds what only a linter can judge: the JSON Schema validation an
editor would do (so the shipped schema and the loader are checked against each other) and
overlapping rules. The JSON Schema validator is imported here only, never on the check path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from admit.rules.fields import Problem, schema
from admit.rules.loading import DataSet, default_data_dir, read_data_set
from admit.rules.overlap import overlaps
from admit.rules.yamlload import LDict, LList

_DEFINITION = {"groups.yaml": "groupsFile", "agreements.yaml": "agreementsFile"}


def lint(path: str | Path | None = None) -> list[Problem]:
    """Problems in the data set at `path` (a data directory, or one file in it: then only that
    file's problems), sorted by file and line. Raises RuleDataError if there is no data set."""
    target = Path(path).resolve() if path is not None else default_data_dir().resolve()
    root, only = target, None
    if target.is_file():
        only = target
        root = target.parent.parent if target.parent.name in ("countries",
                                                              "policies") else target.parent
    data = read_data_set(root)
    problems = _dedupe(schema_problems(data), data.problems)
    for sections in [c.sections for c in data.countries.values()] + [
            p.sections for p in data.policies.values()]:
        problems += overlaps(sections, data.groups)
    if only is not None:
        rel = str(only.relative_to(root))
        problems = [p for p in problems if p.file == rel]
    return sorted(set(problems))


def schema_problems(data: DataSet) -> list[Problem]:
    import jsonschema  # deferred: slow to import, and only linting needs it

    full = schema()
    problems: list[Problem] = []
    for rel, document in data.documents.items():
        definition = _DEFINITION.get(rel) or (
            "policyFile" if rel.startswith("policies/") else
            "countryFile" if rel.startswith("countries/") else None)
        if definition is None:
            continue
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"#/$defs/{definition}", "$defs": full["$defs"]})
        for error in validator.iter_errors(_plain(document)):
            best = jsonschema.exceptions.best_match(error.context) if error.context else error
            where = list(best.absolute_path)
            dotted = ".".join(str(p) for p in where) or "(file)"
            problems.append(Problem(rel, _line(document, where),
                                    f"{dotted}: {best.message} (schema)"))
    return problems


def _dedupe(schema_found: list[Problem], read_found: list[Problem]) -> list[Problem]:
    """The reader and the schema often see the same mistake; keep one report per line."""
    lines = {(p.file, p.line) for p in schema_found}
    return schema_found + [p for p in read_found if (p.file, p.line) not in lines]


def _plain(value: Any) -> Any:
    """YAML values as JSON would hold them: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _line(document: Any, path: list[Any]) -> int:
    node, line = document, getattr(document, "line", 1) or 1
    for step in path:
        found = ((isinstance(node, LDict) and step in node)
                 or (isinstance(node, LList) and isinstance(step, int) and step < len(node)))
        if not found:
            break
        line, node = node.line_of(step), node[step]
    return line
