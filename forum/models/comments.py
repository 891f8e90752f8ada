"""Comments: a Content kind written on a policy (or, later, an aspiration).

A comment points at its target content, and on a policy at the version and
optionally the clause it was written on. Threads are at most three levels
deep: `depth` 0 is a root comment, and a reply to a third-level comment is
attached to that third-level comment's parent level (the service decides).
Official responses are comments by an official, marked and pinned.
"""
from sqlalchemy import or_, select
from sqlalchemy.orm import relationship, selectinload

from forum.extensions import db
from forum.models.content import Content
from forum.models.policies import Policy
from forum.timeutil import UTCDateTime, utcnow

MAX_DEPTH = 2  # 0, 1, 2: three levels


class Stance:
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"
    ALL = (SUPPORT, OPPOSE, NEUTRAL)


class Comment(Content):
    __tablename__ = "comment"

    id = db.Column(db.Integer, db.ForeignKey("content.id"), primary_key=True)
    target_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, index=True)
    version_id = db.Column(db.Integer, db.ForeignKey("policy_version.id"), index=True)
    section_id = db.Column(db.Integer, db.ForeignKey("section.id"), index=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("comment.id"), index=True)
    root_id = db.Column(db.Integer, db.ForeignKey("comment.id"), index=True)
    depth = db.Column(db.Integer, nullable=False, default=0)
    stance = db.Column(db.String(16))
    is_official_response = db.Column(db.Boolean, nullable=False, default=False)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"))
    # A point raised at a face-to-face meeting (channel face_to_face): the event it was
    # raised at and how many people there agreed with it (forum/services/event_points.py).
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), index=True)
    agreed_count = db.Column(db.Integer)

    __mapper_args__ = {"polymorphic_identity": "comment", "inherit_condition": id == Content.id}
    __table_args__ = (
        db.CheckConstraint("depth BETWEEN 0 AND 2", name="depth_bounded"),
        db.CheckConstraint("stance IS NULL OR stance IN ('support', 'oppose', 'neutral')", name="stance_known"),
        db.Index("ix_comment_target_parent_id", "target_id", "parent_id", "id"),
        db.CheckConstraint("agreed_count IS NULL OR agreed_count >= 0", name="agreed_count_positive"),
    )

    target = relationship("Content", foreign_keys=[target_id])
    version = relationship("PolicyVersion")
    section = relationship("Section")
    parent = relationship("Comment", remote_side=[id], foreign_keys=[parent_id])
    agency = relationship("Agency")
    event = relationship("Event")
    revisions = relationship("CommentRevision", order_by="CommentRevision.id", cascade="all, delete-orphan")

    # -- visibility: a comment is public only while its target is ---------------
    def _is_public_extra(self):
        return self.target is not None and self.target.is_public

    @classmethod
    def _public_extra(cls):
        # One branch per kind a comment may be written on, each with that
        # kind's own rule, so SQL and `_is_public_extra` agree exactly.
        # correlate(None): the subquery's own `content` rows, not the comment's.
        return or_(*(cls.target_id.in_(select(kind.id).where(kind.public_filter()).correlate(None))
                     for kind in _target_kinds()))

    # -- search (forum/search) ------------------------------------------------------
    search_fields = Content.search_fields + ("stance", "section_id", "is_official_response", "target_id")

    @property
    def is_meeting_point(self):
        """A point raised at a face-to-face meeting: shown as the meeting's, not its recorder's."""
        return self.event_id is not None

    def public_author_name(self):
        if self.is_meeting_point:
            return None
        return super().public_author_name()

    def search_document(self):
        """Body, stance and clause; category and agency are the policy's."""
        document = super().search_document()
        target = self.target
        document.update(
            heading=self.section.heading if self.section else "",
            category=getattr(getattr(target, "category", None), "code", None),
            agency=getattr(getattr(target, "agency", None), "code", None),
            stance=self.stance,
            status="official" if self.is_official_response else self.status,
            url=f"{'/aspirasi' if getattr(target, 'kind', None) == 'aspiration' else '/konsultasi'}"
                f"/{self.target_id}#comment-{self.id}",
        )
        return document

    @classmethod
    def search_loader_options(cls):
        return [selectinload(cls.section),
                selectinload(cls.target.of_type(Policy)).options(
                    selectinload(Policy.category), selectinload(Policy.agency))]


def _target_kinds():
    """The content classes a comment can be written on (every commentable kind but comments)."""
    return [mapper.class_ for mapper in Content.__mapper__.self_and_descendants
            if mapper.class_ not in (Content, Comment) and mapper.class_.commentable]


class CommentRevision(db.Model):
    """The text a comment had before an edit (edit history)."""

    __tablename__ = "comment_revision"

    id = db.Column(db.Integer, primary_key=True)
    comment_id = db.Column(db.Integer, db.ForeignKey("comment.id"), nullable=False, index=True)
    body_source = db.Column(db.Text, nullable=False)
    replaced_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
