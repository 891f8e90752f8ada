"""The desk API: submit for residents, the queue, consent and kelurahan checks, and receipt tracking."""
from sqlalchemy import func, select

from tests.factories import make_policy
from tests.surveys.conftest import full_answers

from forum.extensions import db
from forum.models import Content, DeskSubmission
from forum.receipt_codes import check_character
from forum.services import aspirations as aspiration_service

RESIDENT = {"name": "Ibu Siti Aminah", "phone": "0812 3456 7890", "kelurahan": "pondok-aren.pondok-betung",
            "consent": True}
ASPIRATION = {"kind": "complaint", "title": "Lampu jalan padam di gang masjid",
              "body": "Sudah dua minggu lampu jalan padam.", "category": "kebencanaan", "visibility": "public"}


def _error(response, status, code):
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    return response.get_json()["error"]


def test_desk_aspiration_then_track_it_until_answered(client, officer, bearer, staff):
    response = client.post("/api/v1/desk/aspirations", json={**ASPIRATION, "resident": RESIDENT,
                                                              "from_paper_form": True}, headers=bearer(officer))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "aspiration" and body["from_paper_form"] is True and len(body["code"]) == 8
    assert "Pondok Betung" in body["aspiration"]["author"]["display_name"]
    tracked = client.get(f"/api/v1/track/{body['code'].lower()}").get_json()
    assert tracked["status"] == "submitted" and tracked["aspiration"] is None
    aspiration = db.session.get(Content, body["aspiration"]["id"])
    aspiration_service.transition(staff["moderator"], aspiration, "verified")
    aspiration_service.transition(staff["moderator"], aspiration, "forwarded", agency="diskominfo")
    aspiration_service.transition(staff["official"], aspiration, "answered", note="Lampu sudah diganti.")
    tracked = client.get(f"/api/v1/track/{body['code'][:4]}-{body['code'][4:]}").get_json()
    assert tracked["status"] == "answered"
    assert any(step["note"] == "Lampu sudah diganti." for step in tracked["aspiration"]["timeline"])


def test_missing_consent_is_422_and_nothing_is_saved(client, officer, bearer):
    response = client.post("/api/v1/desk/aspirations", json={**ASPIRATION, "resident": {**RESIDENT, "consent": False}},
                           headers=bearer(officer))
    error = _error(response, 422, "validation_error")
    assert "resident.consent" in error["fields"]
    assert db.session.scalar(select(func.count()).select_from(Content)) == 0
    assert db.session.scalar(select(func.count()).select_from(DeskSubmission)) == 0


def test_officer_of_another_kelurahan_is_403(client, other_officer, bearer):
    response = client.post("/api/v1/desk/aspirations", json={**ASPIRATION, "resident": RESIDENT},
                           headers=bearer(other_officer))
    _error(response, 403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(Content)) == 0


def test_residents_may_not_use_the_desk_api(client, resident, bearer):
    _error(client.get("/api/v1/desk/submissions", headers=bearer(resident)), 403, "forbidden")
    _error(client.get("/api/v1/desk/submissions"), 401, "not_authenticated")


def test_desk_comment_and_survey_answer_and_the_queue(client, officer, other_officer, bearer, agency, survey):
    policy = make_policy(agency)
    section = policy.current_version.sections[1]
    response = client.post("/api/v1/desk/comments", json={
        "policy_id": policy.id, "section_id": section.id, "body": "Saya tidak setuju.", "stance": "oppose",
        "resident": RESIDENT}, headers=bearer(officer))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["comment"]["stance"] == "oppose"
    answers = [{"question_id": question_id, **entry} for question_id, entry in full_answers(survey).items()]
    response = client.post(f"/api/v1/desk/surveys/{survey.id}/responses",
                           json={"answers": answers, "resident": RESIDENT}, headers=bearer(officer))
    assert response.status_code == 201, response.get_json()
    queue = client.get("/api/v1/desk/submissions", headers=bearer(officer)).get_json()
    assert queue["total"] == 2 and {item["kind"] for item in queue["items"]} == {"comment", "survey"}
    assert client.get("/api/v1/desk/submissions", headers=bearer(other_officer)).get_json()["total"] == 0
    tracked = client.get(f"/api/v1/track/{queue['items'][1]['code']}").get_json()
    assert tracked["policy"]["id"] == policy.id and tracked["status"] == "published"


def test_track_tells_a_typo_from_an_unknown_code(client):
    body = "ABCDEFG"
    wrong = next(c for c in "23456789" if c != check_character(body))
    _error(client.get(f"/api/v1/track/{body}{wrong}"), 404, "invalid_code")
    _error(client.get(f"/api/v1/track/{body}{check_character(body)}"), 404, "not_found")


def test_track_is_rate_limited_per_address(make_app, app):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_TRACK="3 per minute")
    client = limited.test_client()
    body = "ABCDEFG"
    statuses = [client.get(f"/api/v1/track/{body}{check_character(body)}").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    response = client.get("/lacak?kode=ABCD-EFGH")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert client.get("/lacak").status_code == 200  # the empty form is not a look-up
