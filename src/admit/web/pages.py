"""The web app's router: every page, each from its own module.

Why: `create_app` includes one router for the pages; the pages stay in small modules named for
what they show.
"""

from __future__ import annotations

from fastapi import APIRouter

from admit.web import check_page, country_pages, stay_page, where_page

router = APIRouter(include_in_schema=False)
for _module in (check_page, where_page, stay_page, country_pages):
    router.include_router(_module.router)

__all__ = ["router"]
