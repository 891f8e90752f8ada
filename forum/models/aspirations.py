"""Aspirations: what residents raise themselves, routed to an agency and answered in public.

An `Aspiration` is a Content kind (joined-table inheritance) with its own
workflow `state` (the LAPOR! flow, forum/services/aspirations.py), separate
from the moderation `status` every Content has. Each change of state is an
`AspirationEvent` row: the public timeline. Staff add `AspirationNote`s that
only staff see; residents attach up to three `AspirationPhoto`s.

Visibility: an aspiration is public once a moderator has let it through
(verified and later states) unless it is confidential. Confidential ones are
seen only by their author, moderators and officials of the handling agency;
anonymous ones are public but their author's name is shown only to
moderators and the handling agency.
"""
from sqlalchemy import and_
from sqlalchemy.orm import relationship, selectinload

from forum.extensions import db
from forum.models.content import Channel, Content
from forum.timeutil import UTCDateTime, utcnow


class AspirationType:
    ASPIRATION = "aspiration"    # aspirasi
    COMPLAINT = "complaint"      # pengaduan
    PROPOSAL = "proposal"        # usulan
    INFORMATION = "information"  # permintaan informasi
    ALL = (ASPIRATION, COMPLAINT, PROPOSAL, INFORMATION)


class Visibility:
    PUBLIC = "public"
    ANONYMOUS = "anonymous"        # public, the author's name hidden
    CONFIDENTIAL = "confidential"  # author, moderators and the handling agency only
    ALL = (PUBLIC, ANONYMOUS, CONFIDENTIAL)


class AspirationState:
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    DECLINED = "declined"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"
    ALL = (SUBMITTED, VERIFIED, DECLINED, FORWARDED, IN_PROGRESS, ANSWERED, CLOSED, REOPENED)
    #: Not yet let through by a moderator (or refused): never public.
    UNSCREENED = (SUBMITTED, DECLINED)
    #: The states a public aspiration can be in (the public list's filter).
    PUBLIC = (VERIFIED, FORWARDED, IN_PROGRESS, ANSWERED, CLOSED, REOPENED)
    #: Handed to an agency: the states its desk lists.
    WITH_AGENCY = (FORWARDED, IN_PROGRESS, ANSWERED, CLOSED, REOPENED)
    #: With an agency and waiting for its answer.
    AT_AGENCY = (FORWARDED, IN_PROGRESS, REOPENED)
    #: Still expecting someone to act.
    OPEN = (SUBMITTED, VERIFIED, FORWARDED, IN_PROGRESS, ANSWERED, REOPENED)


def _sql_list(values):
    return ", ".join(f"'{value}'" for value in values)


class Aspiration(Content):
    """A resident's aspiration, complaint, proposal or request for information."""

    __tablename__ = "aspiration"
    __mapper_args__ = {"polymorphic_identity": "aspiration"}

    id = db.Column(db.Integer, db.ForeignKey("content.id"), primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    aspiration_type = db.Column(db.String(16), nullable=False)
    category_id = db.Column(db.Integer, db.ForeignKey("category.id"), nullable=False, index=True)
    district_id = db.Column(db.Integer, db.ForeignKey("district.id"), nullable=False, index=True)
    # The kelurahan's kecamatan, kept on the row so lists filter by kecamatan on an index.
    kecamatan_id = db.Column(db.Integer, db.ForeignKey("district.id"), nullable=False, index=True)
    location_text = db.Column(db.String(200), nullable=False, default="")
    visibility = db.Column(db.String(16), nullable=False, default=Visibility.PUBLIC)
    state = db.Column(db.String(16), nullable=False, default=AspirationState.SUBMITTED, index=True)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"), index=True)
    verify_due_at = db.Column(UTCDateTime, nullable=False)
    verified_at = db.Column(UTCDateTime)
    forwarded_at = db.Column(UTCDateTime)
    response_due_at = db.Column(UTCDateTime)
    first_response_at = db.Column(UTCDateTime)
    answered_at = db.Column(UTCDateTime)
    closed_at = db.Column(UTCDateTime)
    state_changed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    reopen_count = db.Column(db.Integer, nullable=False, default=0)
    comment_count = db.Column(db.Integer, nullable=False, default=0)

    category = relationship("Category")
    district = relationship("District", foreign_keys=[district_id])
    kecamatan = relationship("District", foreign_keys=[kecamatan_id])
    agency = relationship("Agency")
    events = relationship("AspirationEvent", back_populates="aspiration", order_by="AspirationEvent.id",
                          cascade="all, delete-orphan")
    photos = relationship("AspirationPhoto", back_populates="aspiration", order_by="AspirationPhoto.position",
                          cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint(f"aspiration_type IN ({_sql_list(AspirationType.ALL)})", name="type_known"),
        db.CheckConstraint(f"visibility IN ({_sql_list(Visibility.ALL)})", name="visibility_known"),
        db.CheckConstraint(f"state IN ({_sql_list(AspirationState.ALL)})", name="state_known"),
        db.Index("ix_aspiration_kecamatan_state", "kecamatan_id", "state"),
    )

    # Comments use the consultation comment service, which asks its target these.
    current_version = None

    def accepts_input(self, now=None):
        """Comments and support are taken until the aspiration is closed or declined."""
        return self.state not in (AspirationState.CLOSED, AspirationState.DECLINED)

    # -- visibility ----------------------------------------------------------------
    def _is_public_extra(self):
        return self.visibility != Visibility.CONFIDENTIAL and self.state not in AspirationState.UNSCREENED

    @classmethod
    def _public_extra(cls):
        return and_(cls.visibility != Visibility.CONFIDENTIAL, cls.state.notin_(AspirationState.UNSCREENED))

    def is_handled_by(self, user):
        """Whether `user` is an official of the agency the aspiration is with."""
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_official
                    and self.agency_id is not None and user.agency_id == self.agency_id)

    def is_visible_to(self, user):
        if super().is_visible_to(user):
            return True
        return self.is_handled_by(user) and not self.is_tombstone

    @property
    def is_anonymous(self):
        return self.visibility == Visibility.ANONYMOUS

    def author_name_for(self, viewer):
        """The author's name as `viewer` may see it (None when hidden from them); an organization's by its name."""
        if self.organization_id is not None:
            return self.organization.name
        if self.channel == Channel.DESK:
            return self.desk_author_label() if not self.is_anonymous or self._sees_hidden_author(viewer) else None
        if self.author is None or self.author.is_deleted:
            return None
        if not self.is_anonymous:
            return self.author.display_name
        if self._sees_hidden_author(viewer):
            return self.author.display_name
        return None

    def _sees_hidden_author(self, viewer):
        """Moderators, the handling agency and the author see who wrote an anonymous aspiration."""
        return viewer is not None and getattr(viewer, "is_authenticated", False) and (
            viewer.is_moderator or self.is_handled_by(viewer) or viewer.id == self.author_id)

    # -- deadlines -------------------------------------------------------------------
    def is_verification_overdue(self, now=None):
        return self.state == AspirationState.SUBMITTED and (now or utcnow()) > self.verify_due_at

    def is_response_overdue(self, now=None):
        return (self.first_response_at is None and self.response_due_at is not None
                and self.state in AspirationState.AT_AGENCY and (now or utcnow()) > self.response_due_at)

    def is_overdue(self, now=None):
        now = now or utcnow()
        return self.is_verification_overdue(now) or self.is_response_overdue(now)

    # -- search (forum/search) -------------------------------------------------------
    search_fields = Content.search_fields + (
        "title", "category_id", "district_id", "agency_id", "state", "visibility",
    )

    def search_document(self):
        document = super().search_document()
        document.update(
            title=self.title,
            category=self.category.code if self.category else None,
            agency=self.agency.code if self.agency else None,
            districts=[self.district.code] if self.district else [],
            status=self.state,
            url=f"/aspirasi/{self.id}",
        )
        return document

    @classmethod
    def search_loader_options(cls):
        return [selectinload(cls.category), selectinload(cls.agency), selectinload(cls.district)]


class AspirationEvent(db.Model):
    """One step of the timeline: who (role and agency), when, from which state to which, and why."""

    __tablename__ = "aspiration_event"

    id = db.Column(db.Integer, primary_key=True)
    aspiration_id = db.Column(db.Integer, db.ForeignKey("aspiration.id"), nullable=False, index=True)
    from_state = db.Column(db.String(16))
    to_state = db.Column(db.String(16), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    actor_role = db.Column(db.String(16), nullable=False)  # "system" for automatic closing
    actor_agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"))
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"))  # the agency forwarded to
    note = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    aspiration = relationship("Aspiration", back_populates="events")
    actor = relationship("User")
    actor_agency = relationship("Agency", foreign_keys=[actor_agency_id])
    agency = relationship("Agency", foreign_keys=[agency_id])


class AspirationNote(db.Model):
    """An internal note on an aspiration, for moderators and the handling agency only."""

    __tablename__ = "aspiration_note"

    id = db.Column(db.Integer, primary_key=True)
    aspiration_id = db.Column(db.Integer, db.ForeignKey("aspiration.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"))
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    author = relationship("User")
    agency = relationship("Agency")


class AspirationPhoto(db.Model):
    """A photo re-encoded without metadata, with a small copy for lists; files under UPLOAD_DIR."""

    __tablename__ = "aspiration_photo"

    id = db.Column(db.Integer, primary_key=True)
    aspiration_id = db.Column(db.Integer, db.ForeignKey("aspiration.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    thumb_name = db.Column(db.String(80), nullable=False, unique=True)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    aspiration = relationship("Aspiration", back_populates="photos")
