"""What the endpoints share from the application: the rule data set loaded at start.

Why: `create_app` loads and compiles the rules once (a broken data set fails the start, not a
request); endpoints read them from the application's state instead of a module global, so tests
can run apps on different data sets side by side.
"""

from __future__ import annotations

from fastapi import Request

from admit.rules import Rules


def rules_of(request: Request) -> Rules:
    rules: Rules = request.app.state.rules
    return rules
