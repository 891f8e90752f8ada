"""Who may open which page: every GET route of the app against every kind of person.

The table below is the access policy written down. A new page that is not in
it fails `test_every_page_declares_its_access`, so each new route has to say
who may see it. Routes with arguments are opened through a sample URL, or
listed in `UNSAMPLED` with the reason. POST-only routes and the JSON API
(bearer tokens, its own tests) are outside this matrix.
"""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from forum.models import Role

VISITOR, UNVERIFIED, RESIDENT, OFFICIAL, MODERATOR, ADMIN = PEOPLE = (
    "visitor", "unverified", "resident", "official", "moderator", "admin",
)
SIGNED_IN = PEOPLE[1:]

OK = 200
REFUSED = 403
LINK_PROBLEM = 400  # a broken e-mail link says so, to everyone
TO_LOGIN = "/akun/masuk"
TO_HOME = "/"

PUBLIC = dict.fromkeys(PEOPLE, OK)
GUESTS_ONLY = {VISITOR: OK, **dict.fromkeys(SIGNED_IN, TO_HOME)}
ACCOUNT_HOLDERS = {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, OK)}
MODERATORS = {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, REFUSED), MODERATOR: OK, ADMIN: OK}
ADMINS = {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, REFUSED), ADMIN: OK}
BROKEN_LINK = dict.fromkeys(PEOPLE, LINK_PROBLEM)
AGENCY_OFFICIALS = {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, REFUSED), OFFICIAL: OK}
POLICY_MANAGERS = {**AGENCY_OFFICIALS, ADMIN: OK}

EXPECTED = {
    "main.home": PUBLIC,
    "main.about": PUBLIC,
    "search_pages.results": PUBLIC,
    "auth.login": GUESTS_ONLY,
    "auth.register": GUESTS_ONLY,
    "auth.forgot_password": PUBLIC,
    # Only someone still waiting for the confirmation mail needs this page.
    "auth.check_email": {**GUESTS_ONLY, UNVERIFIED: OK},
    "auth.verify_email": BROKEN_LINK,
    "auth.reset_password": BROKEN_LINK,
    "account.profile": ACCOUNT_HOLDERS,
    "account.edit_profile": ACCOUNT_HOLDERS,
    "account.change_password": ACCOUNT_HOLDERS,
    "account.change_email": ACCOUNT_HOLDERS,
    "account.confirm_email_change": BROKEN_LINK,
    "account.tokens": ACCOUNT_HOLDERS,
    "account.delete_account": ACCOUNT_HOLDERS,
    "moderation.desk": MODERATORS,
    "notifications.index": ACCOUNT_HOLDERS,
    "admin.users": ADMINS,
    "admin.edit_user": ADMINS,
    "drafting.index": POLICY_MANAGERS,
    "drafting.create": AGENCY_OFFICIALS,
    "drafting.edit": POLICY_MANAGERS,
    "drafting.preview": POLICY_MANAGERS,
    "drafting.new_version": POLICY_MANAGERS,
    "drafting.outcome": POLICY_MANAGERS,
    "drafting.attachments": POLICY_MANAGERS,
    "attachments.download": PUBLIC,  # for a published policy; a draft's file is 404 outside its agency
    "consultations.index": PUBLIC,
    "consultations.policy": PUBLIC,  # for a published policy; a draft is 404 outside its agency
    "consultations.version": PUBLIC,
    "consultations.diff": PUBLIC,
    "consultations.edit_comment": ACCOUNT_HOLDERS,  # the author's, within 15 minutes
}

# URLs for routes with arguments: `people` maps each kind of person to a user.
SAMPLE_URLS = {
    "auth.verify_email": lambda people: "/akun/verifikasi/not-a-real-token",
    "auth.reset_password": lambda people: "/akun/atur-ulang-sandi/not-a-real-token",
    "account.confirm_email_change": lambda people: "/profil/email/konfirmasi/not-a-real-token",
    "admin.edit_user": lambda people: f"/admin/pengguna/{people[RESIDENT].id}",
    "drafting.edit": lambda people: f"/dinas/konsultasi/{sample_policy(people, 'draft')}/ubah",
    "drafting.preview": lambda people: f"/dinas/konsultasi/{sample_policy(people, 'draft')}/pratinjau",
    "drafting.new_version": lambda people: f"/dinas/konsultasi/{sample_policy(people, 'open')}/versi-baru",
    "drafting.outcome": lambda people: f"/dinas/konsultasi/{sample_policy(people, 'closed')}/hasil",
    "drafting.attachments": lambda people: f"/dinas/konsultasi/{sample_policy(people, 'draft')}/lampiran",
    "consultations.policy": lambda people: f"/konsultasi/{sample_policy(people, 'open')}",
    "consultations.version": lambda people: f"/konsultasi/{sample_policy(people, 'closed')}/versi/1",
}

# Routes with arguments that no sample URL reaches cheaply, with the reason.
UNSAMPLED = {
    "attachments.download": "needs a stored file; tests/test_policies_routes.py covers who may download",
    "consultations.diff": "needs two versions; tests/test_consultation_pages.py covers it",
    "consultations.edit_comment": "needs the person's own fresh comment; tests/test_consultation_pages.py covers it",
}

SKIPPED_BLUEPRINTS = ("api",)
# The pages this matrix can open (the unsampled ones are covered where noted).
REACHABLE = sorted(set(EXPECTED) - set(UNSAMPLED))


def sample_policy(people, phase):
    """The id of a policy of the sample official's agency in `phase` (draft, open or closed)."""
    from forum.services import policies
    from forum.timeutil import utcnow

    official = people[OFFICIAL]
    policy = policies.create_policy(
        official, title="Contoh", summary="Contoh.", sections=[{"heading": "Pasal 1", "body": "Isi."}],
        category_code="infrastruktur", opens_at=utcnow(), closes_at=utcnow() + timedelta(days=7),
    )
    if phase != "draft":
        policies.publish_policy(official, policy)
    if phase == "closed":
        policies.close_policy(official, policy)
    return policy.id


def get_routes(app):
    """(endpoint, has arguments) of each GET page the matrix must cover."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if rule.endpoint.split(".")[0] in SKIPPED_BLUEPRINTS:
            continue
        routes.add((rule.endpoint, bool(rule.arguments)))
    return routes


def test_every_page_declares_its_access(app):
    routes = get_routes(app)
    undeclared = sorted(endpoint for endpoint, _ in routes if endpoint not in EXPECTED)
    assert not undeclared, f"add these routes to EXPECTED in {__name__}: {undeclared}"
    unreached = sorted(
        endpoint for endpoint, has_args in routes
        if has_args and endpoint not in SAMPLE_URLS and endpoint not in UNSAMPLED
    )
    assert not unreached, f"give these routes a sample URL (or a reason in UNSAMPLED): {unreached}"
    stale = sorted(set(EXPECTED) - {endpoint for endpoint, _ in routes})
    assert not stale, f"these entries name no GET route any more: {stale}"


def test_sample_urls_reach_their_route(app, people):
    adapter = app.url_map.bind("localhost")
    for endpoint, build in SAMPLE_URLS.items():
        matched, _ = adapter.match(build(people), method="GET")
        assert matched == endpoint


class People(dict):
    """One user per kind of person, made on first use (password hashing is slow)."""

    FIELDS = {
        UNVERIFIED: (Role.RESIDENT, {"email_verified_at": None}),
        RESIDENT: (Role.RESIDENT, {}),
        OFFICIAL: (Role.OFFICIAL, {}),
        MODERATOR: (Role.MODERATOR, {}),
        ADMIN: (Role.ADMIN, {}),
    }

    def __init__(self, make_user):
        super().__init__()
        self.make_user = make_user

    def __missing__(self, person):
        role, fields = self.FIELDS[person]
        self[person] = user = self.make_user(role, **fields)
        return user


@pytest.fixture
def people(make_user):
    return People(make_user)


def url_for_route(app, endpoint, people):
    if endpoint in SAMPLE_URLS:
        return SAMPLE_URLS[endpoint](people)
    return next(rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", REACHABLE)
def test_access(app, client, login, people, endpoint, person):
    if person != VISITOR:
        login(people[person])
    url = url_for_route(app, endpoint, people)
    expected = EXPECTED[endpoint][person]
    response = client.get(url)
    if isinstance(expected, int):
        assert response.status_code == expected, f"{person} GET {url}"
    else:
        assert response.status_code in (302, 303), f"{person} GET {url}"
        assert urlsplit(response.headers["Location"]).path == expected, f"{person} GET {url}"
