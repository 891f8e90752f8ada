"""`flask --app run events remind`: the day-before reminders, run daily (cron or a systemd timer).

Idempotent: an event is reminded once (`Event.reminded_at`), so running it
again, or twice a day, tells nobody twice. Each event is its own
transaction, so an interrupted run keeps what it finished. Links in the
mails are built on `--base-url` (the site's public address).
"""
import click
from flask import current_app
from flask.cli import with_appcontext

from forum.services import event_registrations


@click.group("events")
def events_group():
    """Events: reminders."""


@events_group.command("remind")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="The site's public address, for the links in reminder mails.")
@with_appcontext
def remind_command(base_url):
    """Remind everyone with a seat at an event that starts by the end of tomorrow (Jakarta time)."""
    with current_app.test_request_context(base_url=base_url):
        due = event_registrations.events_to_remind()
        click.echo(f"{len(due)} event(s) to remind.")
        told = 0
        with click.progressbar(due, label="Reminding", show_pos=True) as bar:
            for event in bar:
                told += event_registrations.remind(event)
    click.echo(f"Reminders sent to {told} people.")
