"""The officials' event pages: schedule, change and cancel an event, its registrations, minutes and meeting points.

Every page needs `event.create` or `event.manage` (checked again by the
services); bad input re-renders the form with the typed text kept (422).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from forum.errors import Conflict, ValidationFailed
from forum.events import bp
from forum.events.forms import (
    CancelForm, EventForm, MinutesForm, PointForm, event_form_data, minutes_form_data,
)
from forum.events.labels import REGISTRATION_LABELS
from forum.extensions import db
from forum.models import Policy, PolicyPhase
from forum.permissions import require
from forum.services import event_outcomes, event_registrations, events
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors, signed_in_user


def _agency_policies(user, agency_id):
    """Published consultations an event may be tied to: the agency's (any for an admin)."""
    query = select(Policy).where(Policy.phase != PolicyPhase.DRAFT).order_by(Policy.id.desc())
    if not user.is_admin:
        query = query.where(Policy.agency_id == agency_id)
    return db.session.scalars(query).all()


def _event_form(user, agency_id, defaults=None):
    form = EventForm(data=defaults)
    form.fill_choices(events.kelurahan_list(), _agency_policies(user, agency_id))
    return form


def _save(form, save, template, **context):
    """Validate, call `save(fields)`; the event page on success, else the form again (422)."""
    status = 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            try:
                event = save(form.event_fields())
            except ValidationFailed as error:
                show_service_errors(form, error)
            else:
                flash(_("The event is saved."), "success")
                return redirect(url_for("events.show", event_id=event.id))
    return render_template(template, form=form, **context), status


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def create():
    user = signed_in_user()
    require(user, "event.create")
    form = _event_form(user, user.agency_id)
    return _save(form, lambda fields: events.create_event(user, **fields), "events/edit.html", event=None)


@bp.route("/<int:event_id>/ubah", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit(event_id):
    user = signed_in_user()
    event = events.managed_event(user, event_id)
    if event.is_cancelled:
        flash(_("This event was cancelled and can no longer be changed."), "warning")
        return redirect(url_for("events.show", event_id=event.id))
    form = _event_form(user, event.agency_id, None if request.method == "POST" else event_form_data(event))
    return _save(form, lambda fields: events.update_event(user, event, **fields), "events/edit.html", event=event)


@bp.route("/<int:event_id>/batalkan", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def cancel(event_id):
    user = signed_in_user()
    event = events.managed_event(user, event_id)
    form, status = CancelForm(), 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            try:
                events.cancel_event(user, event, form.reason.data)
            except Conflict as error:
                flash(str(error.message), "warning")
                return redirect(url_for("events.show", event_id=event.id))
            except ValidationFailed as error:
                show_service_errors(form, error)
            else:
                flash(_("The event is cancelled; everyone registered was told."), "success")
                return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/cancel.html", event=event, form=form), status


@bp.get("/<int:event_id>/pendaftar")
@login_required
def registrations(event_id):
    event = events.managed_event(signed_in_user(), event_id)
    return render_template("events/registrations.html", event=event,
                           registrations=event_registrations.registrations(event),
                           labels=REGISTRATION_LABELS, seats_left=event_registrations.seats_left(event))


def _outcome_page(event, minutes_form, point_form, status=200):
    if event.policy is not None:
        point_form.fill_clauses(event.policy)
    return render_template("events/outcome.html", event=event, minutes_form=minutes_form, point_form=point_form,
                           points=event_outcomes.meeting_points(event), ended=event.has_ended()), status


@bp.route("/<int:event_id>/hasil", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def outcome(event_id):
    """Minutes and attendance (this form), and the meeting points (the form below it, `add_point`)."""
    user = signed_in_user()
    event = events.managed_event(user, event_id)
    if request.method != "POST":
        return _outcome_page(event, MinutesForm(data=minutes_form_data(event)), PointForm(formdata=None))
    form = MinutesForm()
    if form.validate():
        try:
            event_outcomes.publish_minutes(user, event, minutes=form.minutes.data,
                                           attendance_total=form.attendance_total.data,
                                           attendance=form.attendance())
        except Conflict as error:
            form.form_errors.append(error.message)
        except ValidationFailed as error:
            _attendance_errors(form, error)
        else:
            flash(_("The minutes are published."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return _outcome_page(event, form, PointForm(formdata=None), FORM_INVALID)


def _attendance_errors(form, error):
    """`attendance.gender.female` -> the field `gender_female`; the rest as the service named them."""
    fields = {}
    for name, message in error.fields.items():
        parts = name.split(".")
        fields["_".join(parts[1:]) if parts[0] == "attendance" and len(parts) == 3 else name] = message
    show_service_errors(form, ValidationFailed(fields=fields))


@bp.post("/<int:event_id>/poin")
@login_required
@form_checks_csrf
def add_point(event_id):
    user = signed_in_user()
    event = events.managed_event(user, event_id)
    form = PointForm()
    if form.validate():
        try:
            point = event_outcomes.add_meeting_point(
                user, event, body=form.body.data, stance=form.stance.data, section_id=form.section_id.data,
                agreed_count=form.agreed_count.data)
        except Conflict as error:
            form.form_errors.append(error.message)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            if point.status == "published":
                flash(_("The point is added to the consultation as input from the meeting."), "success")
            else:
                flash(_("The point is waiting for a moderator's review."), "warning")
            return redirect(url_for("events.outcome", event_id=event.id))
    return _outcome_page(event, MinutesForm(data=minutes_form_data(event)), form, FORM_INVALID)
