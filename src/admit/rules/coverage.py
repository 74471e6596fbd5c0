"""How much of each destination the rule data covers, and what it is known to lack.

Why: `unknown` is an honest answer but a poor one, and a user (or a data maintainer) needs to
see before relying on admit which destinations are fully written, which are partial, how well
they are sourced, how stale they are, and what their authors found missing. This report is
computed from the files themselves, never kept by hand (as python-holidays derives its
country list and flags stale data), and feeds `admit rules coverage` and docs/data-coverage.md.

It works on the data set as read, before compiling, so it also reports on a data set that does
not load: a rule without sources is exactly what stops a data set from loading, so rules are
counted as they are written in the YAML, and only the rules the reader accepted decide whether
a `default` is in force and which notes describe gaps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from admit.model import Document, DocumentType, Traveller
from admit.rules.loading import DataSet, data_files, default_data_dir, read_data_set
from admit.rules.spec import CountrySpec, PolicySpec, Rule
from admit.rules.yamlload import LDict, LList

PARTS = ("entry", "documents", "validity", "transit", "exemptions")
_CONVENTION = {"XXA": DocumentType.STATELESS_TRAVEL_DOCUMENT,
               "XXB": DocumentType.REFUGEE_TRAVEL_DOCUMENT}

# A rule's note "says what is missing" when it uses one of the phrases rule authors write for
# a gap (docs/rules.md asks them to name what they could not source or express). A note that
# only explains a rule does not count; the file's top-level note always does.
_GAP = re.compile(
    r"(?<!not a )(?<!without a )\bgaps?\b"
    r"|\bmissing\b|\bunknown\b|\bcannot\b|\bcould not\b|\bre-verify\b|\bleft out\b"
    r"|\bnot (?:found|encoded|expressed|expressible|modell?ed|written|confirmed|dated|stated"
    r"|listed|read|named|included|checked|covered|published|given)\b"
    r"|\bneither (?:is|was|are|were) included\b"
    r"|\b(?:does|do) not (?:see|check|say|name|express)\b"
    r"|\bno (?:official )?source\b|\bnot (?:in|printed in) (?:a|the|any) (?:sources?|copy)\b"
    r"|\bno [\w -]{1,40} (?:was|were) found\b|\bread from\b|\bcut (?:off|before)\b"
    r"|\bmay be wrong\b|\bonly [^.]{1,60} (?:was|were) confirmed\b",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Gap:
    """A known gap: `where` is the file's code (its top-level note) or a rule's reference."""

    where: str
    text: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """One destination. `rules` counts, per part, the rules that apply to it as written (its
    own and its policies'); `default_entry` says whether an unrestricted `default` entry rule
    is in force on the report's date, i.e. whether every nationality gets an entry regime;
    `verified` is the oldest `verified` date of the file and its policies (None when the file
    could not be read); `problems` are the loader's problems in the file."""

    code: str
    name: str
    file: str
    policies: tuple[str, ...]
    rules: Mapping[str, int]
    default_entry: bool
    unsourced: int
    problems: int
    verified: date | None
    gaps: tuple[Gap, ...]
    read: int = 0  # rules the reader accepted (its own and its policies')
    primary: int = 0  # of those, rules with an official, treaty or intergovernmental source

    def has(self, part: str) -> bool:
        return self.rules.get(part, 0) > 0

    @property
    def primary_share(self) -> float | None:
        """The share of read rules that rest on at least one primary source."""
        return self.primary / self.read if self.read else None


@dataclass(frozen=True, slots=True)
class Report:
    """The coverage of one data set on one date."""

    root: Path
    on: date
    data_version: str
    problems: int
    destinations: tuple[Coverage, ...]
    policies: Mapping[str, PolicySpec]


def traveller(nationality: str, day: date) -> Traveller:
    """The traveller every measure of the data asks about (the golden table, the nationality
    count, `admit rules compare`), kept in one place so that they all count the same person:
    one document issued a year before `day` and valid five years, an ordinary passport of their
    own state, or for XXA / XXB a stateless / refugee travel document issued by UTO (a neutral
    issuer)."""
    issued = day - relativedelta(years=1)
    kind = _CONVENTION.get(nationality, DocumentType.PASSPORT)
    issuer = "UTO" if nationality in _CONVENTION else nationality
    document = Document(type=kind, issuer=issuer, nationality=nationality, issued=issued,
                        expires=issued + relativedelta(years=5))
    return Traveller(nationalities=(nationality,), documents=(document,))


def report(path: str | Path | None = None, on: date | None = None) -> Report:
    """The coverage of the data directory at `path` (the shipped set by default) on `on`
    (default: today). Raises RuleDataError when there is no data directory."""
    root = (Path(path) if path is not None else default_data_dir()).resolve()
    day = on if on is not None else date.today()
    data = read_data_set(root)
    rows = tuple(_destination(data, rel, day) for rel in data_files(root)
                 if rel.startswith("countries/"))
    return Report(root=root, on=day, data_version=data.data_version,
                  problems=len(data.problems), destinations=rows, policies=data.policies)


def gaps(owner: CountrySpec | PolicySpec) -> tuple[Gap, ...]:
    """The file's top-level note, then every rule note that names something missing."""
    where = owner.code if isinstance(owner, CountrySpec) else owner.key
    found = [Gap(where, _plain(owner.note))] if owner.note else []
    found += [Gap(rule.ref, _plain(rule.note)) for rule in owner.sections.all()
              if rule.note and _GAP.search(rule.note)]
    return tuple(found)


def is_gap_note(text: str) -> bool:
    return _GAP.search(text) is not None


def _destination(data: DataSet, rel: str, on: date) -> Coverage:
    code = rel.removeprefix("countries/").removesuffix(".yaml")
    spec = data.countries.get(code)
    raw = data.documents.get(rel)
    named = spec.policies if spec is not None else _raw_policies(raw)
    applied = [data.policies[key] for key in named if key in data.policies]
    raws = [raw, *(data.documents.get(p.file) for p in applied)]
    counts = {part: sum(len(_raw_rules(doc, part)) for doc in raws) for part in PARTS}
    unsourced = sum(1 for doc in raws for part in PARTS for item in _raw_rules(doc, part)
                    if not isinstance(item, LDict) or not item.get("sources"))
    name = spec.name if spec is not None else _raw_name(raw)
    read = [rule for owner in ([spec] if spec is not None else []) + applied
            for rule in owner.sections.all()]
    verified = (min([spec.verified, *(p.verified for p in applied)])
                if spec is not None else None)
    return Coverage(
        code=code, name=name, file=rel, policies=tuple(named), rules=counts,
        default_entry=spec is not None and _default_entry(data, spec, applied, on),
        unsourced=unsourced, problems=sum(1 for p in data.problems if p.file == rel),
        verified=verified, gaps=gaps(spec) if spec is not None else (), read=len(read),
        primary=sum(1 for rule in read if any(s.primary for s in rule.sources)))


def primary_share(rows: tuple[Coverage, ...]) -> float | None:
    """Over many destinations: the share of their rules with a primary source (a policy's
    rules count once per destination that applies them, as they answer for each)."""
    read = sum(row.read for row in rows)
    return sum(row.primary for row in rows) / read if read else None


def _default_entry(data: DataSet, spec: CountrySpec, applied: list[PolicySpec],
                   on: date) -> bool:
    if any(_open_default(rule, on) for rule in spec.sections.entry):
        return True
    for policy in applied:
        group = data.groups.get(policy.members)
        member = group is not None and any(
            m.country == spec.code and m.start <= on <= m.end for m in group.members)
        if member and any(_open_default(rule, on) for rule in policy.sections.entry):
            return True
    return False


def _open_default(rule: Rule, on: date) -> bool:
    """A `default` rule in force, not narrowed to some documents or purposes: it answers for
    every nationality no other rule names."""
    return (rule.is_default and rule.documents is None and rule.purposes is None
            and rule.start <= on <= rule.end)


def _raw_rules(doc: object, part: str) -> LList:
    items = doc.get(part) if isinstance(doc, LDict) else None
    return items if isinstance(items, LList) else LList()


def _raw_policies(doc: object) -> tuple[str, ...]:
    items = doc.get("policies") if isinstance(doc, LDict) else None
    return tuple(i for i in items if isinstance(i, str)) if isinstance(items, LList) else ()


def _raw_name(doc: object) -> str:
    name = doc.get("name") if isinstance(doc, LDict) else None
    return name if isinstance(name, str) else ""


def _plain(text: str) -> str:
    return " ".join(text.split())
