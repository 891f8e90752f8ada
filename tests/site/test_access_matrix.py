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

from forum.models import District, Role

VISITOR, UNVERIFIED, RESIDENT, OFFICIAL, MODERATOR, ADMIN, DESK = PEOPLE = (
    "visitor", "unverified", "resident", "official", "moderator", "admin", "desk",
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
DESK_OFFICERS = {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, REFUSED), DESK: OK}

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
    "moderation.item": MODERATORS,
    "moderation.audit_log": MODERATORS,
    "moderation.audit_csv": ADMINS,
    "moderation.transparency_page": PUBLIC,
    "moderation.mine": ACCOUNT_HOLDERS,
    # Without a pending warning the page leads on to "my moderation".
    "moderation.warning": {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, "/moderasi/saya")},
    "moderation.flag": {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, OK)},
    "moderation.appeal": ACCOUNT_HOLDERS,  # the author's hidden or removed post; 404 for anyone else
    "moderation.sanction": MODERATORS,
    "moderation.words": ADMINS,
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
    "aspirations.index": PUBLIC,
    "aspirations.statistics": PUBLIC,
    "aspirations.similar": PUBLIC,  # the form's live list: public aspirations only
    # Residents raise aspirations (an unverified one sees the form and is told to confirm first).
    "aspirations.new": {VISITOR: TO_LOGIN, UNVERIFIED: OK, RESIDENT: OK, OFFICIAL: REFUSED, MODERATOR: REFUSED,
                        ADMIN: REFUSED, DESK: REFUSED},
    "aspirations.show": PUBLIC,  # for a verified public one; a confidential one is 404 to others
    "aspirations.photo": PUBLIC,  # as its aspiration
    "aspirations.edit_comment": ACCOUNT_HOLDERS,  # the author's, within 15 minutes
    "aspiration_desk.index": AGENCY_OFFICIALS,
    "aspiration_screening.queue": MODERATORS,
    # Feedback summaries: the agency and admins; the public version once final (tests/exports).
    "summaries.summary_page": POLICY_MANAGERS,
    "summaries.download": POLICY_MANAGERS,
    "summaries.personal_export": {**POLICY_MANAGERS, OFFICIAL: REFUSED},  # officials only once an admin allows
    "summaries.grants": ADMINS,
    "summaries.aspiration_export": POLICY_MANAGERS,
    # Surveys: public pages; answering for accounts that may write except officials (they ask);
    # results of a survey still open only for its agency and admins; the builder for policy managers.
    "surveys.index": PUBLIC,
    "surveys.survey": PUBLIC,  # a published survey; a draft is 404 outside its agency
    "surveys.answer": {VISITOR: TO_LOGIN, UNVERIFIED: REFUSED, RESIDENT: OK, OFFICIAL: REFUSED, MODERATOR: OK,
                       ADMIN: OK, DESK: REFUSED},  # a desk officer answers for residents at /layanan
    "surveys.results": {**dict.fromkeys(PEOPLE, REFUSED), OFFICIAL: OK, ADMIN: OK},
    "survey_builder.index": POLICY_MANAGERS,
    "survey_builder.create": AGENCY_OFFICIALS,
    "survey_builder.manage": POLICY_MANAGERS,
    "survey_builder.edit": POLICY_MANAGERS,
    "survey_builder.export": POLICY_MANAGERS,
    # Organizations: a verified one is public; requests from residents; management for its own admins;
    # the queue and the private document for admins and verifiers (a verifier is any account granted it).
    "organizations.index": PUBLIC,
    "organizations.profile": PUBLIC,  # a verified one; a pending one is 404 except to its members and verifiers
    "organizations.logo": PUBLIC,  # as its organization
    "organizations.new": {VISITOR: TO_LOGIN, UNVERIFIED: OK, RESIDENT: OK, OFFICIAL: REFUSED, MODERATOR: REFUSED,
                          ADMIN: REFUSED, DESK: REFUSED},
    "organizations.mine": ACCOUNT_HOLDERS,
    "organizations.manage": {VISITOR: TO_LOGIN, **dict.fromkeys(SIGNED_IN, REFUSED), RESIDENT: OK},  # its admins
    "organizations.invitation": BROKEN_LINK,
    "organizations.queue": ADMINS,
    "organizations.review": ADMINS,
    "organizations.document": ADMINS,
    "organizations.verifiers": ADMINS,
    # The kelurahan service desk: its officers only (a submission of another kelurahan is 403, tests/desk);
    # tracking and paper forms are public; claiming asks for an account (residents may send it).
    "desk.index": DESK_OFFICERS,
    "desk.new_aspiration": DESK_OFFICERS,
    "desk.choose_consultation": DESK_OFFICERS,
    "desk.new_comment": DESK_OFFICERS,
    "desk.new_survey_response": DESK_OFFICERS,
    "desk.submission": DESK_OFFICERS,
    "desk.receipt": DESK_OFFICERS,
    "desk.choose_event": DESK_OFFICERS,
    "desk.new_event_registration": DESK_OFFICERS,
    "tracking.track": PUBLIC,
    "tracking.claim": ACCOUNT_HOLDERS,
    "tracking.paper_aspiration": PUBLIC,
    "tracking.paper_consultation": PUBLIC,
    # Guides: published ones for everyone (an unpublished one is 404 except for admins); admins edit them.
    "guides.index": PUBLIC,
    "guides.show": PUBLIC,
    "admin.guides": ADMINS,
    "admin.new_guide": ADMINS,
    "admin.edit_guide": ADMINS,
    "admin.guide_history": ADMINS,
    "admin.guide_revision": ADMINS,
    # Events: public pages and calendars; scheduling for agency officials; managing for its agency and admins.
    "events.index": PUBLIC,
    "events.show": PUBLIC,
    "events.event_ics": PUBLIC,
    "events.kecamatan_ics": PUBLIC,
    "events.create": AGENCY_OFFICIALS,
    "events.edit": POLICY_MANAGERS,
    "events.cancel": POLICY_MANAGERS,
    "events.registrations": POLICY_MANAGERS,
    "events.outcome": POLICY_MANAGERS,
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
    "moderation.item": lambda people: f"/moderasi/konten/{sample_policy(people, 'open')}",
    "moderation.flag": lambda people: f"/moderasi/laporkan/{sample_policy(people, 'open')}",
    "moderation.sanction": lambda people: f"/moderasi/pengguna/{people[RESIDENT].id}/sanksi",
    "consultations.version": lambda people: f"/konsultasi/{sample_policy(people, 'closed')}/versi/1",
    "aspirations.show": lambda people: f"/aspirasi/{sample_aspiration(people)}",
    "summaries.summary_page": lambda people: f"/konsultasi/{sample_policy(people, 'open')}/ringkasan",
    "summaries.personal_export": lambda people: f"/konsultasi/{sample_policy(people, 'closed')}/ringkasan/data-pribadi",
    "surveys.survey": lambda people: f"/survei/{sample_survey(people)}",
    "surveys.answer": lambda people: f"/survei/{sample_survey(people)}/isi",
    "surveys.results": lambda people: f"/survei/{sample_survey(people)}/hasil",
    "survey_builder.manage": lambda people: f"/dinas/survei/{sample_survey(people, publish=False)}",
    "survey_builder.edit": lambda people: f"/dinas/survei/{sample_survey(people, publish=False)}/ubah",
    "organizations.profile": lambda people: f"/organisasi/{sample_organization(people).slug}",
    "organizations.manage": lambda people: f"/organisasi/{sample_organization(people).slug}/kelola",
    "organizations.invitation": lambda people: "/organisasi/undangan/not-a-real-token",
    "organizations.review": lambda people: f"/organisasi/verifikasi/{sample_organization(people).id}",
    "desk.new_comment": lambda people: f"/layanan/komentar/{sample_policy(people, 'open')}",
    "desk.new_survey_response": lambda people: f"/layanan/survei/{sample_survey(people)}",
    "desk.submission": lambda people: f"/layanan/kiriman/{sample_desk_submission(people)}",
    "desk.receipt": lambda people: f"/layanan/kiriman/{sample_desk_submission(people)}/tanda-terima",
    "desk.new_event_registration": lambda people: f"/layanan/kegiatan/{sample_event(people)}",
    "tracking.paper_consultation": lambda people: f"/formulir/konsultasi/{sample_policy(people, 'open')}",
    "guides.show": lambda people: f"/panduan/{sample_guide(people).slug}",
    "admin.edit_guide": lambda people: f"/admin/panduan/{sample_guide(people).id}",
    "admin.guide_history": lambda people: f"/admin/panduan/{sample_guide(people).id}/riwayat",
    "admin.guide_revision": lambda people: f"/admin/panduan/{sample_guide(people).id}/riwayat/1",
    "events.show": lambda people: f"/kegiatan/{sample_event(people)}",
    "events.edit": lambda people: f"/kegiatan/{sample_event(people)}/ubah",
    "events.cancel": lambda people: f"/kegiatan/{sample_event(people)}/batalkan",
    "events.registrations": lambda people: f"/kegiatan/{sample_event(people)}/pendaftar",
    "events.outcome": lambda people: f"/kegiatan/{sample_event(people)}/hasil",
}

# Routes with arguments that no sample URL reaches cheaply, with the reason.
UNSAMPLED = {
    "attachments.download": "needs a stored file; tests/consultations/test_policies_routes.py covers who may download",
    "aspirations.similar": "an HTML fragment for the form's script, not a page; tests/aspirations/test_aspiration_similar.py",
    "consultations.diff": "needs two versions; tests/consultations/test_consultation_pages.py covers it",
    "consultations.edit_comment": "needs the person's own fresh comment; tests/consultations/test_consultation_pages.py covers it",
    "moderation.appeal": "needs the person's own hidden post; tests/moderation/test_moderation_pages.py covers it",
    "moderation.audit_csv": "a CSV download, not a page; tests/moderation/test_moderation_pages.py checks who gets it",
    "aspirations.photo": "needs a stored photo; tests/aspirations/test_aspiration_photos.py covers who may see it",
    "aspirations.edit_comment": "needs the person's own fresh comment; tests/aspirations/test_aspiration_comments.py",
    "summaries.download": "needs ?format=; tests/exports/test_summary_pages.py covers who may download",
    "survey_builder.export": "a file download, not a page; tests/surveys/test_survey_pages.py covers who may download",
    "organizations.logo": "needs a stored logo; tests/organizations/test_organization_pages.py opens it",
    "organizations.document": "a file download, not a page; tests/organizations/test_organization_pages.py checks who "
                              "gets it",
    "events.event_ics": "a calendar file, not a page, for anyone; tests/events/test_event_calendar.py",
    "events.kecamatan_ics": "a calendar file, not a page, for anyone; tests/events/test_event_calendar.py",
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


def sample_aspiration(people):
    """The id of a verified public aspiration of the sample resident."""
    from forum.models import District, Role as Roles
    from forum.services import aspirations

    author = people.make_user(Roles.RESIDENT)
    aspiration = aspirations.submit_aspiration(
        author, aspiration_type="proposal", title="Wi-Fi publik di taman", body="Mohon dipasang Wi-Fi.",
        category="layanan-digital", district="serpong.cilenggang")
    aspirations.transition(people[MODERATOR], aspiration, "verified")
    return aspiration.id


def sample_survey(people, publish=True):
    """The id of an open survey (or a draft) of the sample official's agency, results not public."""
    from forum.services import surveys

    survey = surveys.create_survey(
        people[OFFICIAL], title="Contoh survei", service_name="Layanan contoh", publish=publish,
        questions=[{"type": "likert", "text": "Layanan ini mudah dipakai."}],
    )
    return survey.id


def sample_organization(people):
    """A verified organization whose founder (and only admin) is the sample resident, with its document."""
    import io

    from werkzeug.datastructures import FileStorage

    from forum.models import Organization
    from forum.services import organizations

    existing = Organization.query.filter_by(requested_by_id=people[RESIDENT].id).first()
    if existing is not None:
        return existing
    organization = organizations.request_organization(
        people[RESIDENT], name="Komunitas Contoh", kind="community", district="serpong", description="Contoh.",
        contact="0812", document=FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="akta.pdf"))
    return organizations.decide(people[ADMIN], organization, "verify")


def sample_desk_submission(people):
    """The id of an aspiration the sample desk officer submitted for a resident of their kelurahan."""
    from forum.services import desk

    officer = people[DESK]
    submission = desk.submit_aspiration(
        officer, desk.Resident(name="Ibu Siti", kelurahan=officer.district.code, consent=True),
        aspiration_type="complaint", title="Lampu jalan padam", body="Sudah dua minggu.", category="infrastruktur")
    return submission.id


def sample_guide(people):
    """A published guide (made once per test)."""
    from forum.models import Guide
    from forum.services import guides

    guide = Guide.query.filter_by(slug="contoh").one_or_none()
    if guide is None:
        text = {name: "Contoh." for name in ("title", "title_en", "summary", "summary_en", "body_source",
                                              "body_en_source")}
        guide = guides.create_guide(people[ADMIN], {**text, "slug": "contoh"})
        guides.set_published(people[ADMIN], guide, True)
    return guide


def sample_event(people):
    """The id of an upcoming event of the sample official's agency."""
    from forum.services import events
    from forum.timeutil import utcnow

    starts = utcnow() + timedelta(days=3)
    event = events.create_event(
        people[OFFICIAL], title="Contoh kegiatan", kind="sosialisasi", kelurahan="pondok-aren.pondok-betung",
        address="Aula", capacity=10, starts_at=starts, ends_at=starts + timedelta(hours=2))
    return event.id


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
        DESK: (Role.DESK, {"district": lambda: District.query.filter_by(code="pondok-aren.pondok-betung").one()}),
    }

    def __init__(self, make_user):
        super().__init__()
        self.make_user = make_user

    def __missing__(self, person):
        role, fields = self.FIELDS[person]
        fields = {name: value() if callable(value) else value for name, value in fields.items()}
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
