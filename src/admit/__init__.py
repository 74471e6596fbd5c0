"""admit: may this person, with these documents, board this trip and enter these countries?

The package is layered (see docs/design.md): codes -> mrz -> model -> rules -> engine -> interfaces.
Importing `admit` itself stays cheap; every layer is imported where it is used.
"""

__version__ = "0.1.0"
