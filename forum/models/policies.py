"""Draft policies: a Content kind with versions, numbered sections and attachments.

A policy's `phase` moves draft -> open -> closed -> final. While it is `open`,
`opens_at` and `closes_at` (stored in UTC, shown in Asia/Jakarta) decide
whether residents can write: before `opens_at` it is announced but not yet
accepting comments; at `closes_at` it closes by itself, checked on read
(`forum.services.policies.refresh_phases`). Each published change of the text
is a new `PolicyVersion` with its own `Section` rows, so comments stay attached
to the exact clause they were written on.
"""
from sqlalchemy import and_
from sqlalchemy.orm import relationship, selectinload

from forum.extensions import db
from forum.models.content import Content
from forum.text import plain_text
from forum.timeutil import UTCDateTime, utcnow


class PolicyPhase:
    DRAFT = "draft"      # visible to its agency only
    OPEN = "open"        # published; accepts comments between opens_at and closes_at
    CLOSED = "closed"    # read-only, awaiting the outcome
    FINAL = "final"      # outcome published ("you said, we did")
    ALL = (DRAFT, OPEN, CLOSED, FINAL)


class Policy(Content):
    """A draft policy put to consultation by one agency."""

    __tablename__ = "policy"
    __mapper_args__ = {"polymorphic_identity": "policy"}

    id = db.Column(db.Integer, db.ForeignKey("content.id"), primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    summary_html = db.Column(db.Text, nullable=False, default="")
    category_id = db.Column(db.Integer, db.ForeignKey("category.id"), nullable=False, index=True)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"), nullable=False, index=True)
    phase = db.Column(db.String(16), nullable=False, default=PolicyPhase.DRAFT, index=True)
    opens_at = db.Column(UTCDateTime, nullable=False)
    closes_at = db.Column(UTCDateTime, nullable=False, index=True)
    published_at = db.Column(UTCDateTime)
    closed_at = db.Column(UTCDateTime)
    comment_count = db.Column(db.Integer, nullable=False, default=0)
    # Published surveys about this draft (forum/services/surveys.py keeps it): the page links to them
    # without a query of its own.
    survey_count = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    outcome_source = db.Column(db.Text)
    outcome_html = db.Column(db.Text)
    outcome_published_at = db.Column(UTCDateTime)
    # Set when followers were told the consultation closes within 48 hours, so
    # they are told once however often the policy is read.
    closing_soon_notified_at = db.Column(UTCDateTime)

    category = relationship("Category")
    agency = relationship("Agency")
    versions = relationship(
        "PolicyVersion", back_populates="policy", order_by="PolicyVersion.number",
        cascade="all, delete-orphan",
    )
    attachments = relationship("Attachment", back_populates="policy", order_by="Attachment.id")

    __table_args__ = (
        db.CheckConstraint("phase IN ('draft', 'open', 'closed', 'final')", name="phase_known"),
        db.CheckConstraint("closes_at > opens_at", name="window_ordered"),
    )

    # -- visibility: drafts belong to their agency ------------------------------
    def _is_public_extra(self):
        return self.phase != PolicyPhase.DRAFT

    @classmethod
    def _public_extra(cls):
        return cls.phase != PolicyPhase.DRAFT

    def is_visible_to(self, user):
        if self.phase == PolicyPhase.DRAFT:
            return bool(
                user is not None
                and getattr(user, "is_authenticated", False)
                and (user.is_admin or (user.is_official and user.agency_id == self.agency_id))
            )
        return super().is_visible_to(user)

    # -- search (forum/search) ------------------------------------------------------
    # `versions`: appending a version changes the indexed clauses.
    search_fields = Content.search_fields + (
        "title", "summary_html", "category_id", "agency_id", "phase", "versions",
    )

    def search_document(self):
        """Title, summary and the current version's clauses; status is the phase."""
        document = super().search_document()
        version = self.current_version
        sections = version.sections if version else []
        document.update(
            title=self.title,
            heading=" ".join(section.heading for section in sections),
            body="\n".join([plain_text(self.summary_html)]
                           + [plain_text(section.body_html) for section in sections]),
            category=self.category.code if self.category else None,
            agency=self.agency.code if self.agency else None,
            status=self.phase,
            url=f"/konsultasi/{self.id}",
        )
        return document

    @classmethod
    def search_loader_options(cls):
        return [selectinload(cls.category), selectinload(cls.agency),
                selectinload(cls.versions).selectinload(PolicyVersion.sections)]

    # -- the consultation window ------------------------------------------------
    @property
    def current_version(self):
        return self.versions[-1] if self.versions else None

    def accepts_input(self, now=None):
        """True while residents may comment and vote."""
        now = now or utcnow()
        return self.phase == PolicyPhase.OPEN and self.opens_at <= now < self.closes_at

    def is_upcoming(self, now=None):
        return self.phase == PolicyPhase.OPEN and (now or utcnow()) < self.opens_at

    @classmethod
    def accepting_input_filter(cls, now):
        return and_(cls.phase == PolicyPhase.OPEN, cls.opens_at <= now, cls.closes_at > now)


class PolicyVersion(db.Model):
    """One published text of a policy; version 1 is the first draft."""

    __tablename__ = "policy_version"

    id = db.Column(db.Integer, primary_key=True)
    policy_id = db.Column(db.Integer, db.ForeignKey("policy.id"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    change_note = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))

    policy = relationship("Policy", back_populates="versions")
    sections = relationship(
        "Section", back_populates="version", order_by="Section.number", cascade="all, delete-orphan"
    )

    __table_args__ = (db.UniqueConstraint("policy_id", "number"),)


class Section(db.Model):
    """A numbered clause (pasal) of one version.

    `clause_key` stays the same for "the same clause" across versions, so the
    diff can pair them even when clauses are inserted or reordered.
    """

    __tablename__ = "section"

    id = db.Column(db.Integer, primary_key=True)
    version_id = db.Column(db.Integer, db.ForeignKey("policy_version.id"), nullable=False, index=True)
    clause_key = db.Column(db.String(32), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    heading = db.Column(db.String(200), nullable=False)
    body_source = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    outcome_note = db.Column(db.Text)
    comment_count = db.Column(db.Integer, nullable=False, default=0)
    support_count = db.Column(db.Integer, nullable=False, default=0)
    oppose_count = db.Column(db.Integer, nullable=False, default=0)
    neutral_count = db.Column(db.Integer, nullable=False, default=0)

    version = relationship("PolicyVersion", back_populates="sections")

    __table_args__ = (
        db.UniqueConstraint("version_id", "number"),
        db.UniqueConstraint("version_id", "clause_key"),
    )


class Attachment(db.Model):
    """A PDF attached to a policy, stored under instance/uploads/ by generated name."""

    __tablename__ = "attachment"

    id = db.Column(db.Integer, primary_key=True)
    policy_id = db.Column(db.Integer, db.ForeignKey("policy.id"), nullable=False, index=True)
    original_name = db.Column(db.String(200), nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    size_bytes = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    removed_at = db.Column(UTCDateTime)

    policy = relationship("Policy", back_populates="attachments")
