"""The moderation API: POST /content/{id}/flags, GET /moderation/queue, POST /moderation/items/{id}/decision."""
import pytest

from forum.models import Role
from tests.factories import make_comment, make_policy


@pytest.fixture
def posted(agency, resident):
    return make_comment(make_policy(agency), resident, body="Sampah menumpuk di pasar.")


def _error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()["error"]
    if code:
        assert body["code"] == code
    return body


def test_flag_then_bad_flags(client, bearer, make_user, resident, posted):
    flagger = bearer(make_user(Role.RESIDENT))
    created = client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "spam"}, headers=flagger)
    assert created.status_code == 201
    assert created.get_json()["weight"] == 1.0 and created.get_json()["content_status"] == "published"
    _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "spam"}, headers=flagger),
           409, "already_flagged")
    _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "spam"}, headers=bearer(resident)),
           403, "own_content")
    unknown = _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "meh"},
                                 headers=bearer(make_user(Role.RESIDENT))), 422)
    assert "reason" in unknown["fields"]
    _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": 7},
                       headers=bearer(make_user(Role.RESIDENT))), 422)
    _error(client.post("/api/v1/content/999999/flags", json={"reason": "spam"}, headers=flagger), 404)
    _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "spam"}), 401)


def test_queue_and_decisions(client, bearer, make_user, moderator, posted):
    mod = bearer(moderator)
    client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "abusive"}, headers=mod)
    _error(client.get("/api/v1/moderation/queue", headers=bearer(make_user(Role.RESIDENT))), 403)
    _error(client.get("/api/v1/moderation/queue?tab=nope", headers=mod), 422)
    queue = client.get("/api/v1/moderation/queue?tab=hidden&sort=score", headers=mod).get_json()
    assert queue["total"] == 1 and queue["items"][0]["content_id"] == posted.id
    item = queue["items"][0]
    assert "remove" in item["actions"]
    url = f"/api/v1/moderation/items/{item['id']}/decision"
    _error(client.post(url, json={"action": "remove", "reason": "x"}, headers=bearer(make_user(Role.RESIDENT))), 403)
    _error(client.post(url, json={"action": "explode"}, headers=mod), 422)
    _error(client.post(url, json={"action": "remove"}, headers=mod), 422)  # reason required
    _error(client.post(url, json={"action": "remove", "reason": "x", "version": item["version"] + 5},
                       headers=mod), 409, "stale")
    decided = client.post(url, json={"action": "remove", "reason": "Kasar", "version": item["version"]},
                          headers=mod)
    assert decided.status_code == 200 and decided.get_json()["decision"] == "remove"
    _error(client.post(url, json={"action": "restore", "reason": "x"}, headers=mod), 409, "already_decided")
    _error(client.post(f"/api/v1/content/{posted.id}/flags", json={"reason": "spam"},
                       headers=bearer(make_user(Role.RESIDENT))), 409, "removed")


def test_openapi_lists_the_moderation_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/content/{content_id}/flags" in paths
    assert "/moderation/queue" in paths
    assert "/moderation/items/{item_id}/decision" in paths
