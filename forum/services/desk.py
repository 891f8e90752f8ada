"""The kelurahan service desk: submissions typed for residents without an account.

A desk officer (role `desk`, bound to one kelurahan) submits an aspiration,
a comment with a stance on a consultation clause, a survey answer, or a
registration for an event (a seat or a place on the waiting list) for a
resident of that kelurahan, who is at the desk or on the phone. The resident
gives consent first (time, officer and the consent text's version are
recorded; no consent, nothing saved) and gets a receipt code
(forum/receipt_codes.py). The same screen, moderation, routing and
deadlines apply as online: the services of each kind do the work, with no
author account (channel `desk`, `input_district` the resident's kelurahan).

Each submit is one transaction: the content, answer or registration, its
screen verdict and the `DeskSubmission` record. Following by code and
claiming are in forum/services/desk_tracking.py.
"""
import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, select
from sqlalchemy.orm import selectinload

from forum import activity, receipt_codes
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import (
    AspirationEvent,
    Channel,
    DeskKind,
    DeskSubmission,
    District,
    Event,
    EventStatus,
    Visibility,
)
from forum.permissions import require
from forum.services import aspiration_photos, transaction
from forum.services import aspirations as aspiration_service
from forum.services import comments as comment_service
from forum.services import event_registrations, events, policies, survey_answers, surveys
from forum.text import typed_text
from forum.timeutil import utcnow
from moderation.intake import screen_or_refuse

CONSENT_VERSION = "2026-12"
CONSENT_TEXT = _l(
    "I agree that the kelurahan service desk sends this input to Musyawarah for me. My name and phone number "
    "are kept by the city and shown to nobody; public pages show only \u201cResident of <kelurahan>\u201d. "
    "With the receipt code anyone can follow the status of this input; I keep it safe."
)
NAME_MAX = 120
UPDATE_MAX = 2000
QUEUE_PAGE_SIZE = 20
_PHONE_SHAPE = re.compile(r"0[0-9]{8,14}")


@dataclass
class Resident:
    """Who the officer submits for, as typed: name, optional phone, kelurahan code, consent given."""

    name: str
    phone: str = ""
    kelurahan: str = ""
    consent: bool = False
    from_paper_form: bool = False


def normalize_phone(typed):
    """The number as `08...`: spaces, dashes, dots and brackets dropped, +62 / 62 read as 0; None if not a number."""
    digits = re.sub(r"[\s\-.()]", "", typed or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if _PHONE_SHAPE.fullmatch(digits) else None


def phone_digest(normalized):
    """A keyed digest of a normalized number (HMAC with the app's secret): claims compare these."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"desk-phone:{normalized}".encode("utf-8"), hashlib.sha256).hexdigest()


def _check_resident(officer, resident):
    """(name, phone digest or None, kelurahan); 403 for another kelurahan, 422 naming every problem."""
    require(officer, "desk.work")
    problems = {}
    name = typed_text(resident.name)
    if not name:
        problems["resident_name"] = _l("Write the resident's name.")
    elif len(name) > NAME_MAX:
        problems["resident_name"] = _l("Use at most %(max)d characters.", max=NAME_MAX)
    digest = None
    if typed_text(resident.phone):
        normalized = normalize_phone(resident.phone)
        if normalized is None:
            problems["phone"] = _l("Write a phone number like 0812 3456 7890, or leave it empty.")
        else:
            digest = phone_digest(normalized)
    kelurahan = aspiration_service.by_code(District, resident.kelurahan, level=District.KELURAHAN)
    if kelurahan is None:
        problems["kelurahan"] = _l("Choose a kelurahan of Tangerang Selatan from the list.")
    if resident.consent is not True:
        problems["consent"] = _l("The resident must agree to the consent text first. Without consent nothing is sent.")
    if problems:
        raise ValidationFailed(fields=problems)
    require(officer, "desk.submit", kelurahan)
    return name, digest, kelurahan


def _new_code():
    while True:
        code = receipt_codes.generate()
        if not db.session.scalar(select(exists().where(DeskSubmission.receipt_code == code))):
            return code


def _record(officer, resident, checked, kind, **target):
    name, digest, kelurahan = checked
    submission = DeskSubmission(
        receipt_code=_new_code(), kind=kind, resident_name=name, phone_digest=digest, district=kelurahan,
        consent_at=utcnow(), consent_version=CONSENT_VERSION, officer=officer,
        from_paper_form=bool(resident.from_paper_form), **target,
    )
    db.session.add(submission)
    db.session.flush()
    return submission


# -- submitting ----------------------------------------------------------------------------
@transaction()
def submit_aspiration(officer, resident, *, aspiration_type, title, body, category, district=None,
                      visibility=Visibility.PUBLIC, location="", photos=()):
    """An aspiration for `resident`; `district` (where the matter is) defaults to their kelurahan.

    Returns the DeskSubmission; its `content` is the aspiration (with the screen's `notices`).
    """
    checked = _check_resident(officer, resident)
    aspiration = aspiration_service.create_aspiration(
        officer, author=None, aspiration_type=aspiration_type, title=title, body=body, category=category,
        district=district or checked[2].code, visibility=visibility, location=location, photos=photos,
        channel=Channel.DESK, input_district=checked[2])
    return _record(officer, resident, checked, DeskKind.ASPIRATION, content=aspiration)


@transaction()
def submit_comment(officer, resident, *, policy_id, body, stance, section_id=None):
    """A comment with a stance on a consultation (or one clause of it) for `resident`; returns the DeskSubmission."""
    checked = _check_resident(officer, resident)
    policy = policies.visible_policy(None, _id(policy_id, "policy_id"))
    comment = comment_service.post_desk_comment(officer, policy, body=body, stance=stance, section_id=section_id,
                                                kelurahan=checked[2])
    return _record(officer, resident, checked, DeskKind.COMMENT, content=comment)


@transaction()
def submit_survey_response(officer, resident, survey, answers):
    """Survey answers for `resident` (`answers` as survey_answers.check_answers takes them); the DeskSubmission."""
    checked = _check_resident(officer, resident)
    response = survey_answers.add_desk_response(survey, answers, checked[2].parent_id)
    return _record(officer, resident, checked, DeskKind.SURVEY, survey_response=response)


@transaction()
def register_for_event(officer, resident, event):
    """A seat (or a place on the waiting list) at `event` for `resident`; returns the DeskSubmission.

    The registration carries the resident's name and the phone as typed, for
    the event's organizers (their registrations page); 409 when the event is
    past or cancelled, as for everyone.
    """
    checked = _check_resident(officer, resident)
    registration = event_registrations.register(
        event, guest_name=checked[0], guest_phone=typed_text(resident.phone) or None, registered_by=officer)
    return _record(officer, resident, checked, DeskKind.EVENT, event_registration=registration)


def upcoming_events(officer, limit=100):
    """Scheduled events not yet started, the officer's own kecamatan first, then soonest first."""
    require(officer, "desk.work")
    own = Event.district_id.in_(select(District.id).where(District.parent_id == officer.district.parent_id))
    query = (events.event_query(when="upcoming").where(Event.status == EventStatus.SCHEDULED,
                                                       Event.starts_at > utcnow())
             .order_by(None).order_by(case((own, 0), else_=1), Event.starts_at, Event.id))
    return db.session.scalars(query.limit(limit)).all()


def open_event(event_id):
    """An event by id (anyone may read any event); NotFound otherwise."""
    return events.get_event(_id(event_id, "event_id"))


def public_survey(survey_id):
    """A published survey anyone may answer, by id; NotFound otherwise."""
    return surveys.visible_survey(None, _id(survey_id, "survey_id"))


def _id(value, field_name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={field_name: _l("This choice is not valid.")}) from None
    if not 0 < number <= MAX_ID:
        raise ValidationFailed(fields={field_name: _l("This choice is not valid.")})
    return number


# -- the desk's queue and later updates --------------------------------------------------------
def queue_query(officer):
    """The officer's kelurahan's assisted submissions, newest first (for a page or the API)."""
    require(officer, "desk.work")
    return (select(DeskSubmission).where(DeskSubmission.district_id == officer.district_id)
            .options(selectinload(DeskSubmission.content), selectinload(DeskSubmission.survey_response),
                     selectinload(DeskSubmission.event_registration), selectinload(DeskSubmission.officer))
            .order_by(DeskSubmission.id.desc()))


def get_submission(officer, submission_id):
    """One submission of the officer's own kelurahan: 404 unknown, 403 another kelurahan's."""
    require(officer, "desk.work")
    submission = db.session.get(DeskSubmission, submission_id) if 0 < submission_id <= MAX_ID else None
    if submission is None:
        raise NotFound()
    require(officer, "desk.submit", submission.district)
    return submission


@transaction()
def add_update(officer, submission, body="", photos=()):
    """What the resident adds later (text, photos): a step of the aspiration's public timeline, state unchanged."""
    require(officer, "desk.submit", submission.district)
    if submission.kind != DeskKind.ASPIRATION:
        raise Conflict(_l("Updates can be added to aspirations only."), code="not_an_aspiration")
    aspiration = submission.content
    text = typed_text(body)
    if len(text) > UPDATE_MAX:
        raise ValidationFailed(fields={"body": _l("Use at most %(max)d characters.", max=UPDATE_MAX)})
    images = aspiration_photos.read_photos(photos, aspiration_photos.MAX_PHOTOS - len(aspiration.photos))
    if not text and not images:
        raise ValidationFailed(fields={"body": _l("Write what the resident added, or add a photo.")})
    if text:
        text = screen_or_refuse(text, officer, aspiration_service.SCREEN_CONTEXT, "body").text
    aspiration_photos.store(aspiration, images)
    db.session.add(AspirationEvent(aspiration=aspiration, from_state=aspiration.state, to_state=aspiration.state,
                                   actor=officer, actor_role=officer.role, note=text, created_at=utcnow()))
    activity.touch(aspiration.id)  # its page shows the new step; the session hook sees only content rows
    return submission
