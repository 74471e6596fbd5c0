"""A case server for the crash test: /v1/cases on the fixture rules, in its own process.

Run as `python -m tests.cases.server PORT`; the store comes from the environment
(ADMIT_DATABASE_URL, ADMIT_CASES_KEY), as in production.
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

from admit.api.cases import router
from admit.cases import CaseService
from admit.rules import load_rules
from tests.cases.conftest import FIXTURE_RULES


def make_app() -> FastAPI:
    app = FastAPI()
    app.state.case_service = CaseService.from_env(rules=load_rules(FIXTURE_RULES))
    app.include_router(router)
    return app


if __name__ == "__main__":
    uvicorn.run(make_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False)
