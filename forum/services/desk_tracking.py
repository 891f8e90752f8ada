"""Following an assisted submission by its receipt code, and claiming it into an account.

`track(code)` is public (the `/lacak` page and `GET /api/v1/track/{code}`):
a mistyped code fails its check character and is a 404 `invalid_code`, a
well-formed code nobody was given a 404 `not_found`; the callers rate
limit it per address, so codes cannot be guessed. What it shows: the
status of the submission, and for a public aspiration its title and public
timeline (with the agency's answer); a confidential or not yet public
aspiration shows its status only, a comment its status and consultation,
an event registration the event (title, time, place) and whether the seat
is confirmed, on the waiting list (with the place in the queue) or cancelled.

Claiming: a registered resident types the code and the phone number given
at the desk. A match gives a signed token (forum/services/signed_tokens.py)
that `confirm_claim` takes to move the submission to their account (an
event registration becomes their own seat, which they see and may cancel
on the event's page); a wrong number is refused and written to the
moderation audit log.
"""
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import receipt_codes
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.events.labels import REGISTRATION_LABELS
from forum.extensions import db
from forum.models import Aspiration, ContentStatus, DeskKind, DeskSubmission, RegistrationStatus
from forum.permissions import require
from forum.security_log import security_event
from forum.services import aspiration_labels, event_registrations, notifications, survey_answers, transaction
from forum.services.aspirations import close_expired, event_actor
from forum.services.desk import normalize_phone, phone_digest
from forum.services.signed_tokens import TokenInvalid, make_token, read_token
from forum.timeutil import utcnow
from moderation import audit

CLAIM_PURPOSE = "desk-claim"
CLAIM_MAX_AGE = timedelta(hours=1)
CONTENT_STATUS_LABELS = {
    ContentStatus.PENDING: _l("Waiting for a moderator"),
    ContentStatus.PUBLISHED: _l("Published"),
    ContentStatus.HIDDEN: _l("Hidden by moderators"),
    ContentStatus.REMOVED: _l("Removed by a moderator"),
    ContentStatus.DELETED: _l("Deleted"),
}


@dataclass
class TrackedStep:
    state: str
    label: str
    at: object
    actor: str
    note: str


@dataclass
class Tracked:
    """What anyone holding the code may see."""

    code: str
    kind: str
    submitted_at: object
    kelurahan: object
    status: str
    status_label: str
    aspiration: Aspiration = None  # only when public
    policy: object = None          # a comment's consultation
    survey: object = None
    event: object = None           # an event registration's event
    waitlist_place: int = None     # 1 for the first on the waiting list
    steps: list = field(default_factory=list)


def find(code):
    """The submission with this typed code: 404 `invalid_code` when the check fails, `not_found` when unknown."""
    normalized = receipt_codes.normalize(code)
    if not receipt_codes.is_valid(normalized):
        raise NotFound(_l("This code is not valid. Check it against the receipt."), code="invalid_code")
    submission = db.session.scalar(select(DeskSubmission).where(DeskSubmission.receipt_code == normalized))
    if submission is None:
        raise NotFound(_l("There is no submission with this code."), code="not_found")
    return submission


def track(code):
    """The status (and public timeline) of the submission with this code."""
    close_expired()
    submission = find(code)
    tracked = Tracked(code=submission.receipt_code, kind=submission.kind, submitted_at=submission.created_at,
                      kelurahan=submission.district, status="received", status_label=str(_l("Received")))
    content = submission.content
    if submission.kind == DeskKind.ASPIRATION:
        tracked.status, tracked.status_label = content.state, str(aspiration_labels.state_label(content.state))
        if content.is_public:
            tracked.aspiration = content
            tracked.steps = [TrackedStep(event.to_state, str(_step_label(event)), event.created_at,
                                         event_actor(event, None), event.note) for event in content.events]
    elif submission.kind == DeskKind.COMMENT:
        tracked.status, tracked.status_label = content.status, str(CONTENT_STATUS_LABELS[content.status])
        tracked.policy = content.target
    elif submission.kind == DeskKind.EVENT:
        registration = submission.event_registration
        tracked.event, tracked.status = registration.event, registration.status
        tracked.waitlist_place = event_registrations.waitlist_place(registration)
        tracked.status_label = str(registration_label(registration.status, tracked.waitlist_place))
    else:
        tracked.survey = submission.survey_response.survey
    return tracked


def registration_label(status, place):
    """"Seat confirmed", "On the waiting list, number 2", "Cancelled"."""
    if status == RegistrationStatus.WAITLISTED and place:
        return _l("On the waiting list, number %(place)d", place=place)
    return REGISTRATION_LABELS[status]


def seat_label(registration):
    """The label of an event registration now, with its place on the waiting list (the desk's pages)."""
    return registration_label(registration.status, event_registrations.waitlist_place(registration))


def _step_label(event):
    if event.actor_role == "desk" and event.from_state == event.to_state:
        return _l("Update from the resident")
    return aspiration_labels.state_label(event.to_state)


# -- claiming ---------------------------------------------------------------------------------
def start_claim(user, code, phone):
    """Check the code and phone; a signed token for `confirm_claim`. A wrong number is refused and audited."""
    require(user, "desk.claim")
    submission = find(code)
    if submission.is_claimed:
        raise Conflict(_l("This submission has already been moved to an account."), code="already_claimed")
    normalized = normalize_phone(phone)
    if submission.phone_digest is None or normalized is None or not hmac.compare_digest(
            phone_digest(normalized), submission.phone_digest):
        audit.record_apart("desk.claim_refused", actor=user, subject_user=user,
                           details={"desk_submission_id": submission.id})
        security_event("desk_claim_refused", user=user, target=submission.id)
        raise ValidationFailed(fields={"phone": _l(
            "This phone number does not match the one given at the desk. "
            "If no number was given, ask the kelurahan service desk.")})
    return submission, make_token(CLAIM_PURPOSE, {"s": submission.id, "u": user.id})


@transaction()
def confirm_claim(user, token):
    """Move the submission named by a `start_claim` token to `user`'s account; returns it."""
    require(user, "desk.claim")
    payload = read_token(CLAIM_PURPOSE, token, CLAIM_MAX_AGE)
    if not isinstance(payload, dict) or payload.get("u") != user.id:
        raise TokenInvalid()
    submission = db.session.get(DeskSubmission, payload.get("s"), with_for_update=True)
    if submission is None:
        raise TokenInvalid()
    if submission.is_claimed:
        raise Conflict(_l("This submission has already been moved to an account."), code="already_claimed")
    if submission.content is not None:
        submission.content.author_id = user.id
        if submission.kind == DeskKind.ASPIRATION:
            notifications.follow(user, submission.content)
    elif submission.kind == DeskKind.EVENT:
        registration = submission.event_registration
        if event_registrations.own_registration(user, registration.event) is not None:
            raise Conflict(_l("You are already registered for this event."), code="already_registered")
        registration.user_id = user.id
    else:
        response = submission.survey_response
        if survey_answers.own_response(user, response.survey) is not None:
            raise Conflict(_l("You have already answered this survey yourself."), code="already_answered")
        response.user_id = user.id
    submission.claimed_by_id, submission.claimed_at = user.id, utcnow()
    audit.record("desk.claimed", actor=user, subject_user=user, content=submission.content,
                 details={"desk_submission_id": submission.id})
    return submission
