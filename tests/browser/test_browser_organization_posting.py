"""A member comments as their organization, in real Chromium with JavaScript off (issue 15).

`comment_as_organization` is the step a longer journey (a resident requests
an organization, an admin verifies it, a member comments as it) can reuse
once the organization is verified. The organization row is made directly
here; its lifecycle has its own browser test.
"""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Comment
from forum.timeutil import utcnow
from moderation.filters.rate import NEW_ACCOUNT_AGE
from tests.browser.steps import log_in
from tests.conftest import PASSWORD
from tests.factories import make_organization, make_policy

pytestmark = pytest.mark.browser

ORGANIZATION = "Forum Warga Peduli Pondok Betung"


def comment_as_organization(page, live_server, t, policy_id, organization_name, text):
    """On the consultation page, write `text` as `organization_name` and check how it is shown."""
    page.goto(live_server(f"/konsultasi/{policy_id}"))
    form = page.get_by_role("region", name=t("Your comment"))
    voice = form.get_by_role("group", name=t("Write as"))
    expect(voice.get_by_label(t("As myself"))).to_be_checked()
    voice.get_by_label(t("As %(name)s", name=organization_name)).check()
    form.get_by_label(t("I agree")).check()
    form.get_by_label(t("Your comment")).fill(text)
    form.get_by_role("button", name=t("Send comment")).click()
    expect(page.locator(".flashes")).to_contain_text(t("Your comment has been posted."))
    posted = page.get_by_role("article").filter(has=page.locator(".comment-body", has_text=text)).last
    expect(posted.get_by_role("link", name=organization_name)).to_be_visible()
    expect(posted).to_contain_text(t("Verified organization"))
    return posted


def test_a_member_comments_as_the_organization(live_server, make_user, agency, nojs_page, open_nojs_page, t):
    joined = utcnow() - NEW_ACCOUNT_AGE - timedelta(days=1)
    member = make_user(email="rina.marlina@example.com", password=PASSWORD, created_at=joined,
                       display_name="Rina Marlina")
    organization = make_organization(members=[member], name=ORGANIZATION)
    policy = make_policy(agency, title="Rancangan Perwali Ruang Terbuka Hijau")
    log_in(nojs_page, live_server, t, member)
    text = "Kami di forum warga mendukung tambahan taman di setiap kelurahan."
    posted = comment_as_organization(nojs_page, live_server, t, policy.id, ORGANIZATION, text)
    expect(posted).not_to_contain_text("Rina Marlina")
    db.session.expire_all()
    comment = db.session.scalars(db.select(Comment)).one()
    assert (comment.organization_id, comment.author_id) == (organization.id, member.id)

    visitor = open_nojs_page()
    visitor.goto(live_server(f"/konsultasi/{policy.id}"))
    shown = visitor.get_by_role("article").filter(has=visitor.locator(".comment-body", has_text=text))
    expect(shown.get_by_role("link", name=ORGANIZATION)).to_have_attribute("href", f"/organisasi/{organization.slug}")
    expect(visitor.locator("main")).not_to_contain_text("Rina Marlina")
