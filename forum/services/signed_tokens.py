"""Signed, expiring tokens for e-mail links (verify, reset, change e-mail).

Nothing is stored: each token is signed with the app's secret and bound to a
fingerprint of the account's state it is meant to change (the e-mail address
for verification, the password hash for a reset), so a token stops working
once it has been used or the account changed.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.errors import ValidationFailed


class TokenExpired(ValidationFailed):
    code = "token_expired"


class TokenInvalid(ValidationFailed):
    code = "token_invalid"


def fingerprint(*values):
    """A short digest of account values the token must still match."""
    joined = "\x1f".join(str(value) for value in values)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"musyawarah.{purpose}")


def make_token(purpose, payload):
    return _serializer(purpose).dumps(payload)


def read_token(purpose, token, max_age):
    """Return the payload, or raise TokenExpired / TokenInvalid."""
    try:
        return _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenExpired() from None
    except BadSignature:
        raise TokenInvalid() from None
