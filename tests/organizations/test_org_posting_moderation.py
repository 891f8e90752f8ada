"""Moderating organization posts: moderators see who wrote them, and may suspend the organization."""
import pytest

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import OrganizationStatus
from forum.services import writing
from moderation.models import AuditEntry
from moderation.organizations import suspend_organization
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def organization(resident):
    return make_organization(members=[resident], name="Karang Taruna Sukamaju")


@pytest.fixture
def posted(resident, organization, policy, no_post_rate):
    return writing.write(resident, policy, body="Kami mendukung pasal ini.", stance="support",
                         as_organization=organization.id)


def test_the_item_view_names_the_writing_account(client, login, moderator, resident, posted):
    login(moderator)
    page = client.get(f"/moderasi/konten/{posted.id}").get_data(as_text=True)
    assert resident.display_name in page and "Karang Taruna Sukamaju" in page
    assert f"/moderasi/konten/{posted.id}/tangguhkan-organisasi" in page


def test_a_suspension_is_audited_and_stops_every_member(client, login, moderator, resident, make_user, organization,
                                                        posted, policy):
    login(moderator)
    refused = client.post(f"/moderasi/konten/{posted.id}/tangguhkan-organisasi", data={"reason": ""})
    assert refused.status_code == 302
    db.session.refresh(organization)
    assert organization.status == OrganizationStatus.VERIFIED
    done = client.post(f"/moderasi/konten/{posted.id}/tangguhkan-organisasi",
                       data={"reason": "Berulang kali menyebar hoaks."})
    assert done.status_code == 302
    db.session.refresh(organization)
    assert organization.status == OrganizationStatus.SUSPENDED
    assert organization.status_reason == "Berulang kali menyebar hoaks."
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "organization.suspend")).one()
    assert entry.actor_id == moderator.id and entry.details["organization"] == organization.id
    with pytest.raises(Conflict):
        writing.write(resident, policy, body="Lagi.", stance="support", as_organization=organization.id)
    with pytest.raises(Conflict):
        suspend_organization(moderator, organization, "Sekali lagi.")


def test_residents_may_not_suspend_and_moderators_give_a_reason(resident, moderator, organization):
    with pytest.raises(Forbidden):
        suspend_organization(resident, organization, "Tidak suka.")
    with pytest.raises(ValidationFailed) as caught:
        suspend_organization(moderator, organization, "  ")
    assert "reason" in caught.value.fields
    db.session.refresh(organization)
    assert organization.status == OrganizationStatus.VERIFIED
