"""The API's `as_organization`: comments, aspirations, votes/supports and survey responses; 403, 409, 422."""
import pytest

from forum.extensions import db
from forum.models import OrganizationMember, OrganizationStatus
from forum.services import aspirations
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401
from tests.surveys.conftest import QUESTIONS, full_answers, make_survey, survey  # noqa: F401

API = "/api/v1"


def error_code(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]["code"]


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def organization(resident):
    return make_organization(members=[resident], name="Forum RW 05 Pondok Betung")


def test_a_comment_as_the_organization_shows_it_not_the_member(client, bearer, resident, organization, policy,
                                                               no_post_rate):
    posted = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident), json={
        "body": "Kami mendukung pasal ini.", "stance": "support", "as_organization": organization.id})
    assert posted.status_code == 201, posted.get_data(as_text=True)
    data = posted.get_json()
    assert data["organization"] == {"id": organization.id, "name": "Forum RW 05 Pondok Betung",
                                    "slug": organization.slug, "verified": True}
    assert data["author"] == {"display_name": "Forum RW 05 Pondok Betung"}
    listed = client.get(f"{API}/policies/{policy.id}/comments").get_data(as_text=True)
    assert resident.display_name not in listed and "Forum RW 05 Pondok Betung" in listed
    mine = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident),
                       json={"body": "Pendapat pribadi saya.", "stance": "neutral"}).get_json()
    assert mine["organization"] is None and mine["author"] == {"display_name": resident.display_name}


def test_not_a_member_is_403_and_a_suspended_organization_409(client, bearer, resident, make_user, policy,
                                                              no_post_rate):
    stranger = make_organization(members=[make_user()])
    suspended = make_organization(members=[resident], status=OrganizationStatus.SUSPENDED)
    url = f"{API}/policies/{policy.id}/comments"
    body = {"body": "Kami mendukung.", "stance": "support"}
    assert error_code(client.post(url, headers=bearer(resident), json={**body, "as_organization": stranger.id}),
                      403) == "not_a_member"
    assert error_code(client.post(url, headers=bearer(resident), json={**body, "as_organization": suspended.id}),
                      409) == "organization_suspended"
    assert error_code(client.post(url, headers=bearer(resident), json={**body, "as_organization": "satu"}),
                      422) == "validation_error"
    assert client.get(f"{API}/policies/{policy.id}/comments").get_json()["total"] == 0


def test_votes_and_supports_as_the_organization(client, bearer, resident, make_user, organization, policy,
                                                moderator, no_post_rate):
    headers = bearer(resident)
    voted = client.put(f"{API}/policies/{policy.id}/vote", headers=headers,
                       json={"value": "oppose", "as_organization": organization.id})
    assert voted.get_json() == {"value": "oppose", "counters": {"support": 0, "oppose": 1}}
    own = client.put(f"{API}/policies/{policy.id}/vote", headers=headers, json={"value": "support"})
    assert own.get_json()["counters"] == {"support": 1, "oppose": 1}
    cleared = client.delete(f"{API}/policies/{policy.id}/vote?as_organization={organization.id}", headers=headers)
    assert cleared.get_json() == {"value": None, "counters": {"support": 1, "oppose": 0}}
    aspiration = aspirations.submit_aspiration(
        make_user(), aspiration_type="proposal", title="Lampu jalan di gang 3", body="Gang gelap di malam hari.",
        category="kebencanaan", district="pondok-aren.pondok-betung", visibility="public")
    aspirations.transition(moderator, aspiration, "verified")
    url = f"{API}/content/{aspiration.id}/votes"
    supported = client.post(url, headers=headers, json={"value": "up", "as_organization": organization.id})
    assert supported.status_code == 200
    assert error_code(client.post(url, headers=headers, json={"value": "up", "as_organization": organization.id}),
                      409) == "already_supported"


def test_an_aspiration_as_the_organization(client, bearer, resident, organization, no_post_rate):
    created = client.post(f"{API}/aspirations", headers=bearer(resident), json={
        "kind": "proposal", "title": "Bank sampah di setiap RW", "body": "Kami siap mengelolanya.",
        "category": "kebencanaan", "district": "pondok-aren.pondok-betung", "as_organization": organization.id})
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["organization"]["id"] == organization.id
    assert created.get_json()["author"] == {"display_name": organization.name}


def test_one_survey_response_per_organization(client, bearer, resident, make_user, organization, survey, official):
    answers = [{"question_id": question_id, **answer} for question_id, answer in full_answers(survey).items()]
    url = f"{API}/surveys/{survey.id}/responses"
    first = client.post(url, headers=bearer(resident), json={"answers": answers, "as_organization": organization.id})
    assert first.status_code == 201 and first.get_json()["organization_id"] == organization.id
    other = make_user()
    db.session.add(OrganizationMember(organization_id=organization.id, user_id=other.id))
    db.session.commit()
    again = client.post(url, headers=bearer(other), json={"answers": answers, "as_organization": organization.id})
    assert error_code(again, 409) == "already_answered"
    results = client.get(f"{API}/surveys/{survey.id}/results", headers=bearer(official)).get_json()
    assert results["responses"] == 0 and results["organization_responses"] == 1
    groups = client.get(f"{API}/surveys/{survey.id}/results?group=organizations", headers=bearer(official)).get_json()
    assert groups["responses"] == 1 and groups["organizations"][0]["name"] == organization.name
