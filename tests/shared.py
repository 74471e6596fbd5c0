"""Reference material outside the repository (`../shared/`: the MRZ conformance corpus, the
visa matrix, OCR sample images), found beside the checkout when it is there.

Why: a clone anywhere must pass `make test`, so a test that reads this material skips with a
clear reason when it is absent; CI, which has it, sets ADMIT_REQUIRE_SHARED=1 and the same
absence is then a failure rather than a quiet skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(relative: str) -> Path:
    """The path of `relative` under ../shared/ (it may not exist)."""
    return SHARED / relative


def require_shared(relative: str) -> Path:
    """The path, or skip the test (fail it when ADMIT_REQUIRE_SHARED=1) when it is absent."""
    path = shared_path(relative)
    if path.exists():
        return path
    message = f"reference material absent: {path} (../shared/ beside the checkout)"
    if os.environ.get("ADMIT_REQUIRE_SHARED") == "1":
        pytest.fail(f"ADMIT_REQUIRE_SHARED=1 but the {message}")
    pytest.skip(message)
