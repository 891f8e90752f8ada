"""The Content supertype: everything people write, and the one visibility rule.

Policies, aspirations and comments extend `Content` through joined-table
inheritance. Votes, flags, review items, notifications and the search outbox
point at `content.id`. Whether content may be shown to the public is decided
here and nowhere else: `Content.is_public` for one row, `public_filter()` for a
query. Subclasses narrow the rule by overriding `_public_extra()` and
`_is_public_extra()` (a draft policy or a confidential aspiration).

Each kind also declares what the search index holds for it (forum/search):
`search_fields` names the attributes whose change must reach the index,
`search_document()` returns the document, `search_loader_options()` is an
optional refinement (comments follow their target: forum/search/outbox.py). Only public content is ever
indexed; the indexer applies `is_public` itself.
"""
import hashlib

from flask_babel import gettext
from sqlalchemy import and_, true
from sqlalchemy.orm import relationship, selectinload, validates

from forum.extensions import db
from forum.text import plain_text
from forum.timeutil import UTCDateTime, utcnow


def body_hash(text):
    """SHA-256 of the text with case and spacing ignored.

    The screen compares it to spot the same text posted again (moderation/filters/rate.py).
    """
    normalized = " ".join((text or "").casefold().split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


class ContentStatus:
    """Lifecycle of any piece of content (see DESIGN.md)."""

    PENDING = "pending"      # held by the screen: author and moderators only
    PUBLISHED = "published"
    HIDDEN = "hidden"        # by flags or a moderator; reversible
    REMOVED = "removed"      # by a moderator; tombstone with a reason
    DELETED = "deleted"      # by its author; tombstone

    ALL = (PENDING, PUBLISHED, HIDDEN, REMOVED, DELETED)
    TOMBSTONES = (REMOVED, DELETED)


class Channel:
    """How a piece of input reached the forum (labels: forum/channels.py).

    Online input is typed by its author. Face-to-face input is a point raised
    at a meeting and entered by the official who ran it; desk input is typed by
    a kelurahan service desk for a resident without an account. Offline input
    carries the kelurahan it came from in `Content.input_district_id`.
    """

    ONLINE = "online"
    FACE_TO_FACE = "face_to_face"
    DESK = "desk"

    ALL = (ONLINE, FACE_TO_FACE, DESK)


class Content(db.Model):
    """One row per piece of content, whatever its kind."""

    __tablename__ = "content"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(32), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    body_source = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    body_hash = db.Column(db.String(64), index=True)  # see body_hash(); set with body_source
    status = db.Column(db.String(16), nullable=False, default=ContentStatus.PUBLISHED, index=True)
    status_reason = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    edited_at = db.Column(UTCDateTime)
    up_count = db.Column(db.Integer, nullable=False, default=0)
    down_count = db.Column(db.Integer, nullable=False, default=0)
    reply_count = db.Column(db.Integer, nullable=False, default=0)
    flag_count = db.Column(db.Integer, nullable=False, default=0)
    channel = db.Column(db.String(16), nullable=False, default=Channel.ONLINE, server_default=Channel.ONLINE,
                        index=True)
    # The kelurahan offline input comes from (the meeting's place, the desk
    # resident's home); online input is placed by its author's registered area.
    input_district_id = db.Column(db.Integer, db.ForeignKey("district.id"), index=True)
    # Set when a member wrote as a verified organization: the organization is
    # the public author, `author_id` the account who wrote (forum/models/organizations.py).
    organization_id = db.Column(db.Integer, db.ForeignKey("organization.id"), index=True)

    author = relationship("User", back_populates="contents")
    input_district = relationship("District", foreign_keys=[input_district_id])
    organization = relationship("Organization")

    __table_args__ = (
        db.CheckConstraint(
            "status IN ('pending', 'published', 'hidden', 'removed', 'deleted')",
            name="status_known",
        ),
        db.CheckConstraint("channel IN ('online', 'face_to_face', 'desk')", name="channel_known"),
    )
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "content"}

    @validates("body_source")
    def _set_body_hash(self, key, value):
        self.body_hash = body_hash(value)
        return value

    #: Whether comments may be written on this kind (forum/models/comments.py),
    #: and whether people may flag it for moderators (permission "content.flag").
    commentable = True
    flaggable = True

    # -- the one visibility rule -------------------------------------------
    @property
    def is_public(self):
        """True when anyone, signed in or not, may read this content."""
        return self.status == ContentStatus.PUBLISHED and self._is_public_extra()

    def _is_public_extra(self):
        return True

    @classmethod
    def _public_extra(cls):
        return true()

    @classmethod
    def public_filter(cls):
        """SQL condition matching exactly the rows for which `is_public` holds."""
        return and_(cls.status == ContentStatus.PUBLISHED, cls._public_extra())

    def is_visible_to(self, user):
        """Whether `user` (None or anonymous for a visitor) may read the full text.

        Public content is visible to all. Otherwise the author keeps sight of
        their own pending and hidden content, and moderators see everything.
        Tombstones (removed, deleted) show no text to anyone but moderators.
        """
        if self.is_public:
            return True
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if user.is_moderator:
            return True
        if self.status in ContentStatus.TOMBSTONES:
            return False
        return self.author_id == user.id and self._visible_to_author_extra(user)

    def _visible_to_author_extra(self, user):
        return True

    @property
    def is_tombstone(self):
        return self.status in ContentStatus.TOMBSTONES

    # -- search: what the index holds for this content ------------------------
    #: Attributes whose change alters the indexed document or its visibility.
    #: The session hook writes a search outbox row when one of them changes;
    #: subclasses extend it (`Content.search_fields + ("title", ...)`).
    #: Counters (votes, replies, flags) are deliberately absent.
    search_fields = ("body_html", "status", "author_id", "organization_id", "created_at")

    def public_author_name(self):
        """The author's name as the public may see it; None when anonymous or deleted.

        Desk input names no person, even once a resident claimed it: it is
        "a resident of <kelurahan>" (the resident's consent covered no more).
        Content written as an organization names the organization, never the member.
        """
        if self.organization_id is not None:
            return self.organization.name
        if getattr(self, "is_anonymous", False):
            return None
        if self.channel == Channel.DESK:
            return self.desk_author_label()
        if self.author is None or self.author.is_deleted:
            return None
        return self.author.display_name

    def desk_author_label(self):
        """How desk input is signed: "Warga <kelurahan> (melalui layanan kelurahan)"."""
        place = self.input_district.name if self.input_district is not None else ""
        return gettext("Resident of %(kelurahan)s (via the kelurahan service desk)", kelurahan=place)

    def search_document(self):
        """The indexed document: subclasses fill in what they have.

        Keys: kind, title, heading (a clause heading), body (plain text),
        category / agency (codes), districts (kelurahan or kecamatan codes),
        status (the kind's own public status, e.g. open or answered), stance,
        author (None when anonymous), created_at, url (a path, or None).
        """
        return {
            "kind": self.kind,
            "title": "",
            "heading": "",
            "body": plain_text(self.body_html),
            "category": None,
            "agency": None,
            "districts": [],
            "status": self.status,
            "stance": None,
            # Desk input is signed with words in the reader's language: the index, built in no
            # particular one, names no author for it.
            "author": None if self.channel == Channel.DESK else self.public_author_name(),
            "created_at": self.created_at,
            "url": None,
        }

    @classmethod
    def search_loader_options(cls):
        """Loader options for the relationships this class's `search_document` reads.

        Each class lists only its own relationships; the indexer gathers them
        over the hierarchy, so loading a batch costs a few queries, not one
        per row.
        """
        return [selectinload(Content.author), selectinload(Content.organization)]

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} {self.status}>"
