"""The survey API: build, read, answer, change, results, exports; every bad input a clear 4xx."""
import csv
import io
import json
import zipfile

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import SurveyAnswer, SurveyResponse
from forum.services import tokens
from tests.factories import make_policy
from tests.surveys.conftest import QUESTIONS

API = "/api/v1"


@pytest.fixture
def bearer():
    def headers(user):
        user.locale = "en"  # messages are checked in English
        _row, raw = tokens.create_token(user, user, "test")
        return {"Authorization": f"Bearer {raw}"}

    return headers


def _error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if code:
        assert error["code"] == code
    return error


def _validator(client, name):
    document = client.get(f"{API}/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})


@pytest.fixture
def created(client, bearer, official):
    response = client.post(f"{API}/surveys", headers=bearer(official), json={
        "title": "Kepuasan layanan SIMPEL", "service": "SIMPEL", "results_public": True, "questions": QUESTIONS,
    })
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _answers(survey, **overrides):
    q = survey["questions"]
    answers = {
        1: {"question_id": q[0]["id"], "choice_ids": [q[0]["choices"][1]["id"]]},
        2: {"question_id": q[1]["id"], "choice_ids": [q[1]["choices"][0]["id"]]},
        3: {"question_id": q[2]["id"], "value": 5},
        4: {"question_id": q[3]["id"], "value": 10},
        6: {"question_id": q[5]["id"], "text": "=HYPERLINK(\"http://evil\")"},
    }
    for key, value in overrides.items():
        position = int(key[1:])
        if value is None:
            answers.pop(position)
        else:
            answers[position] = {"question_id": q[position - 1]["id"], **value}
    return {"answers": list(answers.values())}


def test_official_builds_and_residents_answer_through_the_api(client, bearer, created, resident, official):
    assert _validator(client, "Survey").is_valid(created)
    assert created["status"] == "open" and created["service"] == "SIMPEL"
    assert all(choice["id"] for choice in created["questions"][0]["choices"])
    assert created["questions"][2]["min"] == 1 and created["questions"][3]["max"] == 10
    fetched = client.get(f"{API}/surveys/{created['id']}").get_json()
    assert fetched["questions"] == created["questions"]
    sent = client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident), json=_answers(created))
    assert sent.status_code == 201, sent.get_data(as_text=True)
    assert _validator(client, "SurveyResponse").is_valid(sent.get_json())
    mine = client.get(f"{API}/surveys/{created['id']}/responses/mine", headers=bearer(resident)).get_json()
    assert {a["question_id"] for a in mine["answers"]} == {a["question_id"] for a in _answers(created)["answers"]}
    results = client.get(f"{API}/surveys/{created['id']}/results", headers=bearer(official))
    body = results.get_json()
    assert results.status_code == 200 and _validator(client, "SurveyResults").is_valid(body)
    likert, rating = body["questions"][2], body["questions"][3]
    assert likert["distribution"]["5"] == 1 and likert["mean"] == 5.0 and likert["median"] == 5.0
    assert rating["nps"] == 100.0
    assert body["questions"][0]["counts"][str(created["questions"][0]["choices"][1]["id"])] == 1


def test_a_consultation_survey_is_listed_with_its_policy(client, bearer, official, agency):
    policy = make_policy(agency)
    response = client.post(f"{API}/policies/{policy.id}/surveys", headers=bearer(official),
                           json={"title": "Survei rancangan", "questions": QUESTIONS[:2]})
    assert response.status_code == 201 and response.get_json()["policy_id"] == policy.id
    listed = client.get(f"{API}/policies/{policy.id}/surveys").get_json()["items"]
    assert [item["id"] for item in listed] == [response.get_json()["id"]]
    page = client.get(f"{API}/surveys?status=open").get_json()
    assert page["total"] == 1 and page["items"][0]["policy_id"] == policy.id


def test_second_response_is_409_and_put_changes_it(client, bearer, created, resident):
    url = f"{API}/surveys/{created['id']}/responses"
    assert client.post(url, headers=bearer(resident), json=_answers(created)).status_code == 201
    _error(client.post(url, headers=bearer(resident), json=_answers(created)), 409, "already_answered")
    changed = client.put(url, headers=bearer(resident), json=_answers(created, q3={"value": 2}))
    assert changed.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert db.session.scalar(select(SurveyAnswer.value).where(
        SurveyAnswer.question_id == created["questions"][2]["id"])) == 2


@pytest.mark.parametrize("overrides, field", [
    ({"q1": {"choice_ids": [987654]}}, "question-{q1}"),
    ({"q3": {"value": 7}}, "question-{q3}"),
    ({"q4": {"value": -1}}, "question-{q4}"),
    ({"q1": None}, "question-{q1}"),
    ({"q3": None}, "question-{q3}"),
    ({"q5": {"text": 5}}, "answers.5.text"),  # q5 comes last in the list
    ({"q2": {"choice_ids": "1"}}, "answers.1.choice_ids"),
])
def test_bad_answers_are_422_naming_the_question_with_nothing_saved(client, bearer, created, resident,
                                                                    overrides, field):
    response = client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident),
                           json=_answers(created, **overrides))
    ids = {f"q{n + 1}": question["id"] for n, question in enumerate(created["questions"])}
    error = _error(response, 422, "validation_error")
    assert field.format(**ids) in error["fields"]
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0


@pytest.mark.parametrize("body", [
    {}, {"answers": "all"}, {"answers": [{"question_id": "1"}]}, {"answers": [], "demographics": "old"},
])
def test_malformed_answer_bodies_are_422(client, bearer, created, resident, body):
    _error(client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident), json=body), 422)


def test_response_after_closing_is_409(client, bearer, created, resident, official):
    assert client.post(f"{API}/surveys/{created['id']}/close", headers=bearer(official)).status_code == 200
    _error(client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident),
                       json=_answers(created)), 409, "survey_closed")
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_editing_questions_after_responses_is_409(client, bearer, created, resident, official):
    client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident), json=_answers(created))
    body = {"title": "Judul baru", "questions": QUESTIONS[:1]}
    error = _error(client.put(f"{API}/surveys/{created['id']}", headers=bearer(official), json=body),
                   409, "survey_has_responses")
    assert "new version" in error["message"]
    # The same questions with a new title are fine.
    same = client.put(f"{API}/surveys/{created['id']}", headers=bearer(official),
                      json={"title": "Judul baru", "questions": QUESTIONS, "service": "SIMPEL"})
    assert same.status_code == 200 and same.get_json()["title"] == "Judul baru"
    copy = client.post(f"{API}/surveys/{created['id']}/versions", headers=bearer(official))
    assert copy.status_code == 201 and copy.get_json()["status"] == "draft"


def test_unknown_survey_is_404_everywhere(client, bearer, resident):
    headers = bearer(resident)
    for method, path in (("get", "/surveys/424242"), ("get", "/surveys/424242/results"),
                         ("post", "/surveys/424242/responses"), ("put", "/surveys/424242/responses")):
        kwargs = {"json": {"answers": []}} if method != "get" else {}
        _error(getattr(client, method)(f"{API}{path}", headers=headers, **kwargs), 404, "not_found")


def test_builder_problems_name_the_body_field(client, bearer, official, resident):
    bad = {"title": "", "questions": [{"type": "single", "text": "Pilih", "choices": ["Satu"]},
                                      {"type": "emoji", "text": "?"}]}
    error = _error(client.post(f"{API}/surveys", headers=bearer(official), json=bad), 422)
    assert {"title", "questions.0.choices", "questions.1.type"} <= set(error["fields"])
    _error(client.post(f"{API}/surveys", headers=bearer(official), json={"title": "x", "questions": "q"}), 422)
    _error(client.post(f"{API}/surveys", headers=bearer(resident), json={"title": "x", "questions": QUESTIONS}), 403)
    _error(client.post(f"{API}/surveys", json={"title": "x", "questions": QUESTIONS}), 401)


def test_results_are_403_for_the_public_until_closed(client, bearer, created, official, resident):
    url = f"{API}/surveys/{created['id']}/results"
    _error(client.get(url), 403)
    _error(client.get(url, headers=bearer(resident)), 403)
    _error(client.get(f"{url}?breakdown=shoe-size", headers=bearer(official)), 422)
    assert client.get(f"{url}?breakdown=kecamatan", headers=bearer(official)).status_code == 200
    client.post(f"{API}/surveys/{created['id']}/close", headers=bearer(official))
    assert client.get(url).status_code == 200


def test_exports_are_anonymized_and_formula_safe(client, bearer, created, resident, official):
    client.post(f"{API}/surveys/{created['id']}/responses", headers=bearer(resident), json=_answers(created))
    headers = bearer(official)
    raw = client.get(f"{API}/surveys/{created['id']}/export?format=csv", headers=headers)
    assert raw.status_code == 200 and raw.headers["Cache-Control"] == "no-store"
    assert "attachment" in raw.headers["Content-Disposition"]
    text = raw.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 2 and rows[1][0].startswith("R-")
    assert resident.email not in text and resident.display_name not in text
    assert "'=HYPERLINK" in text  # neutralised: starts with an apostrophe
    document = json.loads(client.get(f"{API}/surveys/{created['id']}/export?format=json",
                                     headers=headers).get_data(as_text=True))
    assert document["results"]["responses"] == 1 and len(document["responses"]) == 1
    workbook = client.get(f"{API}/surveys/{created['id']}/export?format=xlsx", headers=headers).data
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets"))
    assert "<f>" not in sheets
    pdf = client.get(f"{API}/surveys/{created['id']}/export?format=pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    _error(client.get(f"{API}/surveys/{created['id']}/export?format=doc", headers=headers), 422)
    _error(client.get(f"{API}/surveys/{created['id']}/export?format=csv", headers=bearer(resident)), 403)


def test_the_openapi_document_describes_the_survey_routes(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for path in ("/surveys", "/surveys/{survey_id}", "/surveys/{survey_id}/responses",
                 "/surveys/{survey_id}/results", "/policies/{policy_id}/surveys"):
        assert path in paths
    assert {"post", "put"} <= set(paths["/surveys/{survey_id}/responses"])


def test_answering_is_rate_limited(make_app, bearer, created, resident):
    import time

    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute",
                       RATELIMIT_KEY_PREFIX=f"surveys-{time.time_ns()}").test_client()
    url = f"{API}/surveys/{created['id']}/responses"
    headers = bearer(resident)
    assert limited.put(url, headers=headers, json=_answers(created)).status_code == 200
    assert limited.put(url, headers=headers, json=_answers(created)).status_code == 200
    _error(limited.put(url, headers=headers, json=_answers(created)), 429, "rate_limited")
