"""Find, read, hash and compile a data set; cache the result per data directory.

Why: the engine must never parse YAML per check, and a cold start (import, load and compile
every rule file) must stay well under a second. A data set is compiled once per process and
re-read only when a file in it changes (a cheap `stat` of each file decides). Any problem in
any file fails the load loudly, naming the file and line; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from admit.errors import RuleDataError
from admit.rules.compiler import compile_rules
from admit.rules.fields import Problem
from admit.rules.files import (
    read_agreements,
    read_country,
    read_fictional,
    read_groups,
    read_policy,
)
from admit.rules.spec import AgreementSpec, CountrySpec, GroupSpec, PolicySpec
from admit.rules.tables import Rules
from admit.rules.waivers import apply_waivers
from admit.rules.yamlload import load_yaml

_Stamp = tuple[tuple[str, int, int], ...]
_CACHE: dict[Path, tuple[_Stamp, Rules]] = {}


def default_data_dir() -> Path:
    """The data set shipped inside the package (src/admit/data). A plain path, not
    importlib.resources: the package is always installed as files, and importing
    importlib.resources costs a tenth of the cold-start budget."""
    return Path(__file__).resolve().parent.parent / "data"


@dataclass(slots=True)
class DataSet:
    """Everything read from a data directory, with every problem found on the way."""

    root: Path
    data_version: str = ""
    documents: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fictional: dict[str, str] = field(default_factory=dict)
    groups: dict[str, GroupSpec] = field(default_factory=dict)
    agreements: tuple[AgreementSpec, ...] = ()
    policies: dict[str, PolicySpec] = field(default_factory=dict)
    countries: dict[str, CountrySpec] = field(default_factory=dict)

    def is_code(self, code: str) -> bool:
        from admit import codes

        return codes.is_known(code) or code in self.fictional


def load_rules(path: str | Path | None = None) -> Rules:
    """The compiled rules of a data directory (the embedded set by default), cached."""
    root = (Path(path) if path is not None else default_data_dir()).resolve()
    stamp = _stamp(root)
    cached = _CACHE.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    data = read_data_set(root)
    if data.problems:
        first = data.problems[0]  # in reading order: groups before the rules that use them
        more = len(data.problems) - 1
        tail = f" (and {more} more: run `admit rules lint {root}`)" if more else ""
        raise RuleDataError(str(root / first.file), first.line, first.message + tail)
    rules = compile_rules(root, data.data_version, data.countries, data.policies, data.groups,
                          data.agreements, data.fictional)
    _CACHE[root] = (stamp, rules)
    return rules


def data_files(root: Path) -> list[str]:
    """The rule files of a data set, relative to its root, in a stable order."""
    found = [p.name for p in root.glob("*.yaml")]
    for sub in ("policies", "countries"):
        found += [f"{sub}/{p.name}" for p in (root / sub).glob("*.yaml")]
    return sorted(found)


def read_data_set(root: Path) -> DataSet:
    data = DataSet(root=root)
    if not root.is_dir():
        raise RuleDataError(str(root), None, "no such data directory")
    files = data_files(root)
    digest = hashlib.sha256()
    for rel in files:
        raw = (root / rel).read_bytes()
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        try:
            data.documents[rel] = load_yaml(raw, rel)
        except RuleDataError as exc:
            data.problems.append(Problem(rel, exc.line or 1, exc.message))
    data.data_version = digest.hexdigest()[:16]
    for rel in files:
        if "/" not in rel and rel not in ("groups.yaml", "agreements.yaml"):
            data.problems.append(Problem(rel, 1, "unexpected file: a data set holds "
                                         "groups.yaml, agreements.yaml, policies/ and countries/"))
    for stray in sorted(root.glob("**/*.yml")):
        data.problems.append(Problem(str(stray.relative_to(root)), 1,
                                     "rule files end in .yaml, not .yml"))
    _read(data)
    return data


def _read(data: DataSet) -> None:
    docs = data.documents
    if "groups.yaml" in docs:
        data.fictional = read_fictional(docs["groups.yaml"], "groups.yaml", data.problems)
        data.groups = read_groups(docs["groups.yaml"], "groups.yaml", data.is_code,
                                  data.problems)
    names = frozenset(data.groups)
    if "agreements.yaml" in docs:
        data.agreements = read_agreements(docs["agreements.yaml"], "agreements.yaml",
                                          data.is_code, names, data.problems)
    for rel in sorted(r for r in docs if r.startswith("policies/")):
        key = rel.removeprefix("policies/").removesuffix(".yaml")
        policy = read_policy(docs[rel], rel, key, data.is_code, names, data.problems)
        if policy is not None:
            data.policies[key] = policy
    members = {key: frozenset(m.country for m in data.groups[p.members].members)
               for key, p in data.policies.items() if p.members in data.groups}
    for rel in sorted(r for r in docs if r.startswith("countries/")):
        stem = rel.removeprefix("countries/").removesuffix(".yaml")
        country = read_country(docs[rel], rel, stem, data.is_code, names, members,
                               data.problems)
        if country is not None:
            data.countries[stem] = country
    apply_waivers(data.countries, data.agreements)


def _stamp(root: Path) -> _Stamp:
    entries = []
    for rel in data_files(root) if root.is_dir() else []:
        st = (root / rel).stat()
        entries.append((rel, st.st_mtime_ns, st.st_size))
    return tuple(entries)
