"""The shared MRZ conformance corpus (../shared/mrz-conformance/cases.jsonl), read in place.

Every case's verdict, expected fields, check results, errors and warnings must match; OCR cases
must also come out right after repair. The corpus is not copied into the project; where it is
absent these tests skip (fail under ADMIT_REQUIRE_SHARED=1, as in CI).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from admit.mrz import parse
from tests.shared import require_shared, shared_path

CORPUS = shared_path("mrz-conformance/cases.jsonl")
REFERENCE = date(2026, 11, 24)


def _cases() -> list[dict[str, Any]]:
    if not CORPUS.exists():
        return []
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


CASES = _cases()


def test_corpus_is_the_full_set() -> None:
    require_shared("mrz-conformance/cases.jsonl")
    assert len(CASES) >= 78


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    result = parse(case["lines"], reference_date=REFERENCE)
    expected_format = case["format"]
    assert result.format == expected_format
    assert result.valid is case["valid"], [e.code for e in result.errors]
    assert set(case["errors"]) <= set(result.error_codes)
    if case["valid"]:
        assert result.error_codes == []
    assert set(case["warnings"]) <= {w.code for w in result.warnings}
    if "ocr" not in case:
        for name, value in case["expected"].items():
            assert result.fields.get(name) == value, name
        for name, ok in case["checks"].items():
            assert result.checks.get(name) is ok, name


OCR_CASES = [c for c in CASES if "ocr" in c]


@pytest.mark.parametrize("case", OCR_CASES, ids=[c["id"] for c in OCR_CASES])
def test_ocr_case_repaired(case: dict[str, Any]) -> None:
    result = parse(case["lines"], repair=True, reference_date=REFERENCE)
    assert list(result.lines) == case["ocr"]["corrected_lines"]
    assert result.valid is case["ocr"]["valid_after_correction"], result.error_codes
    for name, value in case["expected"].items():
        assert result.fields.get(name) == value, name
    assert result.corrected, "an OCR case must report what it changed"
