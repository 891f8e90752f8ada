"""The events API: list and read, schedule, register and cancel one's own seat, minutes with points."""
from datetime import timedelta

from forum.models import Comment, Role
from forum.services import event_registrations
from forum.timeutil import utcnow
from tests.factories import make_policy


def event_body(**fields):
    starts = utcnow() + timedelta(days=5)
    body = {"title": "Pelatihan literasi digital", "kind": "digital_literacy", "kelurahan": "serpong.cilenggang",
            "address": "Balai Warga", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "capacity": 1, "latitude": -6.3, "longitude": 106.7}
    body.update(fields)
    return body


def test_official_schedules_and_anyone_reads(client, official, bearer):
    response = client.post("/api/v1/events", json=event_body(), headers=bearer(official))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["kecamatan"] == "serpong" and created["seats_left"] == 1 and created["latitude"] == "-6.300000"
    assert created["ics_url"].endswith(f"/kegiatan/{created['id']}.ics")
    assert client.get(f"/api/v1/events/{created['id']}").get_json()["title"] == "Pelatihan literasi digital"
    listed = client.get("/api/v1/events?kecamatan=serpong&when=upcoming&kind=digital_literacy").get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
    assert client.get("/api/v1/events?when=past").get_json()["total"] == 0
    assert client.get("/api/v1/events?kind=party").status_code == 422
    assert client.get("/api/v1/events/999999").status_code == 404


def test_schedule_errors(client, official, resident, bearer):
    response = client.post("/api/v1/events", json=event_body(ends_at=(utcnow() - timedelta(days=1)).isoformat()),
                           headers=bearer(official))
    assert response.status_code == 422 and "ends_at" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/events", json=event_body(capacity="ten", title=7), headers=bearer(official))
    assert response.status_code == 422 and {"capacity", "title"} <= set(response.get_json()["error"]["fields"])
    assert client.post("/api/v1/events", json=event_body(), headers=bearer(resident)).status_code == 403
    assert client.post("/api/v1/events", json=event_body()).status_code == 401


def test_register_waitlist_and_cancel_me(client, official, make_user, bearer):
    event_id = client.post("/api/v1/events", json=event_body(), headers=bearer(official)).get_json()["id"]
    first, second = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    response = client.post(f"/api/v1/events/{event_id}/registrations", headers=bearer(first))
    assert response.status_code == 201 and response.get_json()["status"] == "confirmed"
    again = client.post(f"/api/v1/events/{event_id}/registrations", headers=bearer(first))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_registered"
    waiting = client.post(f"/api/v1/events/{event_id}/registrations", headers=bearer(second)).get_json()
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    assert "daftar tunggu" in waiting["message"]
    response = client.delete(f"/api/v1/events/{event_id}/registrations/me", headers=bearer(first))
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert client.delete(f"/api/v1/events/{event_id}/registrations/me", headers=bearer(first)).status_code == 404
    from forum.services import events

    mine = event_registrations.own_registration(second, events.get_event(event_id))
    assert mine.status == "confirmed"


def test_past_event_registration_is_409(client, make_event, resident, bearer):
    past = make_event(starts_in=-timedelta(hours=1))
    response = client.post(f"/api/v1/events/{past.id}/registrations", headers=bearer(resident))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "past"


def test_minutes_with_points(client, official, agency, make_event, bearer):
    policy = make_policy(agency)
    section = policy.current_version.sections[0]
    upcoming = make_event(policy_id=policy.id)
    response = client.post(f"/api/v1/events/{upcoming.id}/minutes", json={"minutes": "Notulen"},
                           headers=bearer(official))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_ended"
    event = make_event(starts_in=-timedelta(days=1), policy_id=policy.id)
    bad = {"minutes": "Notulen", "points": [{"body": "Baik", "stance": "support", "agreed_count": 3},
                                            {"body": "Kurang", "stance": "maybe", "agreed_count": 2}]}
    response = client.post(f"/api/v1/events/{event.id}/minutes", json=bad, headers=bearer(official))
    assert response.status_code == 422 and "points.1.stance" in response.get_json()["error"]["fields"]
    assert Comment.query.filter_by(event_id=event.id).count() == 0  # nothing half-written
    body = {"minutes": "Notulen rapat", "attendance": {"total": 30, "gender": {"female": 16, "male": 14}},
            "points": [{"body": "Perlu loket bantuan", "stance": "oppose", "section_id": section.id,
                        "agreed_count": 9}]}
    response = client.post(f"/api/v1/events/{event.id}/minutes", json=body, headers=bearer(official))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["event"]["attendance"]["gender"] == {"female": 16, "male": 14}
    point = data["points"][0]
    assert point["channel"] == "face_to_face" and point["agreed_count"] == 9 and point["author"] is None
    assert point["event_id"] == event.id


def test_openapi_lists_the_event_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/events"]) and "delete" in paths["/events/{event_id}/registrations/me"]
    assert "post" in paths["/events/{event_id}/minutes"] and "get" in paths["/events/{event_id}"]
