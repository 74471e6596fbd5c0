"""Which days of a travel history count towards a stay rule.

Why: a passport's stamps are not the count. Days spent under a residence permit or a long-stay
visa are not short-stay days, and a day in a country counts towards an area's rule (Schengen's
90/180) only while that country applied the rule — stays in Croatia before 2023, for instance,
do not count towards Schengen. Callers pass the membership periods (the data set keeps them in
groups.yaml); these functions only clip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from admit.errors import InputError
from admit.stay.model import Stay

# One membership period: first and last day (both included); None for an open end.
Period = tuple[date | None, date | None]


def counted_stays(stays: Iterable[Stay]) -> list[Stay]:
    """The stays that count: short stays, not stays under a residence permit or long-stay visa."""
    return [stay for stay in stays if stay.counted]


def clip_to_membership(
    stays: Sequence[Stay], periods: Mapping[str, Sequence[Period]]
) -> list[Stay]:
    """Each stay cut to the days its country applied the rule, per `periods` (country -> periods).

    A country absent from `periods` never applied it, so its stays drop out; a stay that spans a
    change of membership keeps only its member days (and may become several stays, one per
    period). Every stay must name its country.
    """
    for country, spans in periods.items():
        for index, (start, until) in enumerate(spans):
            if start is not None and until is not None and until < start:
                raise InputError(
                    f"periods[{country}][{index}]",
                    [start.isoformat(), until.isoformat()],
                    f"membership ends on {until}, before it begins on {start}",
                )
    clipped: list[Stay] = []
    for index, stay in enumerate(stays):
        if stay.country is None:
            raise InputError(
                f"stays[{index}].country",
                None,
                "is needed to clip the stay to the days its country applied the rule",
            )
        for start, until in periods.get(stay.country, ()):
            first = stay.entry if start is None else max(stay.entry, start)
            last = stay.exit if until is None else min(stay.exit, until)
            if first <= last:
                clipped.append(replace(stay, entry=first, exit=last))
    return clipped
