"""iCalendar (RFC 5545) files: one event, and a feed of a kecamatan's events.

Written by hand: a calendar of a few VEVENTs needs no library. Text values
escape backslash, semicolon, comma and newlines (3.3.11); lines are folded
at 75 octets without splitting a UTF-8 character (3.1) and end in CRLF.
Times are UTC (`...Z`), so no VTIMEZONE is needed; calendars show them in
the reader's zone. A cancelled event stays in the feed with STATUS:CANCELLED
so calendars that imported it drop it.
"""
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from forum.extensions import db
from forum.models import Event
from forum.reports.scope import kecamatan_district_ids
from forum.timeutil import utcnow

PRODID = "-//Musyawarah Tangerang Selatan//Kegiatan//ID"
FEED_DAYS_BACK = 90
MAX_OCTETS = 75


def escape_text(value):
    """A TEXT value escaped per RFC 5545 3.3.11."""
    value = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """The content line folded into pieces of at most 75 octets, continuation lines starting with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1  # the leading space counts
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _vevent(event, host):
    place = f"{event.address}, {event.district.name}, {event.district.parent.name}"
    link = url_for("events.show", event_id=event.id, _external=True)
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{host}",
        f"DTSTAMP:{_stamp(event.updated_at)}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"LOCATION:{escape_text(place)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"URL:{link}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
    ]
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude};{event.longitude}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, host, name):
    """The VCALENDAR text holding `events`."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        lines += _vevent(event, host)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def kecamatan_events(code, now=None):
    """The feed's events: in the kecamatan, from 90 days ago on, in date order."""
    since = (now or utcnow()) - timedelta(days=FEED_DAYS_BACK)
    return db.session.scalars(select(Event).where(Event.district_id.in_(kecamatan_district_ids(code)),
                                                  Event.ends_at >= since)
                              .order_by(Event.starts_at, Event.id)).all()
