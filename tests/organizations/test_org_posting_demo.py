"""The demo seeder of organization input: posts, supports and a survey answer as the verified organizations."""
from forum.demo import _Quiet
from forum.demo.organization_posts import seed_organization_posts
from forum.extensions import db
from forum.models import Aspiration, Comment, Content, OrganizationStatus, SurveyResponse, Vote
from forum.services import aspirations
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401
from tests.surveys.conftest import QUESTIONS, make_survey  # noqa: F401


def quiet(items, label):
    return _Quiet(items)


def count(model, *conditions):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*conditions))


def test_nothing_without_verified_organizations(resident, agency):
    make_policy(agency)
    make_organization(members=[resident], status=OrganizationStatus.REQUESTED)
    seed_organization_posts("small", quiet)
    assert count(Content, Content.organization_id.is_not(None)) == 0


def test_posts_supports_and_one_survey_answer_once(resident, make_user, moderator, agency, kelurahan, make_survey,
                                                   no_post_rate):
    make_policy(agency)
    raised = aspirations.submit_aspiration(
        make_user(), aspiration_type="complaint", title="Jalan berlubang di RT 04", body="Berbahaya di malam hari.",
        category="infrastruktur", district="pondok-aren.pondok-betung", visibility="public")
    aspirations.transition(moderator, raised, "verified")
    make_survey(title="Survei kepuasan layanan perizinan online (SIMPEL/OSS)")
    first = make_organization(admins=[resident], district=kelurahan, name="Forum Warga Pondok Betung")
    second = make_organization(members=[make_user()], name="Komunitas Hijau")
    for _ in range(2):  # a second run adds nothing
        seed_organization_posts("small", quiet)
        assert count(Comment, Comment.organization_id.in_([first.id, second.id])) == 2
        assert count(Aspiration, Aspiration.organization_id == first.id) == 1
        assert count(Vote, Vote.organization_id.is_not(None)) == 2
        assert count(SurveyResponse, SurveyResponse.organization_id == first.id) == 1
    comment = db.session.scalars(db.select(Comment).where(Comment.organization_id == first.id)).one()
    assert comment.public_author_name() == "Forum Warga Pondok Betung" and comment.target.comment_count == 2
