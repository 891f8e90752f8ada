"""Speaking as an organization, without HTTP: who may, when, and one vote or answer per organization."""
import pytest

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import Comment, Notification, OrganizationStatus, SurveyResponse, Vote
from forum.services import aspirations, organization_voice, survey_answers, votes, writing
from forum.services.notifications import describe
from forum.services.survey_results import survey_results
from tests.factories import make_comment, make_organization, make_policy, no_post_rate  # noqa: F401
from tests.surveys.conftest import QUESTIONS, full_answers, make_survey, survey  # noqa: F401

ASPIRATION = dict(aspiration_type="proposal", title="Taman baca di balai warga",
                  body="Kami usulkan taman baca untuk anak-anak.", category="kebencanaan",
                  district="pondok-aren.pondok-betung", visibility="public")


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def organization(resident):
    return make_organization(members=[resident])


def test_no_id_is_oneself_and_members_get_their_organization(resident, organization):
    assert organization_voice.voice_for(resident, None) is None
    assert organization_voice.voice_for(resident, "") is None
    assert organization_voice.voice_for(resident, organization.id) == organization
    assert organization_voice.voice_for(resident, str(organization.id)) == organization


def test_a_stranger_is_refused_with_403(make_user, organization):
    with pytest.raises(Forbidden):
        organization_voice.voice_for(make_user(), organization.id)
    with pytest.raises(Forbidden):
        organization_voice.voice_for(make_user(), 999999)


@pytest.mark.parametrize("value", ["abc", -1, 0, True, 1.5])
def test_a_malformed_id_is_a_422(resident, value):
    with pytest.raises(ValidationFailed) as caught:
        organization_voice.voice_for(resident, value)
    assert "as_organization" in caught.value.fields


@pytest.mark.parametrize("status", [OrganizationStatus.REQUESTED, OrganizationStatus.REFUSED,
                                    OrganizationStatus.SUSPENDED])
def test_an_unverified_or_suspended_organization_is_a_409(resident, status, policy, no_post_rate):
    organization = make_organization(members=[resident], status=status)
    with pytest.raises(Conflict):
        organization_voice.voice_for(resident, organization.id)
    with pytest.raises(Conflict):
        writing.write(resident, policy, body="Kami mendukung.", stance="support", as_organization=organization.id)
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0
    assert organization_voice.organizations_for(resident) == []


def test_organizations_for_lists_verified_memberships_only(resident, make_user):
    verified = make_organization(members=[resident], name="Bank Sampah Melati")
    make_organization(members=[resident], status=OrganizationStatus.SUSPENDED)
    make_organization(members=[make_user()])
    assert organization_voice.organizations_for(resident) == [verified]
    assert organization_voice.organizations_for(None) == []


def test_a_comment_as_the_organization_names_it_publicly(resident, organization, policy, no_post_rate):
    comment = writing.write(resident, policy, body="Kami, warga RW 05, mendukung pasal ini.", stance="support",
                            as_organization=organization.id)
    assert comment.organization_id == organization.id and comment.author_id == resident.id
    assert comment.public_author_name() == organization.name
    assert comment.search_document()["author"] == organization.name
    reply = writing.write(resident, policy, body="Tambahan dari kami.", parent_id=comment.id,
                          as_organization=organization.id)
    assert reply.organization_id == organization.id


def test_the_writer_is_shown_to_moderators_and_the_organizations_admins(resident, make_user, moderator, policy,
                                                                        no_post_rate):
    chair = make_user()
    organization = make_organization(members=[resident], admins=[chair])
    comment = writing.write(resident, policy, body="Kami mendukung.", stance="support",
                            as_organization=organization.id)
    assert organization_voice.writer_visible_to(moderator, comment) == resident
    assert organization_voice.writer_visible_to(chair, comment) == resident
    assert organization_voice.writer_visible_to(make_user(), comment) is None
    assert organization_voice.writer_visible_to(None, comment) is None


def test_votes_are_one_per_organization_apart_from_the_members_own(resident, make_user, policy):
    other = make_user()
    organization = make_organization(members=[resident, other])
    votes.vote_on_policy(resident, policy, "support")
    votes.vote_on_policy(resident, policy, "oppose", as_organization=organization.id)
    votes.vote_on_policy(other, policy, "support", as_organization=organization.id)  # changes the organization's vote
    rows = db.session.execute(db.select(Vote.organization_id, Vote.value).where(Vote.content_id == policy.id)
                              .order_by(Vote.id)).all()
    assert rows == [(None, "support"), (organization.id, "support")]
    db.session.refresh(policy)
    assert (policy.up_count, policy.down_count) == (2, 0)
    assert votes.votes_of(resident, [policy.id]) == {policy.id: "support"}


def test_an_organization_supports_an_aspiration_once(resident, make_user, organization, no_post_rate, moderator):
    aspiration = aspirations.submit_aspiration(make_user(), **ASPIRATION)
    aspirations.transition(moderator, aspiration, "verified")
    aspirations.support(resident, aspiration, as_organization=organization.id)
    with pytest.raises(Conflict):
        aspirations.support(resident, aspiration, as_organization=organization.id)
    aspirations.support(resident, aspiration)  # the member's own support is apart
    db.session.refresh(aspiration)
    assert aspiration.up_count == 2


def test_an_aspiration_as_the_organization_cannot_be_anonymous(resident, organization, no_post_rate):
    aspiration = aspirations.submit_aspiration(resident, as_organization=organization.id, **ASPIRATION)
    assert aspiration.organization_id == organization.id
    assert aspiration.author_name_for(None) == organization.name
    with pytest.raises(ValidationFailed) as caught:
        aspirations.submit_aspiration(resident, as_organization=organization.id,
                                      **{**ASPIRATION, "visibility": "anonymous"})
    assert "visibility" in caught.value.fields


def test_a_second_answer_for_the_organization_is_a_409(resident, make_user, organization, survey):
    other = make_user()
    neighbours = make_organization(members=[other])  # another organization, to show they are apart
    survey_answers.submit_response(resident, survey, full_answers(survey), as_organization=organization.id)
    with pytest.raises(Conflict):
        survey_answers.submit_response(resident, survey, full_answers(survey), as_organization=organization.id)
    survey_answers.submit_response(resident, survey, full_answers(survey))  # the member's own answer is apart
    survey_answers.submit_response(other, survey, full_answers(survey), as_organization=neighbours.id)
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyResponse)) == 3
    residents = survey_results(survey)
    assert residents["responses"] == 1 and residents["organization_responses"] == 2
    assert residents["questions"][0]["responses"] == 1
    groups = survey_results(survey, organizations=True)
    assert groups["responses"] == 2 and groups["questions"][0]["responses"] == 2
    assert sorted(entry["id"] for entry in groups["organizations"]) == sorted([organization.id, neighbours.id])


def test_a_reply_notification_names_the_organization(resident, make_user, organization, policy, no_post_rate):
    asker = make_user()
    question = make_comment(policy, asker, body="Apa pendapat warga?")
    writing.write(resident, policy, body="Kami setuju.", parent_id=question.id, as_organization=organization.id)
    notification = db.session.scalars(db.select(Notification).where(Notification.user_id == asker.id)).one()
    text = str(describe(notification))
    assert organization.name in text and resident.display_name not in text
