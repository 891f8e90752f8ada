"""organization_activity: an organization's public comments, aspirations and supports, newest first, paged."""
import pytest

from forum.models import ContentStatus
from forum.services import aspirations, votes, writing
from forum.services.organization_activity import organization_activity
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401


@pytest.fixture
def organization(resident, make_user):
    return make_organization(members=[resident], admins=[make_user()])


def test_public_activity_newest_first_and_paged(resident, make_user, moderator, organization, agency, no_post_rate):
    policy = make_policy(agency)
    first = writing.write(resident, policy, body="Kami mendukung.", stance="support",
                          as_organization=organization.id)
    hidden = writing.write(resident, policy, body="Satu lagi.", stance="neutral", as_organization=organization.id)
    hidden.status = ContentStatus.HIDDEN
    writing.write(resident, policy, body="Pendapat pribadi.", stance="oppose")  # not the organization's
    votes.vote_on_policy(resident, policy, "support", as_organization=organization.id)
    aspiration = aspirations.submit_aspiration(
        make_user(), aspiration_type="proposal", title="Taman bermain di RW 02", body="Belum ada taman.",
        category="kebencanaan", district="pondok-aren.pondok-betung", visibility="public")
    aspirations.transition(moderator, aspiration, "verified")
    aspirations.support(resident, aspiration, as_organization=organization.id)
    own = aspirations.submit_aspiration(
        resident, aspiration_type="proposal", title="Bank sampah RW 05", body="Kami kelola.",
        category="kebencanaan", district="pondok-aren.pondok-betung", visibility="public",
        as_organization=organization.id)  # not verified yet: not public
    activity = organization_activity(organization, 1)
    assert [item.kind for item in activity.items] == ["support", "vote", "comment"]
    assert activity.items[0].content == aspiration and activity.items[2].content == first
    assert activity.total == 3 and not activity.has_next
    aspirations.transition(moderator, own, "verified")
    paged = organization_activity(organization, 1, per_page=2)
    assert paged.total == 4 and paged.has_next and [item.kind for item in paged.items] == ["aspiration", "support"]
    assert [item.kind for item in organization_activity(organization, 2, per_page=2).items] == ["vote", "comment"]


def test_the_writer_only_for_the_organizations_admins(resident, make_user, organization, agency, no_post_rate):
    writing.write(resident, make_policy(agency), body="Kami mendukung.", stance="support",
                  as_organization=organization.id)
    chair = next(member.user for member in organization.members if member.role == "admin")
    assert organization_activity(organization, viewer=chair).items[0].written_by == resident
    assert organization_activity(organization, viewer=make_user()).items[0].written_by is None
    assert organization_activity(organization).items[0].written_by is None


def test_the_profile_lists_the_activity_and_the_writer_only_for_its_admins(
        client, login, resident, make_user, organization, agency, no_post_rate):
    policy = make_policy(agency)
    comment = writing.write(resident, policy, body="Kami mendukung jalur sepeda.", stance="support",
                            as_organization=organization.id)
    page = client.get(f"/organisasi/{organization.slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kiriman dan dukungan" in html and f"/konsultasi/{policy.id}#comment-{comment.id}" in html
    assert resident.display_name not in html
    login(next(member.user for member in organization.members if member.role == "admin"))
    assert resident.display_name in client.get(f"/organisasi/{organization.slug}").get_data(as_text=True)


def test_a_profile_without_posts_says_so(client, organization):
    html = client.get(f"/organisasi/{organization.slug}").get_data(as_text=True)
    assert "Organisasi ini belum mengirim apa pun." in html
