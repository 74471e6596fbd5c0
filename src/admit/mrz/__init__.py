"""ICAO Doc 9303 machine-readable zones: read, validate, repair OCR text, and generate.

Why a package with no third-party imports: the MRZ is the first thing every interface meets
(the carrier's scanner, the traveller's pasted text, the engine's document list), so it must be
exact, fast to import and fast to run. See docs/mrz.md for the rules and the profiles.
"""

from admit.mrz.issues import Correction, Issue
from admit.mrz.parse import PROFILES, parse
from admit.mrz.result import MRZResult

__all__ = ["PROFILES", "Correction", "Issue", "MRZResult", "parse"]
