"""forum.services.votes without HTTP: one vote per person, changeable, counted on the content."""
import pytest
from flask_babel import force_locale

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import Agency, Comment, ContentStatus, PolicyPhase, Role, Vote
from forum.services import votes as service
from tests.factories import counted_rows, counters, make_comment, make_policy


@pytest.fixture
def policy(agency):
    return make_policy(agency)


def vote_rows(content):
    return db.session.execute(db.select(Vote.user_id, Vote.value).where(Vote.content_id == content.id)).all()


def test_second_vote_changes_the_first(policy, resident, make_user):
    service.vote_on_policy(resident, policy, "support")
    service.vote_on_policy(make_user(), policy, "support")
    assert counters(policy)["support"] == 2
    service.vote_on_policy(resident, policy, "oppose")
    service.vote_on_policy(resident, policy, "oppose")
    assert sorted(value for _, value in vote_rows(policy)) == ["oppose", "support"]
    now = counters(policy)
    assert (now["support"], now["oppose"]) == (1, 1)
    assert now == counted_rows(policy)


def test_clearing_a_vote_uncounts_it(policy, resident):
    service.vote_on_policy(resident, policy, "oppose")
    assert service.clear_policy_vote(resident, policy) is None
    assert service.clear_policy_vote(resident, policy) is None
    assert vote_rows(policy) == []
    assert (counters(policy)["support"], counters(policy)["oppose"]) == (0, 0)


@pytest.mark.parametrize("value", ["up", "maybe", "", None, "SUPPORT"])
def test_policy_vote_value_must_be_support_or_oppose(policy, resident, value):
    with pytest.raises(ValidationFailed) as caught:
        service.vote_on_policy(resident, policy, value)
    assert "value" in caught.value.fields
    assert vote_rows(policy) == []


def test_official_may_not_vote_on_own_agency_draft_or_any_other(policy, official, make_user, agency):
    with pytest.raises(Forbidden) as caught:
        service.vote_on_policy(official, policy, "support")
    with force_locale("en"):
        assert "Officials" in str(caught.value.message)
    elsewhere = Agency.query.filter(Agency.id != agency.id).first()
    with pytest.raises(Forbidden):
        service.vote_on_policy(make_user(Role.OFFICIAL, agency=elsewhere), policy, "oppose")
    assert vote_rows(policy) == []


def test_unverified_cannot_vote(policy, make_user):
    with pytest.raises(Forbidden):
        service.vote_on_policy(make_user(email_verified_at=None), policy, "support")


@pytest.mark.parametrize("phase", [PolicyPhase.CLOSED, PolicyPhase.FINAL, PolicyPhase.DRAFT])
def test_votes_only_while_open(agency, resident, phase):
    policy = make_policy(agency, phase=phase)
    with pytest.raises(Conflict):
        service.vote_on_policy(resident, policy, "support")
    assert vote_rows(policy) == []


def test_helpful_votes_on_comments(policy, resident, make_user):
    comment = make_comment(policy, make_user())
    service.vote_on_content(resident, comment, "up")
    service.vote_on_content(resident, comment, "down")
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert (comment.up_count, comment.down_count) == (0, 1)
    assert vote_rows(comment) == [(resident.id, "down")]
    service.clear_content_vote(resident, comment)
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).down_count == 0


def test_no_rating_of_own_comment_or_with_policy_values(policy, resident, make_user):
    own = make_comment(policy, resident)
    with pytest.raises(Forbidden) as caught:
        service.vote_on_content(resident, own, "up")
    with force_locale("en"):
        assert "own comment" in str(caught.value.message)
    other = make_comment(policy, make_user())
    with pytest.raises(ValidationFailed):
        service.vote_on_content(resident, other, "support")
    held = make_comment(policy, make_user(), status=ContentStatus.PENDING)
    with pytest.raises(Conflict):
        service.vote_on_content(resident, held, "up")
    assert vote_rows(own) == vote_rows(other) == vote_rows(held) == []


def test_comment_votes_close_with_the_consultation(agency, resident, make_user):
    policy = make_policy(agency, phase=PolicyPhase.CLOSED)
    comment = make_comment(policy, make_user())
    with pytest.raises(Conflict):
        service.vote_on_content(resident, comment, "up")
