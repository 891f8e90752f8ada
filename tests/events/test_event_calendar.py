"""iCalendar files (escaping, folding, times in UTC) and the reminders command."""
from datetime import timedelta

from forum.models import Notification, Role
from forum.services import event_calendar, event_registrations


def unfold(text):
    return text.replace("\r\n ", "")


def test_escape_and_fold():
    assert event_calendar.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = event_calendar.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_event_ics(client, make_event):
    event = make_event(title="Sosialisasi; layanan, digital", description="Baris satu\nBaris dua " + "x" * 90,
                       latitude="-6.2886", longitude="106.7178")
    response = client.get(f"/kegiatan/{event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    flat = unfold(text)
    assert "SUMMARY:Sosialisasi\\; layanan\\, digital" in flat
    assert "DESCRIPTION:Baris satu\\nBaris dua" in flat
    assert f"DTSTART:{event.starts_at.strftime('%Y%m%dT%H%M%SZ')}" in flat and f"UID:event-{event.id}@" in flat
    assert "GEO:-6.288600;106.717800" in flat and "STATUS:CONFIRMED" in flat


def test_kecamatan_feed(client, make_event):
    mine = make_event(title="Di Pondok Aren")
    make_event(title="Di Serpong", kelurahan="serpong.cilenggang")
    text = unfold(client.get("/kegiatan/kecamatan/pondok-aren.ics").get_data(as_text=True))
    assert text.count("BEGIN:VEVENT") == 1 and f"UID:event-{mine.id}@" in text and "Pondok Aren" in text
    assert client.get("/kegiatan/kecamatan/nowhere.ics").status_code == 404


def test_remind_command_is_idempotent(app, runner, make_event, make_user, outbox):
    event = make_event(starts_in=timedelta(hours=18))
    person = make_user(Role.RESIDENT, notify_by_email=True)
    event_registrations.register(event, person)
    result = runner.invoke(args=["events", "remind", "--base-url", "https://musyawarah.example"])
    assert result.exit_code == 0, result.output
    assert "1 event(s) to remind." in result.output and "Reminders sent to 1 people." in result.output
    again = runner.invoke(args=["events", "remind"])
    assert "0 event(s) to remind." in again.output
    assert Notification.query.filter_by(user_id=person.id, event="event_reminder").count() == 1
    mails = [mail for mail in outbox() if mail["To"] == person.email]
    assert len(mails) == 1 and f"https://musyawarah.example/kegiatan/{event.id}" in mails[0].get_content()
