"""Comments on consultations and aspirations: post, reply, edit, delete, official responses, a thread's page.

Every write is one transaction: the comment row, its screen verdict, the
counters it moves (the policy's `comment_count`, the clause's comment and
stance counters, the parent's `reply_count`, all as SQL increments so
concurrent writers never lose one) and the notification rows. Only published
comments are counted; `adjust_counters` is the one place that knows which
counters a comment moves, for moderation decisions that publish or hide one.

Threads are three levels deep (depth 0, 1, 2); a reply to a third-level
comment joins that comment's parent, so it stays at the third level.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import (
    Channel,
    Comment,
    CommentRevision,
    ContentStatus,
    Policy,
    PolicyPhase,
    Section,
    Stance,
)
from forum.models.comments import MAX_DEPTH
from forum.permissions import can, may_write, require
from forum.services import notifications, organization_voice, transaction
from forum.text import normalize_text, render_markdown
from forum.timeutil import utcnow
from moderation.intake import record_screen, screen_or_refuse
from moderation.screen import ScreenContext

BODY_MAX = 5000
PAGE_SIZE = 20
SORTS = ("newest", "helpful", "official")
_STANCE_COUNTERS = {
    Stance.SUPPORT: Section.support_count,
    Stance.OPPOSE: Section.oppose_count,
    Stance.NEUTRAL: Section.neutral_count,
}


# -- checks ------------------------------------------------------------------------
def _clean_body(body):
    text = normalize_text(body if isinstance(body, str) else "").strip()
    if not text:
        raise ValidationFailed(fields={"body": _l("Write your comment first.")})
    if len(text) > BODY_MAX:
        raise ValidationFailed(fields={"body": _l("A comment may have at most %(max)d characters.", max=BODY_MAX)})
    return text


def _clean_stance(stance, required):
    if stance in (None, ""):
        if required:
            raise ValidationFailed(fields={"stance": _l("Choose whether you agree, disagree or are neutral.")})
        return None
    if stance not in Stance.ALL:
        raise ValidationFailed(fields={"stance": _l("Choose agree, disagree or neutral.")})
    return stance


def _require_writer(actor):
    if not may_write(actor):
        raise Forbidden(_l("Only signed-in, verified accounts in good standing can write comments."))


def _require_open(target):
    if not target.accepts_input():
        message = (_l("This consultation is closed to new input.") if isinstance(target, Policy)
                   else _l("This aspiration is closed to new comments."))
        raise Conflict(message, code="closed")


def _int_or_none(value, field_name):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 < number <= MAX_ID:
        raise ValidationFailed(fields={field_name: _l("This choice is not valid.")})
    return number


def _current_section(policy, section_id):
    """The clause `section_id` of the policy's current version, or a 422."""
    section_id = _int_or_none(section_id, "section_id")
    if section_id is None:
        return None
    version = policy.current_version
    section = db.session.get(Section, section_id)
    if section is None or version is None or section.version_id != version.id:
        raise ValidationFailed(fields={"section_id": _l("This clause is not part of the current text of this policy.")})
    return section


def _parent_comment(policy, parent_id):
    """The comment replied to (on this policy), moved up so the reply stays within three levels."""
    parent_id = _int_or_none(parent_id, "parent_id")
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.target_id != policy.id:
        message = (_l("This comment is not part of this consultation.") if isinstance(policy, Policy)
                   else _l("This comment is not part of this aspiration."))
        raise ValidationFailed(fields={"parent_id": message})
    if parent.is_tombstone or parent.status != ContentStatus.PUBLISHED:
        raise ValidationFailed(fields={"parent_id": _l("This comment can no longer be replied to.")})
    if parent.depth >= MAX_DEPTH:
        parent = parent.parent
    return parent


def _screened(text, actor, policy, target_id=None, is_edit=False):
    context = ScreenContext("comment", target_id=target_id, policy_id=policy.id, is_edit=is_edit)
    return screen_or_refuse(text, actor, context, "body")


def _record_verdict(comment, verdict, actor, text, is_edit=False):
    """The screen's decision on a saved comment goes to the audit log and the review queue."""
    context = ScreenContext("comment", target_id=comment.id if is_edit else None, policy_id=comment.target_id,
                            is_edit=is_edit)
    record_screen(verdict, actor, context, content=comment, original_text=text)


# -- counters ----------------------------------------------------------------------
def adjust_counters(comment, delta):
    """Move every counter `comment` counts in by `delta` (+1 or -1), in the current transaction."""
    policy = comment.target
    policy.comment_count = type(policy).comment_count + delta
    if comment.section_id is not None:
        values = {Section.comment_count: Section.comment_count + delta}
        if comment.stance in _STANCE_COUNTERS:
            counter = _STANCE_COUNTERS[comment.stance]
            values[counter] = counter + delta
        db.session.execute(
            Section.__table__.update().where(Section.id == comment.section_id).values(
                {column.key: value for column, value in values.items()}
            )
        )
    if comment.parent_id is not None:
        parent = comment.parent
        parent.reply_count = Comment.reply_count + delta


# -- writing -----------------------------------------------------------------------
def _add_comment(actor, policy, *, text, stance, section, parent, official=False, organization=None,
                 input_district=None):
    """Screen and add a comment typed by `actor`; with `input_district`, a desk comment without an author."""
    verdict = _screened(text, actor, policy)
    if parent is not None:
        thread = {"parent_id": parent.id, "root_id": parent.root_id or parent.id, "depth": parent.depth + 1,
                  "version_id": parent.version_id, "section_id": parent.section_id}
    else:
        version = policy.current_version
        thread = {"version_id": version.id if version is not None else None,
                  "section_id": section.id if section is not None else None}
    desk = {} if input_district is None else {"channel": Channel.DESK, "input_district": input_district}
    comment = Comment(
        author=actor if input_district is None else None, target=policy, body_source=verdict.text,
        body_html=render_markdown(verdict.text), status=verdict.status, stance=stance, is_official_response=official,
        agency_id=actor.agency_id if official else None, organization=organization, **thread, **desk,
    )
    db.session.add(comment)
    db.session.flush()
    if comment.status == ContentStatus.PUBLISHED:
        adjust_counters(comment, +1)
    _record_verdict(comment, verdict, actor, text)
    notifications.comment_posted(comment)
    comment.verdict = verdict
    return comment


@transaction()
def post_comment(actor, policy, *, body, stance, section_id=None, parent_id=None, as_organization=None):
    """A resident's comment on the whole policy or one clause, or a reply; returns the Comment.

    The returned comment carries `verdict` (the screen's) so callers can tell
    the author when the text was masked or held for review. `as_organization`
    (an id) posts it as that organization (forum/services/organization_voice.py).
    """
    _require_writer(actor)
    organization = organization_voice.voice_for(actor, as_organization)
    _require_open(policy)
    text = _clean_body(body)
    parent = _parent_comment(policy, parent_id)
    stance = _clean_stance(stance, required=parent is None and isinstance(policy, Policy))
    section = _current_section(policy, section_id) if parent is None else None
    return _add_comment(actor, policy, text=text, stance=stance, section=section, parent=parent,
                        organization=organization)


def post_desk_comment(officer, policy, *, body, stance, section_id, kelurahan):
    """A resident's comment typed at a kelurahan service desk, in the caller's transaction (forum/services/desk.py).

    No author account: channel `desk`, placed in the resident's `kelurahan`;
    a stance is required, as for any comment on a consultation.
    """
    if not isinstance(policy, Policy):
        raise NotFound()
    _require_open(policy)
    text = _clean_body(body)
    stance = _clean_stance(stance, required=True)
    section = _current_section(policy, section_id)
    return _add_comment(officer, policy, text=text, stance=stance, section=section, parent=None,
                        input_district=kelurahan)


@transaction()
def post_official_response(actor, policy, *, body, comment_id=None, section_id=None):
    """An official's response to a comment or a clause (or the whole policy), pinned and badged.

    Allowed on closed consultations too: answering is part of closing the loop.
    """
    require(actor, "comment.respond", policy)
    if policy.phase == PolicyPhase.DRAFT:
        raise Conflict(_l("This consultation has not been published yet."), code="draft")
    text = _clean_body(body)
    parent = _parent_comment(policy, comment_id)
    section = _current_section(policy, section_id) if parent is None else None
    return _add_comment(actor, policy, text=text, stance=None, section=section, parent=parent, official=True)


@transaction()
def add_official_response(actor, target, body):
    """An official response on `target` (an aspiration); inside the aspiration's own transaction, part of it."""
    require(actor, "comment.respond", target)
    text = _clean_body(body)
    return _add_comment(actor, target, text=text, stance=None, section=None, parent=None, official=True)


@transaction()
def edit_comment(actor, comment, body):
    """Change one's own comment within 15 minutes; the old text goes to the edit history."""
    policy = comment.target
    if comment.author_id != getattr(actor, "id", None) or comment.is_tombstone:
        raise Forbidden(_l("You can only edit your own comments."))
    if not can(actor, "comment.edit", comment):
        raise Forbidden(_l("Comments can be edited for 15 minutes after posting."))
    if not comment.is_official_response:
        _require_open(policy)
    text = _clean_body(body)
    verdict = _screened(text, actor, policy, target_id=comment.id, is_edit=True)
    if text == comment.body_source:
        comment.verdict = verdict
        return comment
    db.session.add(CommentRevision(comment_id=comment.id, body_source=comment.body_source))
    was_published = comment.status == ContentStatus.PUBLISHED
    comment.body_source = verdict.text
    comment.body_html = render_markdown(verdict.text)
    comment.edited_at = utcnow()
    # A held comment stays held whatever the edit: only a moderator releases it.
    if was_published and verdict.status != ContentStatus.PUBLISHED:
        comment.status = verdict.status
        adjust_counters(comment, -1)
    _record_verdict(comment, verdict, actor, text, is_edit=True)
    comment.verdict = verdict
    return comment


@transaction()
def delete_comment(actor, comment):
    """The author removes their comment: a tombstone keeps the thread readable."""
    require(actor, "comment.delete", comment)
    if not comment.is_official_response:
        _require_open(comment.target)
    if comment.status == ContentStatus.PUBLISHED:
        adjust_counters(comment, -1)
    comment.status = ContentStatus.DELETED
    return comment


def get_comment(comment_id):
    """The comment `comment_id`, or NotFound."""
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) and 0 < comment_id <= MAX_ID else None
    if comment is None:
        raise NotFound(_l("This comment does not exist."))
    return comment


# -- reading -----------------------------------------------------------------------
@dataclass
class CommentPage:
    """One page of root comments with their replies, as a thread tree."""

    roots: list
    replies: dict = field(default_factory=dict)  # comment id -> its replies, official first
    page: int = 1
    has_next: bool = False
    total: int = None  # matching root comments; counted only when asked (`with_total`)
    sort: str = "newest"

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def comments(self):
        """Every comment on the page (roots and replies)."""
        found = list(self.roots)
        for children in self.replies.values():
            found.extend(children)
        return found


def _shown_to(viewer):
    """Which comments a thread shows `viewer`: public ones, tombstones, and their own held ones."""
    shown = Comment.status.in_((ContentStatus.PUBLISHED,) + ContentStatus.TOMBSTONES)
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        if viewer.is_moderator:
            return None
        return or_(shown, Comment.author_id == viewer.id)
    return shown


def _root_order(sort):
    # Ids follow posting order; sorting on them walks the (target, parent, id)
    # index instead of sorting every root, so a page costs the same at 100 or
    # 10,000 comments.
    newest = (Comment.id.desc(),)
    if sort == "helpful":
        return ((Comment.up_count - Comment.down_count).desc(),) + newest
    if sort == "official":
        reply = aliased(Comment)
        answered = exists().where(reply.root_id == Comment.id, reply.is_official_response.is_(True),
                                  reply.status == ContentStatus.PUBLISHED)
        return (or_(Comment.is_official_response.is_(True), answered).desc(),) + newest
    return newest


def comment_page(policy, viewer, *, page=1, sort="newest", section_id=None, stance=None,
                 per_page=PAGE_SIZE, with_total=False):
    """Root comments (20 a page) and all their replies: two queries whatever the thread sizes.

    The API pages by `per_page` and asks `with_total` (one COUNT more) for its `total`.
    """
    sort = sort if sort in SORTS else "newest"
    per_page = per_page if isinstance(per_page, int) and 0 < per_page <= 100 else PAGE_SIZE
    page = page if isinstance(page, int) and 0 < page < 100000 else 1
    conditions = [Comment.target_id == policy.id, Comment.parent_id.is_(None)]
    visible = _shown_to(viewer)
    if visible is not None:
        conditions.append(visible)
    if section_id is not None:
        conditions.append(Comment.section_id == section_id)
    if stance in Stance.ALL:
        conditions.append(Comment.stance == stance)
    rows = db.session.scalars(
        select(Comment).where(and_(*conditions))
        .options(joinedload(Comment.author), joinedload(Comment.agency), joinedload(Comment.organization))
        .order_by(*_root_order(sort)).limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    roots = rows[:per_page]
    result = CommentPage(roots=roots, page=page, has_next=len(rows) > per_page, sort=sort)
    if with_total:
        result.total = db.session.scalar(select(func.count()).select_from(Comment).where(and_(*conditions)))
    if roots:
        reply_conditions = [Comment.root_id.in_([root.id for root in roots])]
        if visible is not None:
            reply_conditions.append(visible)
        replies = db.session.scalars(
            select(Comment).where(*reply_conditions)
            .options(joinedload(Comment.author), joinedload(Comment.agency), joinedload(Comment.organization))
            .order_by(Comment.is_official_response.desc(), Comment.created_at, Comment.id)
        ).all()
        for reply in replies:
            result.replies.setdefault(reply.parent_id, []).append(reply)
    return result


def may_edit(user, comment):
    """For templates: whether to offer the edit link now."""
    return can(user, "comment.edit", comment)
