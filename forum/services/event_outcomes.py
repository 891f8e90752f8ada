"""After an event: attendance, the minutes (notulen), and the points raised at a face-to-face meeting.

Both are for the event's officials once the event has ended (409 before).
A meeting point is a comment on the tied consultation (a clause or the
whole policy) with a stance and the number of people present who agreed;
it is stored as a `Comment` with the face-to-face channel, the event's
kelurahan as `input_district_id` and `event_id`, passes the same screen as
any comment, counts in the clause's counters and the feedback summary, and
is shown publicly as "from the meeting at <place>", not as the recording
official's own comment (`Comment.is_meeting_point`).
"""
from flask_babel import lazy_gettext as _l

from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.forms import check_length
from forum.models import Channel, Comment, ContentStatus, Demographic, PolicyPhase
from forum.permissions import require
from forum.services import transaction
from forum.services.comments import (
    _clean_body, _clean_stance, _current_section, _record_verdict, _screened, adjust_counters,
)
from forum.services.events import whole_number
from forum.text import render_markdown
from forum.timeutil import utcnow

MINUTES_MAX = 20000
ATTENDANCE_MAX = 100000
BREAKDOWN_PARTS = {"gender": Demographic.GENDERS, "age_band": Demographic.AGE_BANDS}


def _require_ended(event, now):
    if event.is_cancelled:
        raise Conflict(_l("This event was cancelled."), code="cancelled")
    if not event.has_ended(now):
        raise Conflict(_l("The event has not ended yet: minutes and points are recorded afterwards."),
                       code="not_ended")


def _breakdown(raw, total, errors):
    """{"gender": {code: n}, "age_band": {code: n}} without empty parts; each part at most the total."""
    if raw in (None, ""):
        return None
    if not isinstance(raw, dict):
        errors["attendance"] = _l("Give the attendance by gender and by age band as numbers.")
        return None
    cleaned = {}
    for part, codes in BREAKDOWN_PARTS.items():
        counts = raw.get(part) or {}
        if not isinstance(counts, dict) or set(counts) - set(codes):
            errors[f"attendance.{part}"] = _l("Use only the listed groups.")
            continue
        values = {code: whole_number(counts.get(code), f"attendance.{part}.{code}", 0, ATTENDANCE_MAX, errors,
                                      required=False) for code in codes}
        values = {code: value for code, value in values.items() if value}
        if values and total is not None and sum(values.values()) > total:
            errors[f"attendance.{part}"] = _l("These groups add up to more than the people who attended.")
        if values:
            cleaned[part] = values
    return cleaned or None


@transaction()
def publish_minutes(actor, event, *, minutes, attendance_total=None, attendance=None, now=None):
    """Record attendance and publish (or correct) the minutes of an event that has ended."""
    require(actor, "event.manage", event)
    now = now or utcnow()
    _require_ended(event, now)
    text = (minutes or "").strip() if isinstance(minutes, str) else ""
    errors = {}
    check_length(errors, "minutes", text, MINUTES_MAX)
    total = whole_number(attendance_total, "attendance_total", 0, ATTENDANCE_MAX, errors, required=False)
    breakdown = _breakdown(attendance, total, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    event.minutes = text
    event.minutes_html = render_markdown(text)
    event.minutes_published_at = event.minutes_published_at or now
    event.attendance_total = total
    event.attendance_breakdown = breakdown
    return event


def _checked(errors, check, *args, **kwargs):
    """`check(*args)`'s value, or None with its field errors added to `errors` (so all are named at once)."""
    try:
        return check(*args, **kwargs)
    except ValidationFailed as error:
        errors.update(error.fields)
        return None


@transaction()
def add_meeting_point(actor, event, *, body, stance, section_id=None, agreed_count=None, now=None):
    """A point raised at the meeting, on the tied consultation's clause; returns the Comment (with `verdict`)."""
    require(actor, "event.manage", event)
    _require_ended(event, now or utcnow())
    policy = event.policy
    if policy is None or policy.phase == PolicyPhase.DRAFT:
        raise Conflict(_l("This event is not tied to a published consultation."), code="no_consultation")
    errors = {}
    agreed = whole_number(agreed_count, "agreed_count", 0, ATTENDANCE_MAX, errors)
    text = _checked(errors, _clean_body, body)
    stance = _checked(errors, _clean_stance, stance, required=True)
    section = _checked(errors, _current_section, policy, section_id)
    if errors:
        raise ValidationFailed(fields=errors)
    verdict = _screened(text, actor, policy)
    version = policy.current_version
    point = Comment(
        author=actor, target=policy, body_source=verdict.text, body_html=render_markdown(verdict.text),
        status=verdict.status, stance=stance, channel=Channel.FACE_TO_FACE, input_district_id=event.district_id,
        event_id=event.id, agreed_count=agreed, version_id=version.id if version is not None else None,
        section_id=section.id if section is not None else None,
    )
    db.session.add(point)
    db.session.flush()
    if point.status == ContentStatus.PUBLISHED:
        adjust_counters(point, +1)
    _record_verdict(point, verdict, actor, text)
    point.verdict = verdict
    return point


def meeting_points(event):
    """The points recorded at an event, in the order entered (public ones for everyone)."""
    return db.session.scalars(db.select(Comment).where(Comment.event_id == event.id, Comment.public_filter())
                              .order_by(Comment.id)).all()
