"""Guides (`/panduan`): plain-language help pages that admins edit, with every save kept.

A `Guide` is a Content kind ("guide"), not a table of its own beside the
search index: the index, its outbox hook and `flask search verify` all work
on `content` rows (forum/search), so as Content a guide is indexed, kept in
step and verified by the same code as a consultation, with `search_document`
giving its title, section headings, both languages' text and its `/panduan`
URL. Guides are written by the city, not by a person: `author_id` stays
empty (the editors are on the revisions), they take no comments
(`commentable`) and are never screened or flagged (`flaggable`).

The Indonesian text is Content's own `body_source` / `body_html`; the English
text sits beside it (`title_en`, `summary_en`, `body_en_*`), all required,
so an English reader never gets half a guide. Bodies are rendered by
`forum.text.render_guide`, which keeps `##` headings as sections with stable
anchors (`## Heading {#anchor}` -> `id="bagian-anchor"`) that forms link to.

Every save is a new `GuideRevision` holding the whole editable text, its
editor and time; restoring copies an old revision into a new one, so the
history only grows. A guide is public once published (`published_at`);
unpublished guides are seen by admins only.
"""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.models.content import Content
from forum.text import guide_sections, plain_text
from forum.timeutil import UTCDateTime, utcnow


class Guide(Content):
    """One guide page; its Indonesian body is Content's body."""

    __tablename__ = "guide"
    __mapper_args__ = {"polymorphic_identity": "guide"}

    #: The fields a revision keeps (the whole editable text).
    TEXT_FIELDS = ("title", "title_en", "summary", "summary_en", "body_source", "body_en_source", "illustration")

    commentable = flaggable = False

    id = db.Column(db.Integer, db.ForeignKey("content.id"), primary_key=True)
    slug = db.Column(db.String(60), nullable=False, unique=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    title = db.Column(db.String(120), nullable=False)
    title_en = db.Column(db.String(120), nullable=False)
    summary = db.Column(db.String(300), nullable=False, default="")
    summary_en = db.Column(db.String(300), nullable=False, default="")
    body_en_source = db.Column(db.Text, nullable=False, default="")
    body_en_html = db.Column(db.Text, nullable=False, default="")
    illustration = db.Column(db.String(40))
    published_at = db.Column(UTCDateTime)
    revision_count = db.Column(db.Integer, nullable=False, default=0)

    revisions = relationship("GuideRevision", back_populates="guide", order_by="GuideRevision.number",
                             cascade="all, delete-orphan")

    # -- visibility: unpublished guides are the admins' -----------------------------
    def _is_public_extra(self):
        return self.published_at is not None

    @classmethod
    def _public_extra(cls):
        return cls.published_at.is_not(None)

    def is_visible_to(self, user):
        if self.is_public:
            return True
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_admin)

    # -- language ----------------------------------------------------------------
    def text(self, locale):
        """(title, summary, body_html) in `locale` ("en" or Indonesian)."""
        if str(locale).startswith("en"):
            return self.title_en, self.summary_en, self.body_en_html
        return self.title, self.summary, self.body_html

    # -- search (forum/search) -----------------------------------------------------
    search_fields = Content.search_fields + (
        "slug", "title", "title_en", "summary", "summary_en", "body_en_html", "published_at",
    )

    def search_document(self):
        """Both languages' titles, summaries and text; headings are the section headings."""
        document = super().search_document()
        headings = [heading for source in (self.body_source, self.body_en_source)
                    for _anchor, heading in guide_sections(source)]
        document.update(
            title=self.title,
            heading=" ".join(headings),
            body="\n".join([self.summary, plain_text(self.body_html), self.title_en, self.summary_en,
                            plain_text(self.body_en_html)]),
            created_at=self.published_at or self.created_at,
            url=f"/panduan/{self.slug}",
        )
        return document

    def __repr__(self):
        return f"<Guide {self.id} {self.slug}>"


class GuideRevision(db.Model):
    """The whole text of a guide as one save left it."""

    __tablename__ = "guide_revision"

    id = db.Column(db.Integer, primary_key=True)
    guide_id = db.Column(db.Integer, db.ForeignKey("guide.id"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    editor_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    note = db.Column(db.String(200), nullable=False, default="")
    restored_from = db.Column(db.Integer)  # the revision number this one copies, when restored
    title = db.Column(db.String(120), nullable=False)
    title_en = db.Column(db.String(120), nullable=False)
    summary = db.Column(db.String(300), nullable=False, default="")
    summary_en = db.Column(db.String(300), nullable=False, default="")
    body_source = db.Column(db.Text, nullable=False, default="")
    body_en_source = db.Column(db.Text, nullable=False, default="")
    illustration = db.Column(db.String(40))

    guide = relationship("Guide", back_populates="revisions")
    editor = relationship("User")

    __table_args__ = (db.UniqueConstraint("guide_id", "number"),)

    def __repr__(self):
        return f"<GuideRevision {self.guide_id}#{self.number}>"
