"""What everyone sees under /kegiatan: the list, an event, registering and cancelling, calendars (.ics)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_time, gettext as _
from flask_login import current_user, login_required

from forum.errors import Conflict, Forbidden, NotFound
from forum.events import bp
from forum.events.labels import KIND_LABELS, WHEN_LABELS
from forum.extensions import db
from forum.models import EventKind, RegistrationStatus
from forum.permissions import can
from forum.services import event_calendar, event_outcomes, event_registrations, events
from forum.timeutil import to_city_time
from forum.web import signed_in_user

PAGE_SIZE = 20


@bp.app_template_filter("event_when")
def event_when(event):
    """'Selasa, 24 November 2026, 09.00–12.00 WIB' (Jakarta time); both dates when it spans days."""
    start, end = to_city_time(event.starts_at), to_city_time(event.ends_at)
    if start.date() == end.date():
        return f"{format_date(start, 'full')}, {format_time(start, 'short')}–{format_time(end, 'short')} WIB"
    return f"{format_datetime(start, 'medium')} – {format_datetime(end, 'medium')} WIB"


def _choice(name, allowed):
    value = request.args.get(name, "")
    return value if value in allowed else None


@bp.get("/")
def index():
    kecamatan = events.kecamatan_list()
    chosen = _choice("kecamatan", {place.code for place in kecamatan})
    kind = _choice("jenis", EventKind.ALL)
    when = _choice("waktu", WHEN_LABELS) or "upcoming"
    page = request.args.get("halaman", "1")
    page = int(page) if page.isascii() and page.isdigit() and len(page) < 5 and int(page) > 0 else 1
    rows = db.session.scalars(events.event_query(kecamatan=chosen, kind=kind, when=when)
                              .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "events/index.html", events=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE, page=page,
        kecamatan=kecamatan, chosen=chosen, kind=kind, when=when, kind_labels=KIND_LABELS,
        when_labels=WHEN_LABELS, may_create=can(signed_in_user(), "event.create"),
    )


@bp.get("/<int:event_id>")
def show(event_id):
    event, viewer = events.get_event(event_id), signed_in_user()
    registration = event_registrations.own_registration(viewer, event)
    return render_template(
        "events/show.html", event=event, registration=registration, kind_labels=KIND_LABELS,
        seats_left=event_registrations.seats_left(event),
        waitlist_place=event_registrations.waitlist_place(registration),
        may_register=can(viewer, "event.register", event), may_manage=can(viewer, "event.manage", event),
        points=event_outcomes.meeting_points(event) if event.policy_id else [],
    )


@bp.post("/<int:event_id>/daftar")
@login_required
def register(event_id):
    event = events.get_event(event_id)
    try:
        registration = event_registrations.register(event, current_user._get_current_object())
    except (Conflict, Forbidden) as error:
        flash(str(error.message), "warning")
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            flash(_("You are registered: your seat is confirmed."), "success")
        else:
            flash(_("The event is full, so you are on the waiting list (number %(place)d). If a seat becomes free "
                    "it is yours, and we will tell you.",
                    place=event_registrations.waitlist_place(registration)), "warning")
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/<int:event_id>/batal-daftar")
@login_required
def cancel_registration(event_id):
    event = events.get_event(event_id)
    registration = event_registrations.own_registration(current_user, event)
    if registration is None:
        raise NotFound(_("You are not registered for this event."))
    try:
        event_registrations.cancel_registration(current_user._get_current_object(), registration)
    except Conflict as error:
        flash(str(error.message), "warning")
    else:
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.show", event_id=event.id))


def _calendar_response(text, filename):
    return Response(text, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/<int:event_id>.ics")
def event_ics(event_id):
    event = events.get_event(event_id)
    return _calendar_response(event_calendar.calendar([event], request.host, event.title),
                              f"kegiatan-{event.id}.ics")


@bp.get("/kecamatan/<code>.ics")
def kecamatan_ics(code):
    place = next((place for place in events.kecamatan_list() if place.code == code), None)
    if place is None:
        raise NotFound()
    name = _("Musyawarah events in Kecamatan %(name)s", name=place.name)
    return _calendar_response(event_calendar.calendar(event_calendar.kecamatan_events(code), request.host, name),
                              f"kegiatan-{code}.ics")
