"""Aspirations: submit, move along the workflow, answer, support, and internal notes.

The workflow (the LAPOR! flow):

    submitted -> verified | declined (reason)
    submitted | verified -> forwarded (agency)       moderators
    forwarded | in_progress | reopened -> forwarded  re-forward with a reason
    forwarded | reopened -> in_progress              the handling agency
    forwarded | in_progress | reopened -> answered   the handling agency (the answer)
    answered -> closed                               the author accepts, or 14 days pass
    answered -> reopened                             the author, once, with a reason

Every change is one transaction: the aspiration row, a timeline event, the
notifications to the author and followers, and (for an answer) the official
response. Deadlines are working days (forum/services/workdays.py):
verification within 3 of submission, a first agency response within 5 of
forwarding. Closing after 14 days without reply is checked on read
(`close_expired`), as consultations close themselves.
"""
import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from forum import activity
from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import (
    Agency,
    Aspiration,
    AspirationEvent,
    AspirationNote,
    AspirationState,
    AspirationType,
    Category,
    Channel,
    District,
    Visibility,
    Vote,
    VoteValue,
)
from forum.models.activity import ASPIRATION_LISTS
from forum.permissions import can, require
from forum.services import comments as comment_service
from forum.services import aspiration_photos, notifications, organization_voice, transaction, votes
from forum.services.aspiration_labels import ACTOR_LABELS, state_label
from forum.services.workdays import add_working_days
from forum.text import render_markdown, typed_text
from forum.timeutil import utcnow
from moderation.intake import record_screen, screen_or_refuse
from moderation.screen import ScreenContext

S = AspirationState
TITLE_MIN, TITLE_MAX = 5, 200
BODY_MAX = 5000
LOCATION_MAX = 200
NOTE_MAX = 2000
VERIFY_WORKING_DAYS = 3
RESPONSE_WORKING_DAYS = 5
AUTO_CLOSE_AFTER = timedelta(days=14)
MAX_REOPENS = 1
SCREEN_CONTEXT = ScreenContext("aspiration")
CODE_SHAPE = re.compile(r"[a-z0-9.-]{1,80}")  # reference codes are slugs (forum/data/README.md)

# (from, to) -> the permission the actor needs.
TRANSITIONS = {
    (S.SUBMITTED, S.VERIFIED): "aspiration.screen",
    (S.SUBMITTED, S.DECLINED): "aspiration.screen",
    (S.VERIFIED, S.DECLINED): "aspiration.screen",
    (S.SUBMITTED, S.FORWARDED): "aspiration.screen",
    (S.VERIFIED, S.FORWARDED): "aspiration.screen",
    (S.FORWARDED, S.FORWARDED): "aspiration.reforward",
    (S.IN_PROGRESS, S.FORWARDED): "aspiration.reforward",
    (S.REOPENED, S.FORWARDED): "aspiration.reforward",
    (S.FORWARDED, S.IN_PROGRESS): "aspiration.handle",
    (S.REOPENED, S.IN_PROGRESS): "aspiration.handle",
    (S.FORWARDED, S.ANSWERED): "aspiration.handle",
    (S.IN_PROGRESS, S.ANSWERED): "aspiration.handle",
    (S.REOPENED, S.ANSWERED): "aspiration.handle",
    (S.ANSWERED, S.CLOSED): "aspiration.conclude",
    (S.ANSWERED, S.REOPENED): "aspiration.conclude",
}
#: Transitions whose note is required: a reason or the answer itself.
NOTE_REQUIRED = {S.DECLINED, S.ANSWERED, S.REOPENED}


# -- helpers ---------------------------------------------------------------------------
def by_code(model, code, **conditions):
    """The reference row (district, category, agency) with this code, or None for anything else typed."""
    if not isinstance(code, str) or not CODE_SHAPE.fullmatch(code):
        return None
    return db.session.scalar(select(model).filter_by(code=code, **conditions))


def allowed_targets(actor, aspiration):
    """The states `actor` may move `aspiration` to now (for pages and the API)."""
    return [to for (frm, to), permission in TRANSITIONS.items()
            if frm == aspiration.state and can(actor, permission, aspiration)
            and not (to == S.REOPENED and aspiration.reopen_count >= MAX_REOPENS)]


# -- reading ---------------------------------------------------------------------------
def get_aspiration(viewer, aspiration_id):
    """The aspiration if `viewer` may read it (after closing expired ones); NotFound otherwise.

    A confidential aspiration is a 404, not a 403, to everyone else: its
    existence is not revealed.
    """
    close_expired()
    aspiration = db.session.get(Aspiration, aspiration_id) if 0 < aspiration_id <= MAX_ID else None
    if aspiration is None or not aspiration.is_visible_to(viewer):
        raise NotFound()
    return aspiration


def close_expired(now=None):
    """Close answered aspirations whose author did not reply within 14 days; return their ids.

    Checked on read: one read-only query when nothing is due. The UPDATE ...
    RETURNING claims the rows, so concurrent readers never close one twice.
    """
    now = now or utcnow()
    cutoff = now - AUTO_CLOSE_AFTER
    table = Aspiration.__table__
    due = (table.c.state == S.ANSWERED) & (table.c.answered_at <= cutoff)
    if db.session.execute(select(table.c.id).where(due).limit(1)).first() is None:
        return []
    with transaction():
        ids = db.session.execute(
            update(table).where(due).values(state=S.CLOSED, closed_at=now, state_changed_at=now)
            .returning(table.c.id)
        ).scalars().all()
        activity.touch(ASPIRATION_LISTS, *ids)  # their pages change: forum/activity.py cannot see a Core UPDATE
        for aspiration_id in ids:
            loaded = db.session.identity_map.get(db.session.identity_key(Aspiration, aspiration_id))
            if loaded is not None:
                db.session.expire(loaded)
        for aspiration in db.session.scalars(select(Aspiration).where(Aspiration.id.in_(ids))):
            flag_modified(aspiration, "state")  # the UPDATE bypassed the ORM: the search outbox must see it
            db.session.add(AspirationEvent(
                aspiration=aspiration, from_state=S.ANSWERED, to_state=S.CLOSED, actor_role="system",
                note="", created_at=now))
            notifications.aspiration_changed(aspiration, S.CLOSED, actor_id=None)
    return ids


# -- submitting ------------------------------------------------------------------------
def check_submission(aspiration_type, title, body, category, district, visibility, location=""):
    """The cleaned fields (title, body, location, Category, kelurahan) or ValidationFailed naming each problem."""
    errors = {}
    if aspiration_type not in AspirationType.ALL:
        errors["kind"] = _l("Choose aspiration, complaint, proposal or request for information.")
    title, body, location = typed_text(title), typed_text(body), typed_text(location)
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = _l("Use between %(min)d and %(max)d characters.", min=TITLE_MIN, max=TITLE_MAX)
    if not body:
        errors["body"] = _l("Describe your aspiration.")
    elif len(body) > BODY_MAX:
        errors["body"] = _l("Use at most %(max)d characters.", max=BODY_MAX)
    if len(location) > LOCATION_MAX:
        errors["location"] = _l("Use at most %(max)d characters.", max=LOCATION_MAX)
    category_row = by_code(Category, category)
    if category_row is None:
        errors["category"] = _l("Choose a topic from the list.")
    kelurahan = by_code(District, district, level=District.KELURAHAN)
    if kelurahan is None:
        errors["district"] = _l("Choose a kelurahan of Tangerang Selatan from the list.")
    if visibility not in Visibility.ALL:
        errors["visibility"] = _l("Choose public, anonymous or confidential.")
    if errors:
        raise ValidationFailed(fields=errors)
    return title, body, location, category_row, kelurahan


@transaction()
def submit_aspiration(actor, *, aspiration_type, title, body, category, district, visibility=Visibility.PUBLIC,
                      location="", photos=(), as_organization=None):
    """A resident's new aspiration (state `submitted`); the author follows it. Returns it.

    `photos` are upload objects (forum/services/aspiration_photos.py checks
    them all before anything is written). The returned aspiration carries
    `notices`: what the screen told the author (masked, held). With
    `as_organization` (an id) the organization is its public author; an
    organization speaks in its own name, so it cannot be anonymous.
    """
    require(actor, "aspiration.create")
    organization = organization_voice.voice_for(actor, as_organization)
    if organization is not None and visibility == Visibility.ANONYMOUS:
        raise ValidationFailed(fields={"visibility": _l("An organization posts in its own name: choose public or "
                                                        "confidential.")})
    aspiration = create_aspiration(actor, author=actor, organization=organization, aspiration_type=aspiration_type,
                                   title=title, body=body, category=category, district=district,
                                   visibility=visibility, location=location, photos=photos)
    notifications.follow(actor, aspiration)
    return aspiration


def create_aspiration(actor, *, author, aspiration_type, title, body, category, district, visibility, location,
                      photos, organization=None, channel=Channel.ONLINE, input_district=None):
    """Check, screen and add a new aspiration typed by `actor`, in the caller's transaction.

    `author` is the account it belongs to: the actor online, None for a
    resident without an account at a service desk (forum/services/desk.py);
    `organization` the verified organization it speaks for, if any.
    """
    title, body, location, category_row, kelurahan = check_submission(
        aspiration_type, title, body, category, district, visibility, location)
    images = aspiration_photos.read_photos(photos)
    title_verdict = screen_or_refuse(title, actor, SCREEN_CONTEXT, "title")
    body_verdict = screen_or_refuse(body, actor, SCREEN_CONTEXT, "body")
    now = utcnow()
    held = {title_verdict.status, body_verdict.status} - {"published"}
    aspiration = Aspiration(
        author=author, organization=organization, title=title_verdict.text, body_source=body_verdict.text,
        body_html=render_markdown(body_verdict.text), status=held.pop() if held else "published",
        aspiration_type=aspiration_type, category=category_row, district=kelurahan,
        kecamatan_id=kelurahan.parent_id, location_text=location, visibility=visibility,
        state=S.SUBMITTED, created_at=now, state_changed_at=now,
        verify_due_at=add_working_days(now, VERIFY_WORKING_DAYS),
        channel=channel, input_district=input_district,
    )
    db.session.add(aspiration)
    aspiration.events.append(AspirationEvent(
        from_state=None, to_state=S.SUBMITTED, actor=actor, actor_role=actor.role, note="", created_at=now))
    db.session.flush()
    for verdict, text in ((title_verdict, title), (body_verdict, body)):
        record_screen(verdict, actor, SCREEN_CONTEXT, content=aspiration, original_text=text)
    aspiration_photos.store(aspiration, images)
    aspiration.notices = [str(m) for v in (title_verdict, body_verdict) for m in v.author_messages()]
    return aspiration


# -- the workflow ----------------------------------------------------------------------
def _check_transition(actor, aspiration, to):
    if to not in S.ALL:
        raise ValidationFailed(fields={"to": _l("Unknown state.")})
    permission = TRANSITIONS.get((aspiration.state, to))
    if permission is None:
        raise Conflict(_l("This aspiration cannot go from “%(from)s” to “%(to)s”.",
                          **{"from": state_label(aspiration.state), "to": state_label(to)}), code="wrong_state")
    if not can(actor, permission, aspiration):
        require(actor, permission, aspiration)  # logs the refusal and raises Forbidden
    if to == S.REOPENED and aspiration.reopen_count >= MAX_REOPENS:
        raise Conflict(_l("An aspiration can be reopened only once."), code="reopened_before")


def _target_agency(aspiration, agency_code):
    agency = by_code(Agency, agency_code)
    if agency is None:
        raise ValidationFailed(fields={"agency": _l("Choose the agency to forward to.")})
    if agency.id == aspiration.agency_id:
        raise ValidationFailed(fields={"agency": _l("The aspiration is already with this agency.")})
    return agency


@transaction()
def transition(actor, aspiration, to, *, agency=None, note=""):
    """Move `aspiration` to state `to` as `actor`; one transaction. Returns the aspiration.

    `agency` (a code) is required to forward; `note` is required to decline,
    re-forward, answer and reopen. Answering also publishes the note as the
    agency's official response.
    """
    _apply_transition(actor, aspiration, to, agency=agency, note=note)
    return aspiration


def _apply_transition(actor, aspiration, to, *, agency=None, note="", post_response=True):
    _check_transition(actor, aspiration, to)
    note = typed_text(note)
    reforward = to == S.FORWARDED and aspiration.state != S.SUBMITTED and aspiration.state != S.VERIFIED
    if (to in NOTE_REQUIRED or reforward) and not note:
        message = _l("Write the answer.") if to == S.ANSWERED else _l("Give a reason.")
        raise ValidationFailed(fields={"note": message})
    longest = comment_service.BODY_MAX if to == S.ANSWERED else NOTE_MAX
    if len(note) > longest:
        raise ValidationFailed(fields={"note": _l("Use at most %(max)d characters.", max=longest)})
    target_agency = _target_agency(aspiration, agency) if to == S.FORWARDED else None
    now = utcnow()
    from_state = aspiration.state
    if to == S.ANSWERED and post_response:
        # The answer is also the agency's official response, through the comment service
        # (screened, badged, counted); it commits nothing itself here.
        comment_service.add_official_response(actor, aspiration, note)
    _move(aspiration, to, now, agency=target_agency)
    db.session.add(AspirationEvent(
        aspiration=aspiration, from_state=from_state, to_state=to, actor=actor, actor_role=actor.role,
        actor_agency_id=actor.agency_id if actor.is_official else None,
        agency_id=target_agency.id if target_agency else None, note=note, created_at=now,
    ))
    if target_agency is not None:
        notifications.aspiration_forwarded_to(aspiration, target_agency, actor_id=actor.id)
    notifications.aspiration_changed(aspiration, to, actor_id=actor.id)


def _move(aspiration, to, now, agency=None):
    """Set the state and the times that go with it."""
    if to in (S.VERIFIED, S.FORWARDED) and aspiration.verified_at is None:
        aspiration.verified_at = now
    if to == S.FORWARDED:
        aspiration.agency_id = agency.id
        aspiration.agency = agency
        aspiration.forwarded_at = now
        aspiration.first_response_at = None
        aspiration.response_due_at = add_working_days(now, RESPONSE_WORKING_DAYS)
    if to in (S.IN_PROGRESS, S.ANSWERED) and aspiration.first_response_at is None:
        aspiration.first_response_at = now
    if to == S.ANSWERED:
        aspiration.answered_at = now
    if to == S.CLOSED:
        aspiration.closed_at = now
    if to == S.REOPENED:
        aspiration.reopen_count = (aspiration.reopen_count or 0) + 1
        aspiration.answered_at = None
    aspiration.state = to
    aspiration.state_changed_at = now


@transaction()
def respond(actor, aspiration, body):
    """An official response of the handling agency; while the aspiration waits for one, it answers it.

    Returns the response (a Comment, with the screen's `verdict`).
    """
    if aspiration.state in S.AT_AGENCY:
        require(actor, "aspiration.handle", aspiration)
        response = comment_service.add_official_response(actor, aspiration, body)
        _apply_transition(actor, aspiration, S.ANSWERED, note=body, post_response=False)
    else:
        response = comment_service.add_official_response(actor, aspiration, body)
    return response


# -- support (dukung): the votes service, value `up` --------------------------------------
def _check_supporter(actor, aspiration, organization):
    if organization is not None:
        if aspiration.organization_id == organization.id:
            raise Forbidden(_l("An organization cannot support its own aspiration."))
    elif aspiration.author_id == getattr(actor, "id", None) and aspiration.organization_id is None:
        raise Forbidden(_l("You cannot support your own aspiration."))


def support(actor, aspiration, as_organization=None):
    """Support an aspiration: one per person (or per organization, `as_organization`); the supporter
    follows it. A second support is a 409."""
    organization = organization_voice.voice_for(actor, as_organization)
    _check_supporter(actor, aspiration, organization)
    already = db.session.scalar(select(Vote.id).where(
        Vote.content_id == aspiration.id, votes.cast_by(actor, organization))) \
        if getattr(actor, "is_authenticated", False) else None
    if already is not None:
        message = (_l("This organization already supports this aspiration.") if organization is not None
                   else _l("You already support this aspiration."))
        raise Conflict(message, code="already_supported")
    return votes.vote_on_aspiration(actor, aspiration, also=lambda: notifications.follow(actor, aspiration),
                                    organization=organization)


def withdraw_support(actor, aspiration, as_organization=None):
    organization = organization_voice.voice_for(actor, as_organization)
    _check_supporter(actor, aspiration, organization)
    return votes.clear_aspiration_vote(actor, aspiration, organization=organization)


def supports(user, aspiration):
    """Whether `user` supports `aspiration`."""
    return votes.votes_of(user, [aspiration.id]).get(aspiration.id) == VoteValue.UP


# -- internal notes --------------------------------------------------------------------
@transaction()
def add_note(actor, aspiration, body):
    """A staff-only note (moderators and the handling agency)."""
    require(actor, "aspiration.notes", aspiration)
    text = typed_text(body)
    if not text:
        raise ValidationFailed(fields={"body": _l("Write the note first.")})
    if len(text) > NOTE_MAX:
        raise ValidationFailed(fields={"body": _l("Use at most %(max)d characters.", max=NOTE_MAX)})
    note = AspirationNote(aspiration_id=aspiration.id, author=actor, body=text,
                          agency_id=actor.agency_id if actor.is_official else None)
    db.session.add(note)
    return note


def notes_of(viewer, aspiration):
    """The internal notes, oldest first, or [] for anyone who may not see them."""
    if not can(viewer, "aspiration.notes", aspiration):
        return []
    return db.session.scalars(
        select(AspirationNote).where(AspirationNote.aspiration_id == aspiration.id)
        .options(selectinload(AspirationNote.author), selectinload(AspirationNote.agency))
        .order_by(AspirationNote.id)
    ).all()


# -- the timeline ------------------------------------------------------------------------
def event_actor(event, viewer):
    """Who made a timeline step, as `viewer` may read it: role and agency; names only when configured.

    The author's own steps name the author unless the aspiration is anonymous;
    a service desk's steps (the submission, the resident's later updates) are
    the resident's, shown as the desk input's public author.
    """
    role = str(ACTOR_LABELS.get(event.actor_role, event.actor_role))
    if event.actor_role in ("resident", "desk"):
        name = event.aspiration.author_name_for(viewer)
        return name or str(_l("The author"))
    parts = [role]
    if event.actor_agency is not None:
        parts.append(event.actor_agency.name)
    if current_app.config.get("ASPIRATION_SHOW_STAFF_NAMES") and event.actor is not None:
        parts.append(event.actor.display_name)
    return ", ".join(parts)
