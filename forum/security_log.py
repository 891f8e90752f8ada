"""Security events (logins, lockouts, refusals, rate limits) for the log.

One structured line per event, never a password, token or session value.
"""
import logging

from flask import has_request_context, request

logger = logging.getLogger("musyawarah.security")


def security_event(event, user=None, **details):
    """Log `event` with the user id, the client address and safe details."""
    fields = {"event": event}
    if user is not None:
        fields["user_id"] = getattr(user, "id", None)
    if has_request_context():
        fields["ip"] = request.remote_addr
        fields["path"] = request.path
    fields.update({key: value for key, value in details.items() if value is not None})
    logger.warning(" ".join(f"{key}={value!r}" for key, value in fields.items()))
