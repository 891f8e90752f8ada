"""Events: sosialisasi, digital-literacy training, face-to-face consultations and musrenbang meetings.

An official of an agency schedules an `Event` in a kelurahan (start and end
stored in UTC, shown in Asia/Jakarta), optionally tied to a consultation.
People register for a seat (`EventRegistration`): a resident with an
account, or someone registered at a desk by an officer (name and phone, no
account). A registration is `confirmed` while seats last, else `waitlisted`
in `position` order; cancelling one frees its seat for the first on the
waiting list. The database keeps one active registration per account and
event (a partial unique index). After the event the official records the
attendance and publishes the minutes (notulen); points raised at a
face-to-face consultation are stored as comments with the face-to-face
channel (forum/models/comments.py: `event_id`, `agreed_count`).
"""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class EventKind:
    SOSIALISASI = "sosialisasi"
    DIGITAL_LITERACY = "digital_literacy"
    CONSULTATION = "consultation"       # konsultasi tatap muka
    MUSRENBANG = "musrenbang"           # musrenbang kelurahan
    ALL = (SOSIALISASI, DIGITAL_LITERACY, CONSULTATION, MUSRENBANG)


class EventStatus:
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    ALL = (SCHEDULED, CANCELLED)


class RegistrationStatus:
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ALL = (CONFIRMED, WAITLISTED, CANCELLED)
    ACTIVE = (CONFIRMED, WAITLISTED)


class Event(db.Model):
    __tablename__ = "event"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(24), nullable=False, index=True)
    description = db.Column(db.Text, nullable=False, default="")
    description_html = db.Column(db.Text, nullable=False, default="")
    district_id = db.Column(db.Integer, db.ForeignKey("district.id"), nullable=False, index=True)  # a kelurahan
    address = db.Column(db.String(300), nullable=False)
    latitude = db.Column(db.Numeric(9, 6))
    longitude = db.Column(db.Numeric(9, 6))
    starts_at = db.Column(UTCDateTime, nullable=False, index=True)
    ends_at = db.Column(UTCDateTime, nullable=False)
    capacity = db.Column(db.Integer, nullable=False)
    policy_id = db.Column(db.Integer, db.ForeignKey("policy.id"), index=True)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"), nullable=False, index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    status = db.Column(db.String(16), nullable=False, default=EventStatus.SCHEDULED)
    cancel_reason = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    reminded_at = db.Column(UTCDateTime)  # the day-before reminders went out
    minutes = db.Column(db.Text)
    minutes_html = db.Column(db.Text)
    minutes_published_at = db.Column(UTCDateTime)
    attendance_total = db.Column(db.Integer)
    # {"gender": {"female": n, ...}, "age_band": {"18_24": n, ...}}: optional parts (forum/models/surveys.py codes)
    attendance_breakdown = db.Column(db.JSON)

    district = relationship("District")
    policy = relationship("Policy")
    agency = relationship("Agency")
    created_by = relationship("User")

    __table_args__ = (
        db.CheckConstraint("kind IN ('sosialisasi', 'digital_literacy', 'consultation', 'musrenbang')",
                           name="kind_known"),
        db.CheckConstraint("status IN ('scheduled', 'cancelled')", name="status_known"),
        db.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        db.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    def has_ended(self, now=None):
        return self.ends_at <= (now or utcnow())

    def has_started(self, now=None):
        return self.starts_at <= (now or utcnow())

    def __repr__(self):
        return f"<Event {self.id} {self.kind}>"


class EventRegistration(db.Model):
    """A seat (or a place on the waiting list) for one person at one event."""

    __tablename__ = "event_registration"

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)  # None: registered at a desk
    guest_name = db.Column(db.String(120))
    guest_phone = db.Column(db.String(40))
    registered_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))  # the desk officer
    status = db.Column(db.String(16), nullable=False)
    position = db.Column(db.Integer, nullable=False)  # order of arrival: the waiting list's order
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    cancelled_at = db.Column(UTCDateTime)

    event = relationship("Event")
    user = relationship("User", foreign_keys=[user_id])
    registered_by = relationship("User", foreign_keys=[registered_by_id])

    __table_args__ = (
        db.CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name="status_known"),
        db.CheckConstraint("user_id IS NOT NULL OR guest_name IS NOT NULL", name="someone"),
        db.Index("uq_event_registration_active_user", "event_id", "user_id", unique=True,
                 sqlite_where=db.text("status != 'cancelled' AND user_id IS NOT NULL"),
                 postgresql_where=db.text("status != 'cancelled' AND user_id IS NOT NULL")),
        db.UniqueConstraint("event_id", "position"),
    )

    @property
    def name(self):
        return self.user.display_name if self.user is not None else self.guest_name
