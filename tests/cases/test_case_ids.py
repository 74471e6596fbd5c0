"""Case numbers are read exactly: ASCII digits, no sign, no spaces, no leading zero, at most
ten digits — in the API, the pages and the command line alike. Anything else is bad input
(422, exit 2) naming the value; a well-formed number no case has is 404."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from admit.api.cases import router as api
from admit.cases import CaseService
from admit.cases.ids import parse_case_id
from admit.cli import app as cli
from admit.errors import InputError
from admit.web.cases import router as pages
from tests.cases.conftest import OFFICER, key_text, refusal
from tests.cases.pages import sign_in

LENIENT = ["1.0", "+1", " 1", "1 ", "01", "1_0", "0x1", "１", "١", "1e0", "-1", "0", "",
           "12345678901"]


@pytest.mark.parametrize("text", LENIENT)
def test_only_the_exact_form_is_a_case_number(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_case_id(text)
    assert error.value.field == "case_id" and error.value.value == text


def test_the_exact_form_reads_as_its_number() -> None:
    assert [parse_case_id(t) for t in ("1", "10", "2147483647", "9999999999")] == [
        1, 10, 2147483647, 9999999999]


@pytest.fixture
def client(service: CaseService) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(api)
    app.include_router(pages)
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("text", ["1.0", "+1", "%201", "01", "1%20"])
def test_the_api_and_the_pages_refuse_lenient_numbers(client: TestClient,
                                                      service: CaseService, text: str) -> None:
    service.open(OFFICER, refusal())
    token = service.add_user("reader", "auditor")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/cases/1", headers=headers).status_code == 200
    for path in (f"/v1/cases/{text}", f"/v1/cases/{text}/events"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 422, (path, answer.status_code)
    sign_in(client, service.add_user("web-reader", "auditor"))
    page = client.get(f"/cases/{text}")
    assert page.status_code == 422 and "case_id" in page.text
    answer = client.get(f"/v1/cases/{text}", headers=headers)
    [problem] = answer.json()["detail"]
    assert problem["field"] == "case_id"
    officer = {"Authorization": f"Bearer {service.add_user('writer', 'officer')}"}
    noted = client.post(f"/v1/cases/{text}/note", json={"text": "x"},
                        headers={**officer, "If-Match": '"1"'})
    assert noted.status_code == 422
    assert service.get(OFFICER, 1).version == 1


def test_unknown_and_out_of_range_numbers_are_404(client: TestClient,
                                                  service: CaseService) -> None:
    headers = {"Authorization": f"Bearer {service.add_user('reader', 'auditor')}"}
    for text in ("5", "2147483648", "9999999999"):
        assert client.get(f"/v1/cases/{text}", headers=headers).status_code == 404, text


@pytest.mark.parametrize("text", ["+1", " 1", "01", "1_0"])
def test_the_command_line_refuses_lenient_numbers(service: CaseService, database_url: str,
                                                  key: bytes, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  text: str) -> None:
    service.open(OFFICER, refusal())
    monkeypatch.setenv("ADMIT_DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIT_CASES_KEY", key_text(key))
    monkeypatch.setenv("ADMIT_DATA_DIR", str(tmp_path / "var"))
    token = service.add_user("olga-cli", "officer")
    runner = CliRunner()
    shown = runner.invoke(cli, ["cases", "show", text, "--json", "--token", token])
    assert shown.exit_code == 2, shown.output
    assert "case_id" in shown.stderr and repr(text) in shown.stderr
    acted = runner.invoke(cli, ["cases", "act", text, "note", "text=x", "--token", token])
    assert acted.exit_code == 2, acted.output
    fine = runner.invoke(cli, ["cases", "show", "1", "--json", "--token", token])
    assert fine.exit_code == 0 and json.loads(fine.stdout)["version"] == 1
