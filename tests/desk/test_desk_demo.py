"""Demo desk data: two officers of different kelurahan and 33 submissions across the workflow, seeded once."""
from sqlalchemy import func, select

from forum import demo
from forum.extensions import db
from forum.models import DeskSubmission, Role, User


def test_demo_desks(app):
    demo.seed("small")
    officers = db.session.scalars(select(User).where(User.role == Role.DESK)).all()
    assert len(officers) == 2 and len({officer.district_id for officer in officers}) == 2
    submissions = db.session.scalars(select(DeskSubmission)).all()
    assert len(submissions) == 33
    assert {submission.kind for submission in submissions} == {"aspiration", "comment", "survey", "event"}
    seats = [s.event_registration for s in submissions if s.kind == "event"]
    assert all(seat.guest_phone and not seat.event.has_started() for seat in seats)
    assert {seat.status for seat in seats} == {"confirmed", "waitlisted"}
    states = {s.content.state for s in submissions if s.kind == "aspiration"}
    assert {"submitted", "verified", "forwarded", "in_progress", "answered", "declined"} <= states
    assert any(s.is_claimed for s in submissions) and any(s.from_paper_form for s in submissions)
    demo.seed("small")
    assert db.session.scalar(select(func.count()).select_from(DeskSubmission)) == 33
