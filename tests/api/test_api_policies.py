"""The consultation API: policies, comments, votes and official responses under /api/v1."""
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from forum.extensions import db
from forum.models import Agency, Category, Comment, Notification, Policy, PolicyPhase, Role, Vote
from forum.services import tokens
from forum.timeutil import utcnow
from moderation.services import set_premoderation
from tests.factories import make_comment, make_policy, no_post_rate  # noqa: F401  (fixture)

API = "/api/v1"


@pytest.fixture
def policy(agency, official):
    return make_policy(agency, author=official)


def _schema_validator(client, name):
    document = client.get(f"{API}/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})


def _error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if code:
        assert error["code"] == code
    return error


# -- reading policies -------------------------------------------------------------
def test_policy_detail_has_sections_times_counters_and_common_fields(client, policy):
    answer = client.get(f"{API}/policies/{policy.id}").get_json()
    assert answer["id"] == policy.id and answer["kind"] == "policy" and answer["status"] == "open"
    assert [(s["number"], s["heading"]) for s in answer["sections"]] == [(1, "Pasal 1"), (2, "Pasal 2"), (3, "Pasal 3")]
    assert answer["sections"][0]["body_html"] == "<p>Isi pasal 1 versi 1.</p>"
    assert answer["opens_at"].endswith("+07:00") and answer["closes_at"].endswith("+07:00")
    assert answer["counters"] == {"support": 0, "oppose": 0, "comments": 0}
    assert answer["author"]["display_name"] == policy.author.display_name
    assert answer["accepting_input"] is True
    _schema_validator(client, "Policy").validate(answer)


def test_list_hides_drafts_except_from_their_agency(client, bearer, agency, official, make_user):
    public = make_policy(agency)
    draft = make_policy(agency, phase=PolicyPhase.DRAFT)
    other_agency = Agency.query.filter(Agency.id != agency.id).first()
    outsider = make_user(Role.OFFICIAL, agency=other_agency)

    def ids(headers=None, query=""):
        answer = client.get(f"{API}/policies{query}", headers=headers or {}).get_json()
        return [item["id"] for item in answer["items"]]

    assert ids() == [public.id]
    assert ids(bearer(outsider)) == [public.id]
    assert ids(bearer(official)) == [draft.id, public.id]
    assert ids(bearer(official), "?status=draft") == [draft.id]
    _error(client.get(f"{API}/policies/{draft.id}"), 404, "not_found")
    _error(client.get(f"{API}/policies/{draft.id}", headers=bearer(outsider)), 404)
    assert client.get(f"{API}/policies/{draft.id}", headers=bearer(official)).get_json()["status"] == "draft"


def test_list_filters_and_pages(client, agency):
    health = Category.query.filter_by(code="kesehatan").one()
    first = make_policy(agency, category=health)
    make_policy(agency, phase=PolicyPhase.CLOSED)
    answer = client.get(f"{API}/policies?category=kesehatan&per_page=1").get_json()
    assert [item["id"] for item in answer["items"]] == [first.id]
    assert (answer["page"], answer["per_page"], answer["total"]) == (1, 1, 1)
    assert client.get(f"{API}/policies?status=closed").get_json()["total"] == 1
    assert client.get(f"{API}/policies?agency={agency.code}").get_json()["total"] == 2
    assert client.get(f"{API}/policies?agency=bapenda").get_json()["total"] == 0
    fields = _error(client.get(f"{API}/policies?status=secret&category=%00&agency=nope"), 422)["fields"]
    assert set(fields) == {"status", "category", "agency"}


def test_overdue_consultation_reads_as_closed(client, agency):
    overdue = make_policy(agency, opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(minutes=1))
    assert client.get(f"{API}/policies/{overdue.id}").get_json()["status"] == "closed"


# -- drafting ----------------------------------------------------------------------
def _new_policy(**changes):
    body = {
        "title": "Rancangan Perwali Parkir", "summary": "Tarif parkir baru.", "category": "infrastruktur",
        "sections": [{"heading": "Ketentuan umum", "body": "Isi."}, {"heading": "Tarif", "body": "Rp2.000."}],
        "opens_at": "2030-01-01T08:00:00+07:00", "closes_at": "2030-02-01T17:00",
    }
    body.update(changes)
    return body


def test_official_creates_a_draft_publishes_and_closes_it(client, bearer, official):
    headers = bearer(official)
    created = client.post(f"{API}/policies", json=_new_policy(), headers=headers)
    assert created.status_code == 201
    answer = created.get_json()
    assert answer["status"] == "draft" and answer["agency"] == official.agency.code
    assert created.headers["Location"].endswith(f"/policies/{answer['id']}")
    assert answer["opens_at"] == "2030-01-01T08:00:00+07:00"
    assert answer["closes_at"] == "2030-02-01T17:00:00+07:00"  # no offset: city time
    assert [s["heading"] for s in answer["sections"]] == ["Ketentuan umum", "Tarif"]
    published = client.post(f"{API}/policies/{answer['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.get_json()["status"] == "open"
    _error(client.post(f"{API}/policies/{answer['id']}/publish", headers=headers), 409)
    assert client.post(f"{API}/policies/{answer['id']}/close", headers=headers).get_json()["status"] == "closed"
    _error(client.post(f"{API}/policies/{answer['id']}/close", headers=headers), 409)


def test_creating_needs_a_token_and_an_official(client, bearer, resident):
    _error(client.post(f"{API}/policies", json=_new_policy()), 401, "not_authenticated")
    _error(client.post(f"{API}/policies", json=_new_policy(), headers=bearer(resident)), 403, "forbidden")
    assert Policy.query.count() == 0


def test_invalid_draft_fields_are_named(client, bearer, official):
    headers = bearer(official)
    bad = _new_policy(title=7, opens_at="next week", sections=[{"heading": "", "body": "x"}, {"heading": 3}])
    fields = _error(client.post(f"{API}/policies", json=bad, headers=headers), 422, "validation_error")["fields"]
    assert set(fields) == {"title", "opens_at", "sections.1.heading", "sections.1.body"}
    fields = _error(client.post(f"{API}/policies", json=_new_policy(
        category="nope", sections=[{"heading": "", "body": "x" * 20_001}]), headers=headers), 422)["fields"]
    assert {"category", "sections.0.heading", "sections.0.body"} <= set(fields)
    edges = _new_policy(opens_at="0001-01-01T00:00:00+07:00", closes_at="9999-12-31T23:59:59-05:00")
    fields = _error(client.post(f"{API}/policies", json=edges, headers=headers), 422)["fields"]
    assert set(fields) == {"opens_at", "closes_at"}
    assert Policy.query.count() == 0


def test_publish_by_another_agency_is_refused(client, bearer, agency, make_user, admin):
    draft = make_policy(agency, phase=PolicyPhase.DRAFT)
    outsider = make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.id != agency.id).first())
    _error(client.post(f"{API}/policies/{draft.id}/publish", headers=bearer(outsider)), 404)
    open_one = make_policy(agency)
    _error(client.post(f"{API}/policies/{open_one.id}/close", headers=bearer(outsider)), 403)
    assert client.post(f"{API}/policies/{draft.id}/publish", headers=bearer(admin)).status_code == 200


# -- comments ------------------------------------------------------------------------
@pytest.mark.usefixtures("no_post_rate")
def test_post_comment_on_a_clause_and_reply(client, bearer, policy, resident, make_user):
    section = policy.current_version.sections[1]
    posted = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident),
                         json={"body": "Saya **setuju**.", "stance": "support", "section_id": section.id})
    assert posted.status_code == 201
    comment = posted.get_json()
    assert comment["status"] == "published" and comment["section_id"] == section.id
    assert comment["body_html"] == "<p>Saya <strong>setuju</strong>.</p>" and comment["notices"] == []
    _schema_validator(client, "CommentPosted").validate(comment)
    other = make_user(Role.RESIDENT)
    reply = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(other),
                        json={"body": "Kenapa?", "parent_id": comment["id"]}).get_json()
    assert reply["parent_id"] == comment["id"] and reply["depth"] == 1
    detail = client.get(f"{API}/policies/{policy.id}").get_json()
    assert detail["counters"]["comments"] == 2 and detail["sections"][1]["counters"]["support"] == 1
    assert Notification.query.filter_by(user_id=resident.id, event="reply").count() == 1


@pytest.mark.usefixtures("no_post_rate")
def test_an_official_posting_on_their_agencys_policy_answers_officially(client, bearer, policy, official, resident):
    """The same choice as the consultation page: no stance asked of the agency, the answer is badged."""
    question = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident),
                           json={"body": "Kapan berlaku?", "stance": "neutral"}).get_json()
    answer = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(official),
                         json={"body": "Mulai tahun depan.", "parent_id": question["id"]})
    assert answer.status_code == 201
    posted = answer.get_json()
    assert posted["is_official_response"] is True and posted["parent_id"] == question["id"]
    whole = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(official),
                        json={"body": "Terima kasih atas masukannya."}).get_json()
    assert whole["is_official_response"] is True and whole["stance"] is None


@pytest.mark.parametrize("body, field", [
    ({"body": "", "stance": "support"}, "body"),
    ({"body": "x" * 20_000, "stance": "support"}, "body"),
    ({"body": "Ya", "stance": "maybe"}, "stance"),
    ({"body": "Ya"}, "stance"),
    ({"body": 5, "stance": "support"}, "body"),
    ({"body": "Ya", "stance": "support", "section_id": "1"}, "section_id"),
    ({"body": "Ya", "stance": "support", "parent_id": True}, "parent_id"),
    ({"body": "Ya\x00", "stance": "support"}, "body"),
])
def test_invalid_comments_are_refused(client, bearer, policy, resident, body, field):
    error = _error(client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident), json=body), 422)
    assert field in error["fields"]
    assert Comment.query.count() == 0


def test_comment_on_a_clause_or_comment_of_another_policy_is_refused(client, bearer, agency, policy, resident,
                                                                      make_user):
    other = make_policy(agency)
    foreign = make_comment(other, make_user(Role.RESIDENT))
    headers = bearer(resident)
    url = f"{API}/policies/{policy.id}/comments"
    section_id = other.current_version.sections[0].id
    assert "section_id" in _error(client.post(url, headers=headers, json={
        "body": "Ya", "stance": "support", "section_id": section_id}), 422)["fields"]
    assert "parent_id" in _error(client.post(url, headers=headers, json={"body": "Ya", "parent_id": foreign.id}),
                                 422)["fields"]


def test_writes_on_closed_draft_or_unknown_policies(client, bearer, agency, resident):
    headers = bearer(resident)
    closed = make_policy(agency, phase=PolicyPhase.CLOSED)
    draft = make_policy(agency, phase=PolicyPhase.DRAFT)
    body = {"body": "Ya", "stance": "support"}
    _error(client.post(f"{API}/policies/{closed.id}/comments", headers=headers, json=body), 409, "closed")
    _error(client.put(f"{API}/policies/{closed.id}/vote", headers=headers, json={"value": "support"}), 409)
    _error(client.post(f"{API}/policies/{draft.id}/comments", headers=headers, json=body), 404)
    _error(client.post(f"{API}/policies/999999/comments", headers=headers, json=body), 404)
    _error(client.post(f"{API}/policies/{closed.id}/comments", json=body), 401)
    assert Comment.query.count() == 0


def test_held_comment_is_pending_and_shown_only_to_its_author(client, bearer, policy, resident, admin, make_user):
    set_premoderation(admin, hold_policy_ids=[policy.id])
    posted = client.post(f"{API}/policies/{policy.id}/comments", headers=bearer(resident),
                         json={"body": "Mohon ditinjau.", "stance": "oppose"})
    assert posted.status_code == 201
    answer = posted.get_json()
    assert answer["status"] == "pending" and answer["notices"]
    mine = client.get(f"{API}/policies/{policy.id}/comments", headers=bearer(resident)).get_json()
    assert [item["id"] for item in mine["items"]] == [answer["id"]]
    assert client.get(f"{API}/policies/{policy.id}/comments").get_json()["items"] == []
    others = client.get(f"{API}/policies/{policy.id}/comments", headers=bearer(make_user(Role.RESIDENT)))
    assert others.get_json()["total"] == 0


def test_comment_list_threads_filters_and_sorts(client, policy, make_user):
    first_section, second_section = policy.current_version.sections[:2]
    older = make_comment(policy, make_user(Role.RESIDENT), section=first_section, stance="oppose",
                         created_at=utcnow() - timedelta(hours=2))
    newer = make_comment(policy, make_user(Role.RESIDENT), section=second_section, stance="support")
    reply = make_comment(policy, make_user(Role.RESIDENT), parent=older, stance=None)
    nested = make_comment(policy, make_user(Role.RESIDENT), parent=reply, stance=None)
    older.up_count = 5
    db.session.commit()
    url = f"{API}/policies/{policy.id}/comments"
    answer = client.get(url).get_json()
    assert [item["id"] for item in answer["items"]] == [newer.id, older.id] and answer["total"] == 2
    assert [r["id"] for r in answer["items"][1]["replies"]] == [reply.id, nested.id]
    _schema_validator(client, "CommentThread").validate(answer["items"][1])
    assert [i["id"] for i in client.get(f"{url}?sort=helpful").get_json()["items"]] == [older.id, newer.id]
    assert [i["id"] for i in client.get(f"{url}?stance=oppose").get_json()["items"]] == [older.id]
    assert [i["id"] for i in client.get(f"{url}?section_id={second_section.id}").get_json()["items"]] == [newer.id]
    paged = client.get(f"{url}?per_page=1&page=2").get_json()
    assert [i["id"] for i in paged["items"]] == [older.id] and paged["total"] == 2 and paged["per_page"] == 1
    fields = _error(client.get(f"{url}?sort=loudest&stance=x&section_id=-1&page=0"), 422)["fields"]
    assert {"sort", "stance", "section_id"} <= set(fields)


def test_deleted_comment_keeps_its_place_without_text(client, policy, make_user):
    gone = make_comment(policy, make_user(Role.RESIDENT))
    make_comment(policy, make_user(Role.RESIDENT), parent=gone, stance=None)
    gone.status = "deleted"
    db.session.commit()
    item = client.get(f"{API}/policies/{policy.id}/comments").get_json()["items"][0]
    assert item["status"] == "deleted" and item["body_html"] is None and item["author"] is None
    assert len(item["replies"]) == 1


# -- votes ----------------------------------------------------------------------------
def test_policy_vote_is_one_per_person_and_changeable(client, bearer, policy, resident, official):
    headers = bearer(resident)
    url = f"{API}/policies/{policy.id}/vote"
    assert client.put(url, headers=headers, json={"value": "support"}).get_json() == {
        "value": "support", "counters": {"support": 1, "oppose": 0}}
    assert client.put(url, headers=headers, json={"value": "support"}).get_json()["counters"] == {
        "support": 1, "oppose": 0}
    assert client.put(url, headers=headers, json={"value": "oppose"}).get_json()["counters"] == {
        "support": 0, "oppose": 1}
    assert Vote.query.count() == 1
    assert client.delete(url, headers=headers).get_json() == {"value": None, "counters": {"support": 0, "oppose": 0}}
    assert Vote.query.count() == 0
    _error(client.put(url, headers=headers, json={"value": "up"}), 422)
    _error(client.put(url, headers=bearer(official), json={"value": "support"}), 403)
    _error(client.put(url, json={"value": "support"}), 401)


def test_comment_votes(client, bearer, policy, resident, make_user):
    comment = make_comment(policy, make_user(Role.RESIDENT))
    url = f"{API}/content/{comment.id}/votes"
    headers = bearer(resident)
    answer = client.post(url, headers=headers, json={"value": "up"}).get_json()
    assert answer == {"value": "up", "counters": {"up": 1, "down": 0}}
    assert client.post(url, headers=headers, json={"value": "down"}).get_json()["counters"] == {"up": 0, "down": 1}
    assert client.delete(url, headers=headers).get_json()["value"] is None
    _error(client.post(url, headers=headers, json={"value": "support"}), 422)
    _error(client.post(url, headers=bearer(comment.author), json={"value": "up"}), 403)
    _error(client.post(f"{API}/content/999999/votes", headers=headers, json={"value": "up"}), 404)
    _error(client.post(f"{API}/content/{policy.id}/votes", headers=headers, json={"value": "up"}), 409)


def test_votes_on_an_invisible_comment_answer_404(client, bearer, policy, resident, make_user):
    held = make_comment(policy, make_user(Role.RESIDENT), status="pending")
    _error(client.post(f"{API}/content/{held.id}/votes", headers=bearer(resident), json={"value": "up"}), 404)


# -- official responses --------------------------------------------------------------
def test_official_response_to_a_comment_notifies_its_author(client, bearer, policy, official, resident, outbox):
    resident.notify_by_email = True
    comment = make_comment(policy, resident)
    answer = client.post(f"{API}/content/{comment.id}/responses", headers=bearer(official),
                         json={"body": "Terima kasih, akan kami tinjau."})
    assert answer.status_code == 201
    response = answer.get_json()
    assert response["is_official_response"] is True and response["parent_id"] == comment.id
    assert response["agency"] == official.agency.code
    assert Notification.query.filter_by(user_id=resident.id, event="official_response").count() == 1
    [mail] = outbox()
    assert mail["To"] == resident.email
    assert f"/konsultasi/{policy.id}#comment-{response['id']}" in mail.get_content()
    thread = client.get(f"{API}/policies/{policy.id}/comments").get_json()["items"][0]
    assert thread["replies"][0]["id"] == response["id"]


def test_official_response_to_a_clause(client, bearer, policy, official):
    section = policy.current_version.sections[0]
    answer = client.post(f"{API}/content/{policy.id}/responses", headers=bearer(official),
                         json={"body": "Penjelasan pasal ini.", "section_id": section.id}).get_json()
    assert answer["section_id"] == section.id and answer["parent_id"] is None


def test_only_the_agency_responds(client, bearer, policy, resident, make_user, agency):
    comment = make_comment(policy, make_user(Role.RESIDENT))
    outsider = make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.id != agency.id).first())
    for user in (resident, outsider):
        _error(client.post(f"{API}/content/{comment.id}/responses", headers=bearer(user), json={"body": "Ya"}), 403)
    _error(client.post(f"{API}/content/{comment.id}/responses", json={"body": "Ya"}), 401)
    assert Comment.query.count() == 1


# -- tokens, not cookies ----------------------------------------------------------------
def test_bearer_writes_need_no_csrf_token_and_cookies_count_for_nothing(app, make_app, policy, resident):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = resident.get_id()
    body = {"body": "Setuju sekali.", "stance": "support"}
    # A signed-in browser session is not an API credential.
    _error(client.post(f"{API}/policies/{policy.id}/comments", json=body), 401)
    _error(client.put(f"{API}/policies/{policy.id}/vote", json={"value": "support"}), 401)
    _row, raw = tokens.create_token(resident, resident, "csrf")
    answer = client.post(f"{API}/policies/{policy.id}/comments", json=body,
                         headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 201
    assert client.put(f"{API}/policies/{policy.id}/vote", json={"value": "support"},
                      headers={"Authorization": f"Bearer {raw}"}).status_code == 200
