"""Accessibility sweep: axe-core on every page each kind of person can open, in real Chromium.

The pages come from the access matrix (tests/site/test_access_matrix.py): for each
kind of person, every GET page it may open (and the "broken link" pages every
one sees). The site holds the small demo data set, so pages show what they show
in use: a consultation with two versions, clause comments, replies and an
official response; aspirations with comments and answers; a survey with 300
responses; a moderation queue with held and flagged posts; statistics with
numbers. Where the demo has a richer object than the matrix's sample URL, the
sweep opens that instead (`DEMO_URLS`).

One test per kind of person, signed in once through the login form, in one
browser context with a 320 px wide window. axe-core is the copy bundled with
the pinned `axe-playwright-python` package, run through DevTools
(`page.evaluate`), which the Content-Security-Policy does not block. A serious
or critical violation of WCAG 2.x A/AA or axe's best practices fails the test,
listing every one.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import func, select
from tests.site.test_access_matrix import (
    ADMIN,
    DESK,
    EXPECTED,
    LINK_PROBLEM,
    MODERATOR,
    OFFICIAL,
    OK,
    PEOPLE,
    RESIDENT,
    UNSAMPLED,
    UNVERIFIED,
    VISITOR,
    People,
    url_for_route,
)

from forum import demo, search
from forum.demo.accounts import DEMO_PASSWORD
from forum.extensions import db
from forum.models import (
    Agency, Aspiration, DeskSubmission, Event, Guide, Organization, Policy, PolicyVersion, Role, Survey, User,
)
from moderation.models import Flag, Sanction, SanctionKind
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],  # passes and the rest come back with one node each: faster
}
FAILING_IMPACTS = ("serious", "critical")
# WCAG's reflow width: here wide tables scroll in their box, which a desktop window hides.
NARROW_SCREEN = {"width": 320, "height": 640}
CHECKED_STATUSES = (OK, LINK_PROBLEM)  # a broken e-mail link is a page everyone may land on


class DemoSite:
    """The demo objects with the most on their pages, looked up once the demo data is seeded."""

    def __init__(self):
        diskominfo = select(Agency.id).where(Agency.code == "diskominfo").scalar_subquery()
        # The diskominfo consultation revised once: comments on both versions, a diff, a summary.
        self.policy = db.session.scalars(
            select(Policy).join(PolicyVersion).where(Policy.agency_id == diskominfo, PolicyVersion.number == 2)
        ).first()
        self.aspiration = db.session.scalars(
            select(Aspiration).where(Aspiration.visibility == "public", Aspiration.answered_at.is_not(None))
            .order_by(Aspiration.comment_count.desc(), Aspiration.id)
        ).first()
        # Still open, so its results are for its agency (diskominfo, the sample official's) and admins.
        self.survey = db.session.scalars(
            select(Survey).where(Survey.agency_id == diskominfo, Survey.closed_at.is_(None))
            .order_by(Survey.response_count.desc())
        ).first()
        self.flagged_id = db.session.scalars(
            select(Flag.content_id).group_by(Flag.content_id).order_by(func.count().desc())).first()
        # A diskominfo meeting that took place (minutes, attendance, points) and one with a waiting list.
        self.meeting = db.session.scalars(
            select(Event).where(Event.agency_id == diskominfo, Event.minutes_published_at.is_not(None),
                                Event.policy_id.is_not(None)).order_by(Event.id)).first()
        self.training = db.session.scalars(
            select(Event).where(Event.agency_id == diskominfo, Event.kind == "digital_literacy")).first()
        # The resident warned over a removed comment: "my moderation" has a history and an appeal to make.
        self.warning = db.session.scalars(select(Sanction).where(Sanction.kind == SanctionKind.WARN)).first()
        # A verified organization with a logo and several members, and the request waiting in the queue.
        self.organization = db.session.scalars(
            select(Organization).where(Organization.status == "verified", Organization.logo_file.is_not(None))
            .order_by(Organization.id)).first()
        self.organization_request = db.session.scalars(
            select(Organization).where(Organization.status == "requested")).first()
        # A desk receipt whose aspiration was answered: /lacak shows its whole public timeline.
        self.receipt = db.session.scalars(
            select(DeskSubmission).join(Aspiration, Aspiration.id == DeskSubmission.content_id)
            .where(Aspiration.state == "answered", Aspiration.visibility == "public",
                   DeskSubmission.district.has(code="pondok-aren.pondok-betung")).order_by(DeskSubmission.id)
        ).first()
        # The longest demo guide (lists, several sections, an illustration).
        self.guide = db.session.scalars(select(Guide).where(Guide.slug == "cara-menyampaikan-aspirasi")).one()

    def people(self, make_user):
        """Demo staff and the warned resident as the matrix's people, all with the demo password."""
        staff = {OFFICIAL: "kominfo@demo.musyawarah.id", MODERATOR: "moderator@demo.musyawarah.id",
                 ADMIN: "admin@demo.musyawarah.id", DESK: "layanan.pondokbetung@demo.musyawarah.id"}
        people = People(make_user)
        for person, email in staff.items():
            people[person] = db.session.scalars(select(User).where(User.email == email)).one()
        people[RESIDENT] = db.session.get(User, self.warning.user_id)
        people[UNVERIFIED] = make_user(Role.RESIDENT, password=DEMO_PASSWORD, email_verified_at=None)
        return people


# Pages opened on a demo object rather than on the matrix's sparse sample.
DEMO_URLS = {
    "consultations.policy": lambda site: f"/konsultasi/{site.policy.id}",
    "consultations.version": lambda site: f"/konsultasi/{site.policy.id}/versi/1",
    "consultations.diff": lambda site: f"/konsultasi/{site.policy.id}/beda",
    "summaries.summary_page": lambda site: f"/konsultasi/{site.policy.id}/ringkasan",
    "aspirations.show": lambda site: f"/aspirasi/{site.aspiration.id}",
    "surveys.survey": lambda site: f"/survei/{site.survey.id}",
    "surveys.answer": lambda site: f"/survei/{site.survey.id}/isi",
    "surveys.results": lambda site: f"/survei/{site.survey.id}/hasil",
    "moderation.item": lambda site: f"/moderasi/konten/{site.flagged_id}",
    "search_pages.results": lambda site: "/cari?q=parkir",
    "organizations.profile": lambda site: f"/organisasi/{site.organization.slug}",
    "organizations.review": lambda site: f"/organisasi/verifikasi/{site.organization_request.id}",
    "tracking.track": lambda site: f"/lacak?kode={site.receipt.receipt_code}",
    "desk.submission": lambda site: f"/layanan/kiriman/{site.receipt.id}",
    "desk.receipt": lambda site: f"/layanan/kiriman/{site.receipt.id}/tanda-terima",
    "desk.new_event_registration": lambda site: f"/layanan/kegiatan/{site.training.id}",
    "guides.show": lambda site: f"/panduan/{site.guide.slug}",
    "admin.edit_guide": lambda site: f"/admin/panduan/{site.guide.id}",
    "admin.guide_history": lambda site: f"/admin/panduan/{site.guide.id}/riwayat",
    "admin.guide_revision": lambda site: f"/admin/panduan/{site.guide.id}/riwayat/1",
    "events.show": lambda site: f"/kegiatan/{site.meeting.id}",
    "events.outcome": lambda site: f"/kegiatan/{site.meeting.id}/hasil",
    "events.registrations": lambda site: f"/kegiatan/{site.training.id}/pendaftar",
    "events.edit": lambda site: f"/kegiatan/{site.training.id}/ubah",
}
# Pages only their owner can open, with that owner (the matrix leaves them unsampled).
OWN_PAGES = {
    "moderation.appeal": (RESIDENT, lambda site: f"/moderasi/banding/{site.warning.content_id}"),
}


def pages_for(app, person, people, site):
    """(URL, expected status) of every page `person` may open, richest object first."""
    for endpoint, access in sorted(EXPECTED.items()):
        if access[person] not in CHECKED_STATUSES:
            continue
        if endpoint in OWN_PAGES:
            owner, build = OWN_PAGES[endpoint]
            if owner == person:
                yield build(site), access[person]
        elif endpoint in DEMO_URLS:
            yield DEMO_URLS[endpoint](site), access[person]
        elif endpoint not in UNSAMPLED:
            yield url_for_route(app, endpoint, people), access[person]


@pytest.fixture
def demo_site(app):
    demo.seed("small")
    search.sync()  # the search page then has results to show
    return DemoSite()


def serious_violations(path, results):
    """'path: rule (impact) on N nodes, e.g. <first target>' for each serious or critical violation."""
    return [
        f"{path}: {violation['id']} ({violation['impact']}) on {len(violation['nodes'])} nodes, "
        f"e.g. {violation['nodes'][0]['target']}"
        for violation in results["violations"] if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_passes_axe(app, live_server, page, t, make_user, demo_site, person):
    people = demo_site.people(make_user)
    if person != VISITOR:
        log_in(page, live_server, t, people[person], DEMO_PASSWORD)
    page.set_viewport_size(NARROW_SCREEN)
    axe = Axe()
    found, checked = [], 0
    for path, status in pages_for(app, person, people, demo_site):
        response = page.goto(live_server(path))
        assert response.status == status, f"{person} GET {path}"
        results = axe.run(page, options=AXE_OPTIONS).response
        assert results["passes"], f"axe did not run on {path}"
        found += serious_violations(path, results)
        checked += 1
    assert checked >= 10, f"only {checked} pages checked as {person}"
    assert not found, f"serious or critical axe violations as {person}:\n" + "\n".join(found)
