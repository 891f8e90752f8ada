"""Outgoing mail through one small module.

With `MAIL_SERVER` configured, messages go out over SMTP (STARTTLS when
`MAIL_USE_TLS`). Otherwise each message is written as an RFC 822 `.eml` file
under `MAIL_DIR` (default `instance/mail/`) and logged, so a demo or a test
needs no mail server. File names sort by time: `<UTC timestamp>-<n>.eml`.
"""
import itertools
import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app

from forum.timeutil import utcnow

logger = logging.getLogger(__name__)
_sequence = itertools.count()


def build_message(to, subject, body):
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="musyawarah.local")
    message.set_content(body)
    return message


def send_mail(to, subject, body):
    """Send a plain-text message to one address."""
    message = build_message(to, subject, str(body))
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
    else:
        _write_file(message, Path(config["MAIL_DIR"]))
    return message


def _send_smtp(message, config):
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_file(message, directory):
    directory.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{next(_sequence):06d}.eml"
    path.write_bytes(bytes(message))
    logger.info("mail to %s written to %s", message["To"], path)
    return path
