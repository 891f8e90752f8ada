"""Events in Chromium with JavaScript off: a resident registers; after the meeting the official publishes
the minutes with a point raised there; the consultation's summary shows the face-to-face channel."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Event
from forum.services import events
from forum.timeutil import utcnow
from tests.browser.steps import log_in
from tests.factories import make_policy

pytestmark = pytest.mark.browser


def test_register_then_minutes_with_a_point_reach_the_summary(nojs_page, live_server, t, resident, official,
                                                              agency):
    page = nojs_page
    policy = make_policy(agency, title="Rancangan Perwali Layanan Digital")
    starts = utcnow() + timedelta(days=2)
    event = events.create_event(official, title="Konsultasi tatap muka Pondok Betung", kind="consultation",
                                kelurahan="pondok-aren.pondok-betung", address="Aula Kelurahan", capacity=20,
                                starts_at=starts, ends_at=starts + timedelta(hours=2), policy_id=policy.id)

    log_in(page, live_server, t, resident)
    page.goto(live_server("/kegiatan/"))
    page.get_by_role("link", name="Konsultasi tatap muka Pondok Betung").click()
    page.get_by_role("button", name=t("Register for a seat")).click()
    expect(page.locator(".flashes")).to_contain_text(t("You are registered: your seat is confirmed."))
    expect(page.locator("main")).to_contain_text(t("%(left)d of %(capacity)d seats left", left=19, capacity=20))
    page.get_by_role("button", name=t("Log out")).click()

    # The meeting takes place.
    row = db.session.get(Event, event.id)
    row.starts_at, row.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.session.commit()

    log_in(page, live_server, t, official)
    page.goto(live_server(f"/kegiatan/{event.id}"))
    page.get_by_role("link", name=t("Attendance, minutes and meeting points")).click()
    page.get_by_label(t("Minutes (notulen, Markdown)")).fill("Warga membahas pasal 1.")
    page.get_by_label(t("People who attended")).fill("18")
    page.get_by_role("button", name=t("Publish the minutes")).click()
    expect(page.locator(".flashes")).to_contain_text(t("The minutes are published."))
    page.get_by_role("link", name=t("Attendance, minutes and meeting points")).click()
    page.get_by_label(t("Clause")).select_option(label="1. Pasal 1")
    page.get_by_label(t("Stance")).select_option(label=t("Disagree"))
    page.get_by_label(t("The point raised")).fill("Loket bantuan harus tetap ada untuk lansia.")
    page.get_by_label(t("People at the meeting who agreed")).fill("11")
    page.get_by_role("button", name=t("Add the point")).click()
    expect(page.locator(".flashes")).to_contain_text(
        t("The point is added to the consultation as input from the meeting."))

    page.goto(live_server(f"/konsultasi/{policy.id}/ringkasan"))
    section = page.locator("section", has=page.get_by_role("heading", name=t("Online and face-to-face input")))
    row = section.locator("tbody tr", has=page.get_by_role("rowheader", name=t("Face to face")))
    expect(row.first).to_contain_text("11")
    expect(section.get_by_role("img", name=t(
        "Stance per clause and channel: against to the left, in support to the right"))).to_be_visible()
