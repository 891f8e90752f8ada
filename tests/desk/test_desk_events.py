"""Desk event registrations: a resident without an account gets a seat (or a waiting-list place) and a receipt.

Service (consent, waiting list, past and cancelled events, the guest row
for the organizers), the pages without JavaScript (choose an event, the
form, the receipt, the queue), the API, and following the receipt by code.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.desk.conftest import resident_details
from tests.events.conftest import make_event  # noqa: F401  (fixture)

from forum import receipt_codes
from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import DeskSubmission, EventRegistration
from forum.services import desk, desk_tracking, event_registrations, events

FORM = {"resident_name": "Ibu Siti Aminah", "phone": "0812 3456 7890", "kelurahan": "pondok-aren.pondok-betung",
        "consent": "y"}
RESIDENT = {"name": "Ibu Siti Aminah", "phone": "0812 3456 7890", "kelurahan": "pondok-aren.pondok-betung",
            "consent": True}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# -- service -----------------------------------------------------------------------------------
def test_registers_the_resident_as_a_guest_with_a_receipt(officer, make_event):
    event = make_event()
    submission = desk.register_for_event(officer, resident_details(phone="0812-3456-7890"), event)
    registration = submission.event_registration
    assert submission.kind == "event" and receipt_codes.is_valid(submission.receipt_code)
    assert submission.consent_version == desk.CONSENT_VERSION and submission.content_id is None
    assert registration.status == "confirmed" and registration.user_id is None
    assert registration.guest_name == "Ibu Siti Aminah" and registration.guest_phone == "0812-3456-7890"
    assert registration.registered_by_id == officer.id
    assert submission.phone_digest == desk.phone_digest("081234567890")


def test_no_consent_is_422_and_saves_nothing(officer, make_event):
    event = make_event()
    with pytest.raises(ValidationFailed) as refused:
        desk.register_for_event(officer, resident_details(consent=False), event)
    assert "consent" in refused.value.fields
    assert _count(EventRegistration) == 0 and _count(DeskSubmission) == 0


def test_a_full_event_puts_the_resident_on_the_waiting_list(officer, make_event):
    event = make_event(capacity=1)
    first = desk.register_for_event(officer, resident_details(), event)
    second = desk.register_for_event(officer, resident_details(name="Pak Karta"), event)
    assert first.event_registration.status == "confirmed"
    assert second.event_registration.status == "waitlisted"
    assert event_registrations.waitlist_place(second.event_registration) == 1
    assert str(desk_tracking.seat_label(second.event_registration)) == "Dalam daftar tunggu, nomor 1"


@pytest.mark.parametrize("code", ["past", "cancelled"])
def test_past_and_cancelled_events_are_409_and_save_nothing(officer, make_event, official, code):
    if code == "past":
        event = make_event(starts_in=-timedelta(hours=1))
    else:
        event = make_event()
        events.cancel_event(official, event, "Hujan deras")
    with pytest.raises(Conflict) as refused:
        desk.register_for_event(officer, resident_details(), event)
    assert refused.value.code == code
    assert _count(EventRegistration) == 0 and _count(DeskSubmission) == 0


def test_only_desk_officers_of_the_residents_kelurahan(officer, other_officer, resident, make_event):
    event = make_event()
    with pytest.raises(Forbidden):
        desk.register_for_event(other_officer, resident_details(), event)
    with pytest.raises(Forbidden):
        desk.register_for_event(resident, resident_details(), event)
    assert _count(EventRegistration) == 0


def test_desk_officers_may_register_guests_but_not_manage_events(officer, resident, make_event):
    event = make_event()
    assert events.can(officer, "event.register_guest", event)
    assert not events.can(officer, "event.manage", event)
    assert not events.can(resident, "event.register_guest", event)


def test_upcoming_events_put_the_desks_kecamatan_first(officer, make_event):
    make_event(title="Di Serpong", kelurahan="serpong.cilenggang", starts_in=timedelta(days=1))
    make_event(title="Di Pondok Aren", kelurahan="pondok-aren.pondok-kacang-timur", starts_in=timedelta(days=5))
    make_event(title="Sudah lewat", starts_in=-timedelta(hours=1))
    assert [event.title for event in desk.upcoming_events(officer)] == ["Di Pondok Aren", "Di Serpong"]


def test_tracking_an_event_receipt_and_a_cancelled_seat(officer, official, make_event):
    event = make_event(capacity=1)
    desk.register_for_event(officer, resident_details(), event)
    waiting = desk.register_for_event(officer, resident_details(name="Pak Karta"), event)
    tracked = desk_tracking.track(waiting.receipt_code)
    assert tracked.event.id == event.id and tracked.status == "waitlisted" and tracked.waitlist_place == 1
    event_registrations.cancel_registration(official, waiting.event_registration)
    tracked = desk_tracking.track(waiting.receipt_code)
    assert tracked.status == "cancelled" and tracked.waitlist_place is None


def test_claiming_an_event_receipt_makes_it_the_residents_own_seat(officer, resident, make_event):
    event = make_event()
    submission = desk.register_for_event(officer, resident_details(), event)
    _found, token = desk_tracking.start_claim(resident, submission.receipt_code, "0812 3456 7890")
    desk_tracking.confirm_claim(resident, token)
    assert event_registrations.own_registration(resident, event).id == submission.event_registration_id


# -- pages, JavaScript off ---------------------------------------------------------------------
def test_choose_an_event_register_and_print_the_receipt(client, login, officer, make_event):
    event = make_event(title="Sosialisasi layanan digital", capacity=1)
    make_event(title="Sudah lewat", starts_in=-timedelta(hours=1))
    login(officer)
    index = client.get("/layanan/").get_data(as_text=True)
    assert "/layanan/kegiatan" in index
    listing = client.get("/layanan/kegiatan")
    assert listing.status_code == 200
    assert f"/layanan/kegiatan/{event.id}" in listing.get_data(as_text=True)
    assert "Sudah lewat" not in listing.get_data(as_text=True)
    form = client.get(f"/layanan/kegiatan/{event.id}")
    assert form.status_code == 200 and 'name="consent"' in form.get_data(as_text=True)
    response = client.post(f"/layanan/kegiatan/{event.id}", data=FORM)
    assert response.status_code == 302
    submission = db.session.scalar(select(DeskSubmission))
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{submission.receipt_code[:4]}-{submission.receipt_code[4:]}" in receipt
    assert "Sosialisasi layanan digital" in receipt and "Aula Kelurahan" in receipt and "WIB" in receipt
    assert "Kursi terkonfirmasi" in receipt
    details = client.get(f"/layanan/kiriman/{submission.id}").get_data(as_text=True)
    assert f"/kegiatan/{event.id}" in details and "Kursi terkonfirmasi" in details
    full = client.get(f"/layanan/kegiatan/{event.id}").get_data(as_text=True)
    assert "daftar tunggu" in full
    client.post(f"/layanan/kegiatan/{event.id}", data={**FORM, "resident_name": "Pak Karta"})
    queue = client.get("/layanan/").get_data(as_text=True)
    assert "Pak Karta" in queue and "Dalam daftar tunggu, nomor 1" in queue


def test_refused_consent_and_a_past_event_re_render_the_form(client, login, officer, make_event):
    event, past = make_event(), make_event(starts_in=-timedelta(hours=1))
    login(officer)
    refused = client.post(f"/layanan/kegiatan/{event.id}", data={**FORM, "consent": ""})
    assert refused.status_code == 422
    assert "Ibu Siti Aminah" in refused.get_data(as_text=True)
    closed = client.post(f"/layanan/kegiatan/{past.id}", data=FORM)
    assert closed.status_code == 409 and "Ibu Siti Aminah" in closed.get_data(as_text=True)
    assert _count(DeskSubmission) == 0


def test_residents_cannot_open_the_event_pages(client, login, resident, make_event):
    event = make_event()
    login(resident)
    assert client.get("/layanan/kegiatan").status_code == 403
    assert client.get(f"/layanan/kegiatan/{event.id}").status_code == 403


def test_track_page_shows_the_event_and_the_seat(client, officer, make_event):
    event = make_event(title="Sosialisasi layanan digital")
    submission = desk.register_for_event(officer, resident_details(), event)
    page = client.get(f"/lacak?kode={submission.receipt_code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sosialisasi layanan digital" in text and f"/kegiatan/{event.id}" in text
    assert re.search(r'class="tracked-status">Kursi terkonfirmasi<', text)
    assert "Ibu Siti Aminah" not in text and "0812" not in text


# -- API ---------------------------------------------------------------------------------------
def test_api_registers_and_tracks(client, officer, bearer, make_event):
    event = make_event(capacity=1)
    desk.register_for_event(officer, resident_details(name="Pak Karta"), event)
    response = client.post(f"/api/v1/desk/events/{event.id}/registrations", json={"resident": RESIDENT},
                           headers=bearer(officer))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "event" and body["status"] == "waitlisted" and len(body["code"]) == 8
    assert body["registration"]["waitlist_position"] == 1 and body["event"]["id"] == event.id
    assert response.headers["Location"].endswith(f"/api/v1/track/{body['code']}")
    tracked = client.get(f"/api/v1/track/{body['code']}").get_json()
    assert tracked["event"]["id"] == event.id and tracked["event"]["address"] == "Aula Kelurahan"
    assert tracked["registration"] == {"status": "waitlisted", "waitlist_position": 1}
    assert tracked["kind"] == "event" and "Pak Karta" not in str(tracked)


def test_api_refusals(client, officer, resident, bearer, make_event):
    event, past = make_event(), make_event(starts_in=-timedelta(hours=1))
    url = f"/api/v1/desk/events/{event.id}/registrations"
    no_consent = client.post(url, json={"resident": {**RESIDENT, "consent": False}}, headers=bearer(officer))
    assert no_consent.status_code == 422 and "resident.consent" in no_consent.get_json()["error"]["fields"]
    closed = client.post(f"/api/v1/desk/events/{past.id}/registrations", json={"resident": RESIDENT},
                         headers=bearer(officer))
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "past"
    assert client.post(url, json={"resident": RESIDENT}, headers=bearer(resident)).status_code == 403
    assert client.post("/api/v1/desk/events/999999/registrations", json={"resident": RESIDENT},
                       headers=bearer(officer)).status_code == 404
    assert _count(DeskSubmission) == 0 and _count(EventRegistration) == 0
