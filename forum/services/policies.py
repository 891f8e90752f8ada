"""Draft policies: create, edit, publish, close, version and conclude a consultation.

Each verb is one transaction: it checks permission with `require()`, raises
`ValidationFailed` (field names match the drafting forms: `title`,
`sections-3-heading`, ...), `Conflict` for the wrong phase, and commits once.
Opening and closing on time happen on read: `refresh_phases()` closes every
overdue consultation with one UPDATE and tells followers of those closing
within 48 hours; `visible_policy()` calls it before loading a policy.
"""
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import check_length
from forum.models import Category, Policy, PolicyPhase, PolicyVersion, Section
from forum.permissions import require
from forum.services import notifications, transaction
from forum.services.diff import section_diff  # noqa: F401  (part of this service's contract)
from forum.text import render_markdown, typed_text
from forum.timeutil import utcnow

TITLE_MAX = 200
SUMMARY_MAX = 5_000
HEADING_MAX = 200
BODY_MAX = 20_000
MAX_SECTIONS = 50
CHANGE_NOTE_MAX = 2_000
OUTCOME_MAX = 20_000
CLAUSE_NOTE_MAX = 5_000
CLOSING_SOON = timedelta(hours=48)


# -- reading -------------------------------------------------------------------
def _anything_due():
    """Whether some open consultation is overdue or closes within 48 hours unannounced (`:now`, `:soon`).

    Built once: every page read runs it, and a statement built per call costs
    more to build and key than to run. Pages may ask it as a column of their
    own query (`DUE`, with `due_parameters()`) and call `refresh_phases()`
    only when it says so.
    """
    table = Policy.__table__
    now, soon = bindparam("now", type_=table.c.closes_at.type), bindparam("soon", type_=table.c.closes_at.type)
    due = or_(
        table.c.closes_at <= now,
        and_(table.c.closing_soon_notified_at.is_(None), table.c.opens_at <= now, table.c.closes_at <= soon),
    )
    return select(table.c.id).where(table.c.phase == PolicyPhase.OPEN, due).limit(1)


_ANYTHING_DUE = _anything_due()
DUE = _ANYTHING_DUE.exists()


def due_parameters(now=None):
    """The values for `DUE`'s parameters."""
    now = now or utcnow()
    return {"now": now, "soon": now + CLOSING_SOON}


def refresh_phases(now=None):
    """Close overdue consultations and announce those closing soon; return the closed ids.

    Called on every read, so it first asks with one read-only query whether
    anything is due. Both steps are single UPDATE ... RETURNING statements,
    so concurrent readers never close or announce the same policy twice.
    """
    now = now or utcnow()
    table = Policy.__table__
    # Most reads find nothing to do: one read-only query, no write lock taken.
    if db.session.execute(_ANYTHING_DUE, due_parameters(now)).first() is None:
        return []
    with transaction():
        closed_ids = db.session.execute(
            update(table)
            .where(table.c.phase == PolicyPhase.OPEN, table.c.closes_at <= now)
            .values(phase=PolicyPhase.CLOSED, closed_at=now)
            .returning(table.c.id)
        ).scalars().all()
        closing_ids = db.session.execute(
            update(table)
            .where(
                table.c.phase == PolicyPhase.OPEN,
                table.c.closing_soon_notified_at.is_(None),
                table.c.opens_at <= now,
                table.c.closes_at <= now + CLOSING_SOON,
            )
            .values(closing_soon_notified_at=now)
            .returning(table.c.id)
        ).scalars().all()
        if closed_ids or closing_ids:
            _expire_loaded(closed_ids + closing_ids)
            for policy in _load(closed_ids):
                flag_modified(policy, "phase")  # the UPDATE bypassed the ORM: the search outbox must see it
                notifications.policy_closed(policy)
            for policy in _load(closing_ids):
                notifications.policy_closing_soon(policy)
    return closed_ids


def _expire_loaded(ids):
    """Rows changed by the UPDATEs above must not be served from the identity map."""
    for policy_id in ids:
        loaded = db.session.identity_map.get(db.session.identity_key(Policy, policy_id))
        if loaded is not None:
            db.session.expire(loaded)


def _load(ids):
    if not ids:
        return []
    return db.session.scalars(select(Policy).where(Policy.id.in_(ids)).order_by(Policy.id)).all()


def visible_policy(user, policy_id):
    """The policy `policy_id` if `user` may read it, after refreshing phases; else NotFound."""
    refresh_phases()
    policy = db.session.get(Policy, policy_id) if 0 < policy_id <= MAX_ID else None
    if policy is None or not policy.is_visible_to(user):
        raise NotFound()
    return policy


def open_policies(limit=5):
    """Up to `limit` consultations accepting input now, closing soonest first."""
    refresh_phases()
    now = utcnow()
    query = (select(Policy).where(Policy.public_filter(), Policy.phase == PolicyPhase.OPEN, Policy.opens_at <= now)
             .options(selectinload(Policy.agency)).order_by(Policy.closes_at, Policy.id).limit(limit))
    return db.session.scalars(query).all()


def agency_policies(user):
    """The consultations `user` manages, newest first, with their counters (no per-row queries).

    Counters live on the rows (comment_count; up/down_count are support/oppose).
    """
    require(user, "policy.manage")
    refresh_phases()
    query = select(Policy).options(selectinload(Policy.category)).order_by(Policy.id.desc())
    if not user.is_admin:
        query = query.where(Policy.agency_id == user.agency_id)
    return db.session.scalars(query).all()


# -- validation ----------------------------------------------------------------
def _clean_sections(sections, errors):
    """Validated list of {"heading", "body", "clause_key"}; errors go into `errors`."""
    sections = list(sections or [])
    if not sections:
        errors["sections"] = _l("Add at least one section.")
    elif len(sections) > MAX_SECTIONS:
        errors["sections"] = _l("A policy can have at most %(max)d sections.", max=MAX_SECTIONS)
    cleaned = []
    for index, section in enumerate(sections[:MAX_SECTIONS]):
        heading, body = typed_text(section.get("heading")), typed_text(section.get("body"))
        check_length(errors, f"sections-{index}-heading", heading, HEADING_MAX)
        check_length(errors, f"sections-{index}-body", body, BODY_MAX)
        cleaned.append({"heading": heading, "body": body, "clause_key": section.get("clause_key") or ""})
    return cleaned


def _clean_policy_fields(title, summary, sections, category_code, opens_at, closes_at):
    errors = {}
    title, summary = typed_text(title), typed_text(summary)
    check_length(errors, "title", title, TITLE_MAX)
    check_length(errors, "summary", summary, SUMMARY_MAX)
    category = db.session.scalar(select(Category).where(Category.code == category_code)) if category_code else None
    if category is None:
        errors["category"] = _l("Choose a category from the list.")
    if opens_at is None:
        errors["opens_at"] = _l("Enter the date and time the consultation opens.")
    if closes_at is None:
        errors["closes_at"] = _l("Enter the date and time the consultation closes.")
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _l("The consultation must close after it opens.")
    elif closes_at <= utcnow():
        errors["closes_at"] = _l("The closing time has already passed.")
    cleaned_sections = _clean_sections(sections, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title, "summary": summary, "category": category,
        "opens_at": opens_at, "closes_at": closes_at, "sections": cleaned_sections,
    }


def _new_key():
    return secrets.token_hex(8)


def _section(number, data, clause_key):
    return Section(
        number=number, clause_key=clause_key, heading=data["heading"],
        body_source=data["body"], body_html=render_markdown(data["body"]),
    )


def _apply_fields(policy, fields):
    policy.title = fields["title"]
    policy.summary = fields["summary"]
    policy.summary_html = render_markdown(fields["summary"])
    policy.category = fields["category"]
    policy.opens_at = fields["opens_at"]
    policy.closes_at = fields["closes_at"]


# -- drafting ------------------------------------------------------------------
def create_policy(actor, *, title, summary, sections, category_code, opens_at, closes_at):
    """A new draft (phase `draft`) with version 1 holding `sections`."""
    require(actor, "policy.create")
    fields = _clean_policy_fields(title, summary, sections, category_code, opens_at, closes_at)

    with transaction():
        policy = Policy(author=actor, agency_id=actor.agency_id, phase=PolicyPhase.DRAFT)
        _apply_fields(policy, fields)
        version = PolicyVersion(number=1, created_by_id=actor.id)
        version.sections = [_section(i + 1, data, _new_key()) for i, data in enumerate(fields["sections"])]
        policy.versions.append(version)
        db.session.add(policy)
    return policy


def update_draft(actor, policy, *, title, summary, sections, category_code, opens_at, closes_at):
    """Rewrite a draft in place; its sections are reused by position (drafts have no comments)."""
    require(actor, "policy.draft", policy)
    if policy.phase != PolicyPhase.DRAFT:
        raise Conflict(_l("Only a draft can be edited. Publish a new version instead."))
    fields = _clean_policy_fields(title, summary, sections, category_code, opens_at, closes_at)

    with transaction():
        _apply_fields(policy, fields)
        version = policy.current_version
        existing = list(version.sections)
        for index, data in enumerate(fields["sections"]):
            if index < len(existing):
                section = existing[index]
                section.heading = data["heading"]
                section.body_source = data["body"]
                section.body_html = render_markdown(data["body"])
            else:
                version.sections.append(_section(index + 1, data, _new_key()))
        for section in existing[len(fields["sections"]):]:
            version.sections.remove(section)
    return policy


def publish_policy(actor, policy):
    """Draft -> open. With `opens_at` in the future it is announced but accepts no input yet."""
    require(actor, "policy.draft", policy)
    if policy.phase != PolicyPhase.DRAFT:
        raise Conflict(_l("This consultation has already been published."))
    if policy.closes_at <= utcnow():
        raise ValidationFailed(
            _l("The closing time has already passed. Change the dates before publishing."),
            fields={"closes_at": _l("The closing time has already passed.")},
        )

    with transaction():
        policy.phase = PolicyPhase.OPEN
        policy.published_at = utcnow()
        notifications.policy_opened(policy)
    return policy


def close_policy(actor, policy):
    """Open -> closed, by hand, before `closes_at`."""
    require(actor, "policy.draft", policy)
    if policy.phase != PolicyPhase.OPEN:
        raise Conflict(_l("Only an open consultation can be closed."))

    with transaction():
        policy.phase = PolicyPhase.CLOSED
        policy.closed_at = utcnow()
        notifications.policy_closed(policy)
    return policy


def publish_new_version(actor, policy, *, sections, change_note):
    """A new version of an open or closed policy; earlier versions and their comments stay.

    A section keeps its `clause_key` when it names a clause of the current
    version (edited or not), so the diff pairs it; other sections get new keys.
    """
    require(actor, "policy.draft", policy)
    if policy.phase not in (PolicyPhase.OPEN, PolicyPhase.CLOSED):
        raise Conflict(_l("A new version can only be published while the consultation is open or closed."))
    errors = {}
    change_note = typed_text(change_note)
    check_length(errors, "change_note", change_note, CHANGE_NOTE_MAX)
    cleaned = _clean_sections(sections, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    current = policy.current_version
    known = {section.clause_key for section in current.sections}

    with transaction():
        used = set()
        version = PolicyVersion(number=current.number + 1, change_note=change_note, created_by_id=actor.id)
        for index, data in enumerate(cleaned):
            key = data["clause_key"] if data["clause_key"] in known - used else _new_key()
            used.add(key)
            version.sections.append(_section(index + 1, data, key))
        policy.versions.append(version)
        notifications.policy_new_version(policy)
    return version


def publish_outcome(actor, policy, *, outcome, clause_notes=None):
    """Closed -> final: what changed and why, overall and optionally per clause.

    `clause_notes` maps section ids of the current version to a note;
    errors name the field `clause_note-<section id>`.
    """
    require(actor, "policy.draft", policy)
    if policy.phase != PolicyPhase.CLOSED:
        raise Conflict(_l("The outcome can be published once the consultation is closed."))
    errors = {}
    outcome = typed_text(outcome)
    check_length(errors, "outcome", outcome, OUTCOME_MAX)
    sections = {section.id: section for section in policy.current_version.sections}
    notes = {}
    for section_id, note in (clause_notes or {}).items():
        section = sections.get(section_id)
        note = typed_text(note)
        if section is None:
            errors["clause_notes"] = _l("A note names a clause that is not in this policy.")
        elif len(note) > CLAUSE_NOTE_MAX:
            errors[f"clause_note-{section_id}"] = _l("Use at most %(max)d characters.", max=CLAUSE_NOTE_MAX)
        else:
            notes[section] = note or None
    if errors:
        raise ValidationFailed(fields=errors)

    with transaction():
        policy.phase = PolicyPhase.FINAL
        policy.outcome_source = outcome
        policy.outcome_html = render_markdown(outcome)
        policy.outcome_published_at = utcnow()
        for section, note in notes.items():
            section.outcome_note = note
        notifications.policy_outcome_published(policy)
    return policy
