"""seed-demo's aspirations: every kecamatan and stage, some overdue, consistent timelines, idempotent."""
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Aspiration, AspirationEvent, AspirationState, Comment, District
from forum import demo


def test_small_demo_covers_every_kecamatan_and_stage(app):
    demo.seed("small")
    aspirations = db.session.scalars(select(Aspiration)).all()
    kecamatan = set(db.session.scalars(select(District.id).where(District.parent_id.is_(None))))
    assert {a.kecamatan_id for a in aspirations} == kecamatan
    assert {a.state for a in aspirations} == set(AspirationState.ALL)
    assert {a.visibility for a in aspirations} == {"public", "anonymous", "confidential"}
    assert any(a.is_overdue() for a in aspirations)
    for aspiration in aspirations:
        steps = [e.to_state for e in db.session.scalars(select(AspirationEvent).where(
            AspirationEvent.aspiration_id == aspiration.id).order_by(AspirationEvent.id))]
        assert steps[0] == "submitted" and steps[-1] == aspiration.state
        answers = db.session.scalars(select(Comment).where(Comment.target_id == aspiration.id,
                                                           Comment.is_official_response.is_(True))).all()
        assert all(answer.author.agency_id == aspiration.agency_id for answer in answers)
    count = len(aspirations)
    demo.seed("small")
    assert db.session.scalar(select(func.count()).select_from(Aspiration)) == count
