"""Find, read, hash and compile a data set; cache the result per data directory.

Why: the engine must never parse YAML per check, and a cold start (import, load and compile
every rule file) must stay well under a second. A data set is compiled once per process and
re-read only when a file in it changes (a cheap `stat` of each file decides). Any problem in
any file fails the load loudly, naming the file and line; nothing is dropped silently.

This is the one validation of a data set: `admit rules lint` reports every problem it finds,
and loading refuses the data set on the first, so nothing lint rejects is ever served. That
includes what lies around the rule files: a file the loader would not read (`MNG.YAML`, a
subfolder, anything but the four parts of a data set) is a problem, not ignored, and so is a
missing `groups.yaml`, `agreements.yaml` or country file. Names starting with a dot (`.git`,
editors' swap files) are not rule data.
"""

from __future__ import annotations

import hashlib
import os
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
from admit.rules.overlap import overlaps
from admit.rules.parsecache import load as parse_file
from admit.rules.spec import AgreementSpec, CountrySpec, GroupSpec, PolicySpec
from admit.rules.tables import Rules
from admit.rules.waivers import apply_waivers

_Stamp = tuple[tuple[str, int, int], ...]
_CACHE: dict[Path, tuple[_Stamp, Rules]] = {}
_PARTS = "a data set holds groups.yaml, agreements.yaml, policies/ and countries/, nothing else"
_REQUIRED = {"groups.yaml": "the country groups; `groups: {}` when there are none",
             "agreements.yaml": "the treaties; `agreements: []` when there are none"}


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
    return _layout(_all_files(root))[0]


def _all_files(root: Path) -> list[str]:
    """Every file under `root` but dot-named ones, relative, with `/`, sorted."""
    found: list[str] = []
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                pending.append((f"{prefix}{entry.name}/", entry.path))
            else:
                found.append(prefix + entry.name)
    return sorted(found)


def _layout(files: list[str]) -> tuple[list[str], list[Problem]]:
    """The files the loader reads, and a problem for every other file and every missing part."""
    read: list[str] = []
    problems: list[Problem] = []
    for rel in files:
        folder, _, name = rel.rpartition("/")
        if folder in ("countries", "policies"):
            if name.endswith(".yaml"):
                read.append(rel)
                continue
            suffix = name[name.rfind("."):] if "." in name else ""
            problems.append(Problem(rel, 1, "not read: rule files end in .yaml" + (
                f", not {suffix}" if suffix else "")))
        elif folder.startswith(("countries/", "policies/")):
            problems.append(Problem(rel, 1, f"not read: rule files sit directly in "
                                    f"{folder.split('/')[0]}/, not in a subfolder"))
        elif folder or name not in _REQUIRED:
            problems.append(Problem(rel, 1, f"unexpected file, not read: {_PARTS}"))
        else:
            read.append(rel)
    for name, holds in _REQUIRED.items():
        if name not in read:
            problems.append(Problem(name, 1, f"missing: every data set has {name} ({holds})"))
    if not any(rel.startswith("countries/") for rel in read):
        problems.append(Problem("countries", 1, "no country files: a data set needs at least "
                                "one countries/XXX.yaml"))
    return read, problems


def read_data_set(root: Path) -> DataSet:
    data = DataSet(root=root)
    if not root.is_dir():
        raise RuleDataError(str(root), None, "no such data directory")
    files, data.problems = _layout(_all_files(root))
    digest = hashlib.sha256()
    for rel in files:
        try:
            raw = (root / rel).read_bytes()
        except OSError as exc:  # a dangling link, no permission
            data.problems.append(Problem(rel, 1, f"cannot read: {exc.strerror or exc}"))
            continue
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        try:
            data.documents[rel] = parse_file(raw, rel)
        except RuleDataError as exc:
            data.problems.append(Problem(rel, exc.line or 1, exc.message))
    data.data_version = digest.hexdigest()[:16]
    _read(data)
    for sections in [c.sections for c in data.countries.values()] + [
            p.sections for p in data.policies.values()]:
        data.problems += overlaps(sections, data.groups)
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
    """Every file's name, time and size: a stray file added later changes it too."""
    entries = []
    for rel in _all_files(root):
        try:
            st = (root / rel).stat()
        except OSError:  # gone since listed (or a dangling link): reading will say so
            continue
        entries.append((rel, st.st_mtime_ns, st.st_size))
    return tuple(entries)
