"""Demo accounts: one password for all, one hash computed once, accounts matched by e-mail."""
from functools import lru_cache

from forum.extensions import db
from forum.models import User
from forum.timeutil import utcnow

DEMO_PASSWORD = "musyawarah-demo"


@lru_cache(maxsize=1)
def demo_password_hash():
    """One hash shared by every demo account: scrypt takes ~0.2 s, so 2,000
    separate hashes would make `seed-demo --size large` take minutes."""
    probe = User()
    probe.set_password(DEMO_PASSWORD)
    return probe.password_hash


def ensure_user(email, name, role, agency=None, district=None):
    """The demo account `email`, created (not yet committed) when missing."""
    user = User.query.filter_by(email=email).one_or_none()
    if user is None:
        user = User(email=email, display_name=name, role=role, agency=agency, district=district,
                    email_verified_at=utcnow(), consent_at=utcnow(), consent_version="demo",
                    password_hash=demo_password_hash())
        db.session.add(user)
    return user
