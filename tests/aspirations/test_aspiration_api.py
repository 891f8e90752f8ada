"""The aspiration API: list, one with its timeline, submit, transitions, support and responses; its errors."""
import pytest
from jsonschema import Draft202012Validator

from forum.extensions import db
from forum.models import Aspiration

API = "/api/v1"


def error_of(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if code:
        assert error["code"] == code
    return error


BODY = {"kind": "proposal", "title": "Wi-Fi publik di Taman Kota 2", "body": "Mohon dipasang Wi-Fi gratis.",
        "category": "layanan-digital", "district": "serpong.lengkong-gudang", "visibility": "anonymous"}


def test_submit_then_the_whole_workflow(client, bearer_for, resident, moderator, official, make_user, no_post_rate):
    created = client.post(f"{API}/aspirations", json=BODY, headers=bearer_for(resident))
    assert created.status_code == 201, created.get_data(as_text=True)
    data = created.get_json()
    aspiration_id = data["id"]
    assert data["status"] == "submitted" and data["kind"] == "aspiration" and data["aspiration_kind"] == "proposal"
    assert data["notices"] == [] and data["timeline"][0]["to"] == "submitted"
    assert client.get(f"{API}/aspirations/{aspiration_id}").status_code == 404  # not verified yet
    moderation = bearer_for(moderator)
    step = client.post(f"{API}/aspirations/{aspiration_id}/transitions", json={"to": "forwarded", "agency": "diskominfo",
                                                                             "note": "Urusan Diskominfo."},
                       headers=moderation)
    assert step.status_code == 200 and step.get_json()["agency"] == "diskominfo"
    public = client.get(f"{API}/aspirations/{aspiration_id}").get_json()
    assert public["author"] is None  # anonymous
    assert [event["to"] for event in public["timeline"]] == ["submitted", "forwarded"]
    assert public["timeline"][1]["by"] == {"role": "moderator", "agency": None, "name": None}
    supporter = bearer_for(make_user())
    assert client.post(f"{API}/content/{aspiration_id}/votes", json={"value": "up"}, headers=supporter).get_json() \
        == {"value": "up", "counters": {"up": 1, "down": 0}}
    error_of(client.post(f"{API}/content/{aspiration_id}/votes", json={"value": "up"}, headers=supporter),
             409, "already_supported")
    error_of(client.post(f"{API}/content/{aspiration_id}/votes", json={"value": "down"}, headers=supporter), 422)
    answer = client.post(f"{API}/content/{aspiration_id}/responses", json={"body": "Akan dipasang bulan depan."},
                         headers=bearer_for(official))
    assert answer.status_code == 201 and answer.get_json()["is_official_response"] is True
    assert client.get(f"{API}/aspirations/{aspiration_id}").get_json()["status"] == "answered"
    closing = client.post(f"{API}/aspirations/{aspiration_id}/transitions", json={"to": "closed"},
                          headers=bearer_for(resident))
    assert closing.get_json()["status"] == "closed"


@pytest.mark.parametrize("change, field", [
    ({"category": "unknown"}, "category"), ({"district": "pondok-aren"}, "district"),
    ({"kind": "gossip"}, "kind"), ({"visibility": 3}, "visibility"), ({"title": ["x"]}, "title"),
    ({"body": ""}, "body"),
])
def test_submit_bad_fields(client, bearer_for, resident, change, field):
    error = error_of(client.post(f"{API}/aspirations", json={**BODY, **change}, headers=bearer_for(resident)), 422)
    assert field in error["fields"]
    assert db.session.query(Aspiration).count() == 0


def test_submit_needs_a_resident_token(client, bearer_for, official):
    error_of(client.post(f"{API}/aspirations", json=BODY), 401)
    error_of(client.post(f"{API}/aspirations", json=BODY, headers=bearer_for(official)), 403)


def test_transition_errors(client, bearer_for, aspiration_in, resident, moderator, official, other_official):
    aspiration = aspiration_in("forwarded")
    url = f"{API}/aspirations/{aspiration.id}/transitions"
    error_of(client.post(url, json={"to": "verified"}, headers=bearer_for(moderator)), 409, "wrong_state")
    error_of(client.post(url, json={"to": "in_progress"}, headers=bearer_for(resident)), 403)
    error_of(client.post(url, json={"to": "in_progress"}, headers=bearer_for(other_official)), 403)
    error_of(client.post(url, json={"to": "flying"}, headers=bearer_for(official)), 422)
    error_of(client.post(url, json={"to": 5}, headers=bearer_for(official)), 422)
    error_of(client.post(url, json={"to": "answered", "note": ""}, headers=bearer_for(official)), 422)
    error_of(client.post(url, json={"to": "forwarded", "agency": "dbmsda"}, headers=bearer_for(official)), 422)
    error_of(client.post(f"{API}/aspirations/999999/transitions", json={"to": "closed"}, headers=bearer_for(official)),
             404)
    assert client.post(url, json={"to": "in_progress"}, headers=bearer_for(official)).status_code == 200


def test_list_filters_and_errors(client, aspiration_in):
    shown = aspiration_in("forwarded", district="setu.babakan", category="lingkungan")
    aspiration_in("forwarded", visibility="confidential")
    aspiration_in("submitted")
    items = client.get(f"{API}/aspirations").get_json()
    assert [item["id"] for item in items["items"]] == [shown.id] and items["total"] == 1
    assert client.get(f"{API}/aspirations?district=setu&status=forwarded&category=lingkungan&agency=diskominfo"
                      ).get_json()["total"] == 1
    assert client.get(f"{API}/aspirations?district=ciputat").get_json()["total"] == 0
    error = error_of(client.get(f"{API}/aspirations?status=bogus&district=nowhere&category=%00"), 422)
    assert {"status", "district", "category"} <= set(error["fields"])


def test_answers_match_the_openapi_schema(client, aspiration_in):
    aspiration = aspiration_in("answered")
    document = client.get(f"{API}/openapi.json").get_json()
    validator = Draft202012Validator({"$ref": "#/components/schemas/Aspiration", "components": document["components"]})
    validator.validate(client.get(f"{API}/aspirations/{aspiration.id}").get_json())
    for item in client.get(f"{API}/aspirations").get_json()["items"]:
        validator.validate(item)
    assert "/aspirations/{aspiration_id}/transitions" in document["paths"]
