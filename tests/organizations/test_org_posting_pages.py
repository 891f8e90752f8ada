"""Writing as an organization through the pages, JavaScript off: the choice, the author shown, refusals."""
import pytest

from forum.extensions import db
from forum.models import Aspiration, Comment, OrganizationStatus, SurveyResponse, Vote
from forum.services import aspirations, survey_answers, writing
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401
from tests.surveys.conftest import QUESTIONS, make_survey  # noqa: F401

ORGANIZATION = "Paguyuban Warga Pondok Betung"


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def organization(resident):
    return make_organization(members=[resident], name=ORGANIZATION)


@pytest.fixture
def verified_aspiration(make_user, moderator, no_post_rate):
    aspiration = aspirations.submit_aspiration(
        make_user(), aspiration_type="complaint", title="Saluran air tersumbat di RT 03",
        body="Air meluap setiap hujan deras.", category="infrastruktur", district="pondok-aren.pondok-betung",
        visibility="public")
    aspirations.transition(moderator, aspiration, "verified")
    return aspiration


def test_the_choice_shows_only_for_members_of_a_verified_organization(client, login, resident, make_user, policy,
                                                                       organization):
    login(resident)
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert "Sebagai diri sendiri" in page and f"Sebagai {ORGANIZATION}" in page
    assert f'name="as_organization" value="{organization.id}"' in page
    login(make_user())
    assert "Sebagai diri sendiri" not in client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)


def test_a_comment_as_the_organization_shows_the_organization(client, login, resident, policy, organization,
                                                             no_post_rate):
    login(resident)
    sent = client.post(f"/konsultasi/{policy.id}/komentar", data={
        "body": "Kami mendukung rancangan ini.", "stance": "support", "as_organization": str(organization.id)})
    assert sent.status_code == 302
    comment = db.session.scalars(db.select(Comment)).one()
    assert comment.organization_id == organization.id
    with client.session_transaction() as session:
        session.clear()
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert f'<a href="/organisasi/{organization.slug}">{ORGANIZATION}</a>' in page
    assert "Organisasi terverifikasi" in page
    assert resident.display_name not in page


@pytest.mark.parametrize("status, code", [(OrganizationStatus.SUSPENDED, 409), (OrganizationStatus.REQUESTED, 409)])
def test_a_refused_organization_re_renders_with_the_text_kept(client, login, resident, policy, status, code,
                                                             no_post_rate):
    refused = make_organization(members=[resident], status=status)
    login(resident)
    page = client.post(f"/konsultasi/{policy.id}/komentar", data={
        "body": "Teks yang tetap ada.", "stance": "support", "as_organization": str(refused.id)})
    assert page.status_code == code
    html = page.get_data(as_text=True)
    assert "Teks yang tetap ada." in html and 'id="as-organization-error' in html
    assert ("ditangguhkan" in html) if status == OrganizationStatus.SUSPENDED else ("terverifikasi" in html)
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0


def test_not_a_member_is_a_403_page_with_the_text_kept(client, login, resident, make_user, verified_aspiration,
                                                       no_post_rate):
    strangers = make_organization(members=[make_user()])
    login(resident)
    page = client.post(f"/aspirasi/{verified_aspiration.id}/komentar", data={
        "body": "Komentar saya tetap di sini.", "as_organization": str(strangers.id)})
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "Komentar saya tetap di sini." in html and "anggota" in html


def test_aspiration_comment_and_support_as_the_organization(client, login, resident, organization,
                                                            verified_aspiration, no_post_rate):
    login(resident)
    page = client.get(f"/aspirasi/{verified_aspiration.id}").get_data(as_text=True)
    assert "Dukung atas nama organisasi" in page and f"Sebagai {ORGANIZATION}" in page
    assert client.post(f"/aspirasi/{verified_aspiration.id}/komentar", data={
        "body": "Kami siap kerja bakti.", "as_organization": str(organization.id)}).status_code == 302
    assert client.post(f"/aspirasi/{verified_aspiration.id}/dukung", data={
        "value": "up", "as_organization": str(organization.id)}).status_code == 302
    assert db.session.scalar(db.select(Vote.organization_id).where(Vote.content_id == verified_aspiration.id)) \
        == organization.id
    with client.session_transaction() as session:
        session.clear()
    public = client.get(f"/aspirasi/{verified_aspiration.id}").get_data(as_text=True)
    assert f"/organisasi/{organization.slug}" in public and resident.display_name not in public


def test_an_aspiration_raised_as_the_organization(client, login, resident, organization, no_post_rate):
    login(resident)
    form = {"kind": "proposal", "title": "Taman baca untuk anak", "body": "Kami usulkan taman baca di balai RW.",
            "category": "pendidikan", "district": "pondok-aren.pondok-betung", "visibility": "public",
            "location": "", "as_organization": str(organization.id)}
    check = client.post("/aspirasi/baru", data={**form, "step": "check"}).get_data(as_text=True)
    assert f'name="as_organization" value="{organization.id}"' in check
    sent = client.post("/aspirasi/baru", data={**form, "step": "send"})
    assert sent.status_code == 302
    assert db.session.scalars(db.select(Aspiration)).one().organization_id == organization.id
    anonymous = client.post("/aspirasi/baru", data={**form, "step": "send", "visibility": "anonymous",
                                                    "title": "Taman baca kedua"})
    assert anonymous.status_code == 422 and "atas namanya sendiri" in anonymous.get_data(as_text=True)


def test_one_survey_answer_per_organization_on_the_page(client, login, resident, make_user, organization,
                                                        make_survey):
    survey = make_survey(questions=[QUESTIONS[2]])
    question = survey.questions[0]
    login(resident)
    assert f"Sebagai {ORGANIZATION}" in client.get(f"/survei/{survey.id}/isi").get_data(as_text=True)
    data = {"page": "0", "action": "send", f"question-{question.id}": "4", "as_organization": str(organization.id)}
    assert client.post(f"/survei/{survey.id}/isi", data=data).status_code == 302
    again = client.post(f"/survei/{survey.id}/isi", data={**data, f"question-{question.id}": "2"})
    assert again.status_code == 409 and "sudah menjawab" in again.get_data(as_text=True)
    assert f'name="question-{question.id}" value="2" checked' in again.get_data(as_text=True)  # kept
    responses = db.session.execute(db.select(SurveyResponse.organization_id, SurveyResponse.user_id)).all()
    assert responses == [(organization.id, resident.id)]


def test_survey_results_page_keeps_organizations_apart(client, login, official, resident, make_user, organization,
                                                      make_survey):
    survey = make_survey(questions=[QUESTIONS[2]])
    question = survey.questions[0]
    survey_answers.submit_response(resident, survey, {question.id: {"value": 5}}, as_organization=organization.id)
    survey_answers.submit_response(make_user(), survey, {question.id: {"value": 1}})
    login(official)
    residents = client.get(f"/survei/{survey.id}/hasil").get_data(as_text=True)
    assert "1 tanggapan." in residents
    assert "?kelompok=organisasi" in residents
    page = client.get(f"/survei/{survey.id}/hasil?kelompok=organisasi").get_data(as_text=True)
    assert f"/organisasi/{organization.slug}" in page and ORGANIZATION in page
    assert resident.display_name not in page
