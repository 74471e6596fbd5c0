"""Regenerate src/admit/_iso3166.py from pycountry.

Why: `admit.mrz` must import in a few milliseconds and without third-party packages, so the
set of ISO 3166-1 alpha-3 codes is frozen into a module. pycountry stays the source of truth;
tests/unit/test_codes.py fails when the frozen set and pycountry disagree.
"""

from __future__ import annotations

from pathlib import Path

import pycountry

TARGET = Path(__file__).resolve().parents[1] / "src" / "admit" / "_iso3166.py"


def render() -> str:
    codes = sorted(c.alpha_3 for c in pycountry.countries)
    body = "\n".join(f'        "{c}",' for c in codes)
    withdrawn = sorted({c.alpha_3 for c in pycountry.historic_countries} - set(codes))
    old = "\n".join(f'        "{c}",' for c in withdrawn)
    return (
        '"""ISO 3166-1 alpha-3 codes, generated from pycountry by tools/gen_iso3166.py.\n\n'
        "Do not edit: regenerate. Kept as a literal so `admit.mrz` imports fast and without\n"
        'dependencies; a test checks it against pycountry.\n"""\n\n'
        f"ALPHA3: frozenset[str] = frozenset(\n    {{\n{body}\n    }}\n)\n\n"
        "# ISO 3166-3: alpha-3 codes withdrawn from ISO 3166-1 (still seen on old documents).\n"
        f"WITHDRAWN: frozenset[str] = frozenset(\n    {{\n{old}\n    }}\n)\n"
    )


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
