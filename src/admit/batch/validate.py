"""A batch of manifest rows typed for screening, and the rows the trip parser would refuse.

Why: the vectorised screener must accept and refuse exactly the rows the trip parser would
(`admit.tripjson`, through `admit.batch.reference`), at millions of rows a second. Each cell is
judged once per distinct string by the parser's own functions (`admit.batch.cells`); what
remains per row is a few integer comparisons: a refused cell, a missing required cell, an
expiry before the issue date, a departure before arrival, a leg after an empty one. The rows
so marked are handed to the reference, which words their errors exactly as `admit check` does
(and would screen any it accepted after all), so a mark too many costs time, never an answer.
"""

from __future__ import annotations

import polars as pl

from admit.batch.cells import BAD, DOCUMENT_TYPES, Cells
from admit.batch.columns import (
    BIRTH_DATE,
    DOCUMENT_TYPE,
    EXPIRES,
    ISSUED,
    ISSUER,
    NATIONALITY,
    ROW,
    leg_column,
)
from admit.model import CONVENTION_CLASS, DocumentType

PROVES = "proves"  # the code the document proves (XXA/XXB for convention travel documents)
LEGS = "legs"  # how many legs the row fills
SUSPECT = "suspect"  # the trip parser may refuse the row: the reference decides it
_LEG_KINDS = {"from": "code", "to": "code", "date": "date", "until": "date",
              "transit": "transit", "purpose": "purpose"}
PASSPORT = DOCUMENT_TYPES.index(DocumentType.PASSPORT)


def cell_kinds(legs: int) -> dict[str, str]:
    """Every typed input column and its kind (`admit.batch.cells.KINDS`)."""
    kinds = {NATIONALITY: "code", DOCUMENT_TYPE: "document_type", ISSUER: "code",
             EXPIRES: "date", ISSUED: "date", BIRTH_DATE: "date"}
    for leg in range(1, legs + 1):
        kinds.update({leg_column(leg, name): kind for name, kind in _LEG_KINDS.items()})
    return kinds


def typed_batch(raw: pl.DataFrame, legs: int, cells: Cells) -> pl.DataFrame:
    """`row`, the typed cells (Int32, see `admit.batch.cells`), the document type (a passport
    when not given), the issuer (the nationality when not given), `proves`, `legs` and
    `suspect`."""
    kinds = cell_kinds(legs)
    typed = cells.encode(raw, kinds).with_columns(raw.get_column(ROW))
    convention = {DOCUMENT_TYPES.index(kind): cells.code_index(code)
                  for kind, code in CONVENTION_CLASS.items()}
    kind = pl.col(DOCUMENT_TYPE).fill_null(PASSPORT)
    proves: pl.Expr = pl.col(NATIONALITY)
    for index, code in convention.items():
        proves = pl.when(kind == index).then(pl.lit(code, pl.Int32)).otherwise(proves)
    filled = [pl.any_horizontal([pl.col(leg_column(leg, name)).is_not_null()
                                 for name in _LEG_KINDS]) for leg in range(1, legs + 1)]
    count: pl.Expr = pl.lit(1, pl.Int32)
    for leg in range(2, legs + 1):
        count = pl.when(filled[leg - 1]).then(pl.lit(leg, pl.Int32)).otherwise(count)
    present = [c for c in kinds if c in raw.columns]
    suspect = (pl.col(NATIONALITY).is_null()
               | pl.any_horizontal([(pl.col(c) == BAD).fill_null(False) for c in present])
               | (pl.col(EXPIRES) < pl.col(ISSUED)).fill_null(False))
    for leg in range(1, legs + 1):
        needed = pl.any_horizontal([pl.col(leg_column(leg, name)).is_null()
                                    for name in ("from", "to", "date")])
        day, until = leg_column(leg, "date"), leg_column(leg, "until")
        suspect = suspect | (pl.col(until) < pl.col(day)).fill_null(False)
        if leg == 1:
            suspect = suspect | needed
        else:
            suspect = suspect | (filled[leg - 1] & (needed | ~filled[leg - 2]))
    return typed.with_columns(kind.alias(DOCUMENT_TYPE),
                              pl.coalesce(ISSUER, NATIONALITY).alias(ISSUER),
                              proves.alias(PROVES), count.alias(LEGS), suspect.alias(SUSPECT))
