"""Assisted intake: what a kelurahan service desk submitted for a resident without an account.

A `DeskSubmission` is the record behind one receipt slip: which resident
(name, and a keyed digest of the phone number, never the number itself),
their kelurahan, the consent they gave (time and the version of the consent
text read to them), the officer who typed it, and what was submitted: an
aspiration or a comment (`content_id`, content with channel `desk` and no
author account), a survey answer (`survey_response_id`, a response with no
user) or a seat at an event (`event_registration_id`, a guest registration
with the resident's name and phone, for the event's organizers). The receipt code (forum/receipt_codes.py) lets anyone follow it on
`/lacak`; a resident who registers later claims it with the code and the
phone number (`claimed_by_id`), which makes them the content's author.

What the resident adds later at the desk ("came back with a photo") is a
step of the aspiration's public timeline (an `AspirationEvent` by the desk,
state unchanged) and its photos (forum/services/desk.py `add_update`).
"""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class DeskKind:
    ASPIRATION = "aspiration"
    COMMENT = "comment"
    SURVEY = "survey"
    EVENT = "event"
    ALL = (ASPIRATION, COMMENT, SURVEY, EVENT)


# Exactly one of the three targets is set.
ONE_TARGET = ("(CASE WHEN content_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN survey_response_id IS NULL THEN 0 ELSE 1 END)"
              " + (CASE WHEN event_registration_id IS NULL THEN 0 ELSE 1 END) = 1")


class DeskSubmission(db.Model):
    __tablename__ = "desk_submission"

    id = db.Column(db.Integer, primary_key=True)
    receipt_code = db.Column(db.String(8), nullable=False, unique=True)
    kind = db.Column(db.String(16), nullable=False)
    resident_name = db.Column(db.String(120), nullable=False)
    # HMAC-SHA256 (keyed with the app's secret) of the normalized number: enough to check a claim,
    # useless to someone reading the table, since phone numbers are too few to hide behind a plain hash.
    phone_digest = db.Column(db.String(64))
    district_id = db.Column(db.Integer, db.ForeignKey("district.id"), nullable=False, index=True)
    consent_at = db.Column(UTCDateTime, nullable=False)
    consent_version = db.Column(db.String(20), nullable=False)
    officer_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), unique=True)
    survey_response_id = db.Column(db.Integer, db.ForeignKey("survey_response.id"), unique=True)
    event_registration_id = db.Column(db.Integer, db.ForeignKey("event_registration.id"), unique=True)
    from_paper_form = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    claimed_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    claimed_at = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)

    district = relationship("District")
    officer = relationship("User", foreign_keys=[officer_id])
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])
    content = relationship("Content")
    survey_response = relationship("SurveyResponse")
    event_registration = relationship("EventRegistration")

    __table_args__ = (
        db.CheckConstraint("kind IN ('aspiration', 'comment', 'survey', 'event')", name="kind_known"),
        db.CheckConstraint(ONE_TARGET, name="one_target"),
    )

    @property
    def is_claimed(self):
        return self.claimed_by_id is not None

    def __repr__(self):
        return f"<DeskSubmission {self.receipt_code} {self.kind}>"

