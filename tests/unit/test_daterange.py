from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from admit.cli import app
from admit.daterange import EARLIEST, LATEST, check_day, in_range
from admit.errors import InputError
from admit.model import Trip


def test_bounds() -> None:
    assert in_range(EARLIEST) and in_range(LATEST)
    assert not in_range(date(1899, 12, 31)) and not in_range(date(3000, 1, 1))
    with pytest.raises(InputError) as err:
        check_day("itinerary[0].date", date(9999, 12, 30))
    assert err.value.field == "itinerary[0].date"


@pytest.mark.parametrize("path", ["itinerary[0].date", "traveller.documents[0].expires"])
def test_the_trip_parser_refuses_dates_off_the_calendar(path: str) -> None:
    trip = {"traveller": {"nationalities": ["RUS"],
                          "documents": [{"type": "passport", "issuer": "RUS",
                                         "expires": "2030-01-01"}]},
            "itinerary": [{"from": "KAZ", "to": "MNG", "date": "2023-02-27"}]}
    if path.startswith("itinerary"):
        trip["itinerary"][0]["date"] = "9999-12-30"  # type: ignore[index]
    else:
        trip["traveller"]["documents"][0]["expires"] = "9999-12-31"  # type: ignore[index]
    with pytest.raises(InputError) as err:
        Trip.from_json(trip)
    assert err.value.field == path


def test_admit_check_answers_a_far_date_with_exit_two_not_a_traceback() -> None:
    trip = ('{"traveller":{"nationalities":["RUS"],"documents":[{"type":"passport",'
            '"issuer":"RUS","expires":"9999-12-31"}]},"itinerary":[{"from":"KAZ","to":"MNG",'
            '"date":"9999-12-30","until":"9999-12-31"}]}')
    result = CliRunner().invoke(app, ["check", "--json", "-"], input=trip)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "2999-12-31" in result.stderr
