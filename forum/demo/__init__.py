"""Demo data for Tangerang Selatan: `seed-demo --size small|large`.

Idempotent: accounts are matched by e-mail. Each feature adds its own part
through `SEEDERS` (a module of this package, or moderation/demo.py), called in
order with the size and a progress factory; shared helpers live in
`accounts.py` (demo accounts) and `rows.py` (bulk comment rows).
"""
from sqlalchemy import func, insert, literal, select

from forum.extensions import db
from forum.models import Agency, Content, District, Role, SearchOutbox, User
from forum.demo.accounts import ensure_user
from forum.demo.aspirations import seed_aspirations
from forum.demo.consultations import seed_consultations
from forum.demo.desk import seed_desk
from forum.demo.events import seed_events
from forum.demo.guides import seed_guides
from forum.demo.organization_posts import seed_organization_posts
from forum.demo.organizations import seed_organizations
from forum.demo.surveys import seed_surveys
from forum.services import transaction
from forum.timeutil import utcnow
from moderation.demo import seed_moderation

DEMO_STAFF = (
    ("admin@demo.musyawarah.id", "Admin Musyawarah", Role.ADMIN, None),
    ("moderator@demo.musyawarah.id", "Moderator Forum", Role.MODERATOR, None),
    ("kominfo@demo.musyawarah.id", "Petugas Diskominfo", Role.OFFICIAL, "diskominfo"),
    ("dlh@demo.musyawarah.id", "Petugas DLH", Role.OFFICIAL, "dlh"),
    ("dishub@demo.musyawarah.id", "Petugas Dishub", Role.OFFICIAL, "dishub"),
    ("dbmsda@demo.musyawarah.id", "Petugas DBMSDA", Role.OFFICIAL, "dbmsda"),
)

RESIDENT_NAMES = (
    "Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Setiawan", "Rina Marlina",
    "Hendra Gunawan", "Nur Aisyah", "Yusuf Hidayat", "Fitri Handayani", "Rudi Hartono",
    "Intan Permata", "Fajar Nugroho", "Lina Kusuma", "Eko Prasetyo", "Wulan Sari",
    "Dimas Saputra", "Maya Anggraini", "Teguh Wibowo", "Ratna Dewi", "Ahmad Fauzi",
)

LARGE_RESIDENTS = 2000


@transaction()
def seed_people(size, progress):
    for email, name, role, agency_code in DEMO_STAFF:
        agency = Agency.query.filter_by(code=agency_code).one() if agency_code else None
        ensure_user(email, name, role, agency=agency)
    kelurahan = District.query.filter_by(level=District.KELURAHAN).order_by(District.code).all()
    count = LARGE_RESIDENTS if size == "large" else len(RESIDENT_NAMES)
    existing = {email for (email,) in db.session.query(User.email).filter(User.email.like("warga%@demo.musyawarah.id"))}
    with progress(range(count), "Residents") as numbers:
        for number in numbers:
            email = f"warga{number + 1}@demo.musyawarah.id"
            if email in existing:
                continue
            name = RESIDENT_NAMES[number % len(RESIDENT_NAMES)]
            if number >= len(RESIDENT_NAMES):
                name = f"{name} {number // len(RESIDENT_NAMES) + 1}"
            # A stride coprime to the 54 kelurahan spreads even the first few residents over every kecamatan.
            ensure_user(email, name, Role.RESIDENT, district=kelurahan[number * 11 % len(kelurahan)])
            if number % 200 == 199:
                db.session.flush()


SEEDERS = [seed_people, seed_guides, seed_consultations, seed_events, seed_aspirations, seed_surveys, seed_desk,
           seed_moderation, seed_organizations, seed_organization_posts]


def seed(size="small", progress=None):
    progress = progress or (lambda items, label: _Quiet(items))
    last_before = db.session.scalar(select(func.max(Content.id))) or 0
    for seeder in SEEDERS:
        seeder(size, progress)
    _queue_bulk_rows_for_search(last_before)


def _queue_bulk_rows_for_search(last_before):
    """Give content that bulk seeding inserted past the ORM its search outbox rows.

    The large seeders insert with Core statements, which the outbox's session
    hook does not see; without this, no index would ever learn of them.
    """
    outbox = SearchOutbox.__table__
    unqueued = (select(Content.id, literal(SearchOutbox.UPSERT), literal(utcnow(), SearchOutbox.created_at.type))
                .where(Content.id > last_before,
                       ~select(outbox.c.id).where(outbox.c.content_id == Content.id).exists()))
    with transaction():
        db.session.execute(insert(outbox).from_select(["content_id", "op", "created_at"], unqueued))


class _Quiet:
    """A progress context that shows nothing (for tests and library use)."""

    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False
