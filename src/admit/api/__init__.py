"""The HTTP service: the JSON API under /v1 and, through `admit.web`, the pages.

Why a package: one module per concern (check, mrz, stay, destinations, countries, version),
each a thin shell over the library, plus what they share: the size limit and access log
(`guard`), error mapping (`errors`), JSON in and out (`jsonio`), request bounds (`bounds`) and
the OpenAPI description (`schemas`). `create_app` in `app` puts them together.
"""

from admit.api.app import create_app

__all__ = ["create_app"]
