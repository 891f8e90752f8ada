"""The organization journey in real Chromium with JavaScript off, with real CSRF.

A resident requests an organization with its supporting document; an admin
finds it first in the verification queue, opens the private document's link
and verifies it; the profile then shows the verified badge to everyone, and
the founder was notified and now comments on a consultation as the
organization. Selectors go through `t()`, the msgids the
templates use, rendered in the default language.
"""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Notification, Organization, Role
from forum.timeutil import utcnow
from moderation.filters.rate import NEW_ACCOUNT_AGE
from tests.browser.steps import log_in
from tests.browser.test_browser_organization_posting import comment_as_organization
from tests.conftest import PASSWORD
from tests.factories import make_policy
from tests.organizations.conftest import PDF

pytestmark = pytest.mark.browser

NAME = "Komunitas Taman Baca Rempoa"


def test_request_verify_and_comment_as_the_organization_without_javascript(
        live_server, nojs_page, open_nojs_page, t, make_user, agency, tmp_path):
    # An account past the screen's new-account hold, so its comment publishes at once.
    resident = make_user(Role.RESIDENT, password=PASSWORD, created_at=utcnow() - NEW_ACCOUNT_AGE - timedelta(days=1))
    admin = make_user(Role.ADMIN, password=PASSWORD)
    document = tmp_path / "sk-kelurahan.pdf"
    document.write_bytes(PDF)

    # The resident requests it from the directory, with the supporting document.
    page = nojs_page
    log_in(page, live_server, t, resident)
    page.goto(live_server("/organisasi/"))
    page.get_by_role("link", name=t("Register an organization")).first.click()
    page.get_by_label(t("Name of the organization")).fill(NAME)
    page.get_by_label(t("Kind of organization")).select_option("community")
    page.get_by_label(t("Where it works")).select_option("ciputat-timur.rempoa")
    page.get_by_label(t("What the organization does")).fill("Taman baca gratis untuk anak-anak RW 03.")
    page.get_by_label(t("Contact for the verifiers (not public)")).fill("0812 3456 7890")
    page.get_by_label(t("Supporting document (PDF or JPEG)")).set_input_files(str(document))
    page.get_by_role("button", name=t("Send the request")).click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("main")).to_contain_text(t("Waiting for verification"))

    # The admin verifies it from the queue, where requests come first.
    staff = open_nojs_page()
    log_in(staff, live_server, t, admin)
    staff.goto(live_server("/organisasi/verifikasi"))
    staff.locator(".card-list li").first.get_by_role("link", name=NAME).click()
    expect(staff.locator("main")).to_contain_text("0812 3456 7890")
    expect(staff.get_by_role("link", name=t("Download the document (private)"))).to_be_visible()
    staff.get_by_label(t("Verify"), exact=True).check()
    staff.get_by_role("button", name=t("Save the decision")).click()
    expect(staff.locator(".flashes")).to_contain_text(t("Verify"))

    # Everyone now sees the profile with the verified badge; the founder was told.
    organization = db.session.scalars(db.select(Organization).where(Organization.name == NAME)).one()
    visitor = open_nojs_page()
    visitor.goto(live_server(f"/organisasi/{organization.slug}"))
    expect(visitor.locator(".badge-verified")).to_have_text(t("Verified organization"))
    expect(visitor.locator("main")).not_to_contain_text("0812 3456 7890")
    visitor.goto(live_server("/organisasi/"))
    expect(visitor.get_by_role("link", name=NAME)).to_be_visible()
    db.session.expire_all()
    told = db.session.scalars(db.select(Notification.event).where(Notification.user_id == resident.id)).all()
    assert told == ["organization_verified"]

    # The founder comments on a consultation as the organization: the organization is the author shown.
    policy = make_policy(agency, title="Rancangan Perwali Taman Baca")
    posted = comment_as_organization(page, live_server, t, policy.id, NAME, "Kami siap mengelola taman baca.")
    expect(posted).not_to_contain_text(resident.display_name)
