"""Create the load's accounts and API tokens: `python -m bench.mixed_load.accounts USERS WRITERS OUT.json`.

Runs inside the app (its environment names the private database) and uses
the same services as `flask create-user` and `flask create-token`, in one
process: one account per signed-in simulated user, so the per-account write
limit counts each of them as the one person they stand for. Officials belong
to the agencies of the open consultations, in turn. Residents are dated 30
days back: established accounts, whose screen limit is one post every 3 s
and 200 a day (moderation/filters/rate.py); a resident a week old or less may
post every 10 s, 30 a day, which a five-minute run of an active user would
reach. WRITERS more residents ("writer") post the two-node phase's timed
comments, apart from the load.
"""
import json
import random
import secrets
import sys
from datetime import timedelta

from sqlalchemy import update

from bench.mixed_load.population import population
from forum import create_app
from forum.extensions import db
from forum.models import District, Policy, PolicyPhase, Role, User
from forum.services import tokens, users
from forum.timeutil import utcnow

RESIDENT_AGE = timedelta(days=30)
ROLES = {"api_resident": Role.RESIDENT, "browser_resident": Role.RESIDENT, "writer": Role.RESIDENT,
         "official": Role.OFFICIAL, "moderator": Role.MODERATOR}


def _agencies():
    rows = db.session.scalars(db.select(Policy).where(Policy.phase == PolicyPhase.OPEN).order_by(Policy.id))
    return sorted({policy.agency.code for policy in rows if policy.accepts_input()})


def create_accounts(total, writers):
    """{kind: [{id, name, email, password, token, agency}]} for `total` simulated users, and `writers`."""
    rng = random.Random(13)
    kelurahan = db.session.scalars(db.select(District.code).where(District.level == District.KELURAHAN)).all()
    agencies = _agencies()
    if not agencies:
        raise SystemExit("no open consultation to load: load the demo data first")
    password = secrets.token_urlsafe(12)
    accounts = {}
    for kind, count in {**population(total), "writer": writers}.items():
        if kind not in ROLES:
            continue
        accounts[kind] = []
        for number in range(count):
            agency = agencies[number % len(agencies)] if kind == "official" else None
            email = f"load-{kind.replace('_', '-')}-{number}@load.musyawarah.test"
            name = f"Beban {kind} {number}"
            user = users.create_user(email, ROLES[kind], password, name, agency,
                                     rng.choice(kelurahan) if ROLES[kind] == Role.RESIDENT else None)
            _row, token = tokens.create_token(user, user, "load")
            accounts[kind].append({"id": user.id, "name": name, "email": email, "password": password,
                                   "token": token, "agency": agency})
    resident_ids = [account["id"] for kind, role in ROLES.items() if role == Role.RESIDENT
                    for account in accounts[kind]]
    db.session.execute(update(User).where(User.id.in_(resident_ids)).values(created_at=utcnow() - RESIDENT_AGE))
    db.session.commit()
    return accounts


def main():
    total, writers, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with create_app().app_context():
        accounts = create_accounts(total, writers)
    with open(out_path, "w") as out:
        json.dump(accounts, out)


if __name__ == "__main__":
    main()
