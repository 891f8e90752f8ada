"""Password rules per OWASP ASVS 5: length, not common, nothing else.

At least 8 characters, up to 128 allowed (ASVS asks for at least 64), no
composition rules, and none of the 10,000 most common passwords.
"""
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def common_passwords():
    with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password, email=None, display_name=None):
    """Return a translated message saying what is wrong, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(min)d characters.", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(max)d characters.", max=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords():
        return _l("This password is too common and easy to guess. Choose another one.")
    personal = {value.strip().lower() for value in (email, display_name, (email or "").split("@")[0]) if value}
    if lowered in personal:
        return _l("Do not use your name or e-mail address as your password.")
    return None
