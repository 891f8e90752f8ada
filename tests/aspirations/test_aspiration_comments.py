"""Comments on the aspiration page work as on consultations: reply, rate, edit, delete, flag (no JavaScript)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, ContentStatus
from forum.services import comments as comment_service
from forum.services import votes as vote_service
from forum.timeutil import utcnow
from tests.factories import make_comment, make_policy

pytestmark = pytest.mark.usefixtures("no_post_rate", "english")


@pytest.fixture
def english(client):
    """Pages in English, so tests can assert the msgids."""
    client.set_cookie("lang", "en")


@pytest.fixture
def aspiration(aspiration_in):
    return aspiration_in("verified")


def post(user, target, body="Saya juga mengalami hal yang sama.", **fields):
    return comment_service.post_comment(user, target, body=body, stance=None, **fields)


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_reply_link_leads_to_a_form_under_the_comment(client, login, aspiration, resident, make_user):
    root = post(make_user(), aspiration)
    login(resident)
    text = page_text(client, f"/aspirasi/{aspiration.id}")
    reply_link = f"/aspirasi/{aspiration.id}?balas={root.id}#form"
    assert reply_link in text
    text = page_text(client, reply_link)
    form_at = text.index('id="form"')
    assert text.index(f'id="comment-{root.id}"') < form_at
    assert f'name="parent_id" value="{root.id}"' in text[form_at:] and "Send reply" in text[form_at:]
    assert "You are writing a reply above." in text and text.count('id="form"') == 1
    response = client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": "Balasan saya", "parent_id": root.id})
    assert response.status_code == 302
    reply = db.session.scalars(select(Comment).where(Comment.parent_id == root.id)).one()
    assert response.headers["Location"].endswith(f"/aspirasi/{aspiration.id}#comment-{reply.id}")
    assert reply.depth == 1 and reply.target_id == aspiration.id and reply.stance is None


def test_a_reply_with_errors_keeps_its_form_under_the_comment(client, login, aspiration, resident, make_user, agency):
    root = post(make_user(), aspiration)
    login(resident)
    response = client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": " ", "parent_id": root.id})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert text.index(f'id="comment-{root.id}"') < text.index('id="form"')
    foreign = make_comment(make_policy(agency), make_user())
    response = client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": "Balasan", "parent_id": foreign.id})
    assert response.status_code == 422
    assert "This comment is not part of this aspiration." in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment.id).where(Comment.parent_id.is_not(None))) is None


def test_helpful_votes_with_their_count(client, login, aspiration, resident, make_user):
    comment = post(make_user(), aspiration)
    own = post(resident, aspiration, body="Komentar saya sendiri.")
    login(resident)
    response = client.post(f"/aspirasi/komentar/{comment.id}/nilai", data={"value": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/aspirasi/{aspiration.id}#comment-{comment.id}")
    text = page_text(client, f"/aspirasi/{aspiration.id}")
    assert "Helpful: 1, not helpful: 0" in text
    assert 'value="clear" class="link-button" aria-pressed="true">Helpful' in text
    assert f"/aspirasi/komentar/{own.id}/nilai" not in text  # nobody rates their own comment
    assert client.post(f"/aspirasi/komentar/{own.id}/nilai", data={"value": "up"}).status_code == 403
    assert client.post(f"/aspirasi/komentar/{comment.id}/nilai", data={"value": "clear"}).status_code == 302
    assert (db.session.get(Comment, comment.id).up_count, db.session.get(Comment, own.id).up_count) == (0, 0)
    visitor_text = page_text(client.application.test_client(), f"/aspirasi/{aspiration.id}")
    assert "Bermanfaat: 0, tidak bermanfaat: 0" in visitor_text


def test_edit_own_comment_within_the_window_and_not_after(client, login, aspiration, resident):
    comment = post(resident, aspiration, body="Sebelum diubah")
    login(resident)
    assert f"/aspirasi/komentar/{comment.id}/ubah" in page_text(client, f"/aspirasi/{aspiration.id}")
    form = page_text(client, f"/aspirasi/komentar/{comment.id}/ubah")
    assert "Sebelum diubah" in form and f'href="/aspirasi/{aspiration.id}#comment-{comment.id}"' in form
    assert "Back to the aspiration" in form
    assert client.post(f"/aspirasi/komentar/{comment.id}/ubah", data={"body": ""}).status_code == 422
    response = client.post(f"/aspirasi/komentar/{comment.id}/ubah", data={"body": "Sesudah diubah"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/aspirasi/{aspiration.id}#comment-{comment.id}")
    comment = db.session.get(Comment, comment.id)
    assert comment.body_source == "Sesudah diubah" and [r.body_source for r in comment.revisions] == ["Sebelum diubah"]
    assert "edited" in page_text(client, f"/aspirasi/{aspiration.id}")

    comment.created_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    response = client.post(f"/aspirasi/komentar/{comment.id}/ubah", data={"body": "Terlambat"})
    assert response.status_code == 302
    text = page_text(client, response.headers["Location"])
    assert "Comments can be edited for 15 minutes after posting, by their author." in text
    assert f"/aspirasi/komentar/{comment.id}/ubah" not in text
    assert db.session.get(Comment, comment.id).body_source == "Sesudah diubah"


def test_delete_own_comment_leaves_a_tombstone(client, login, aspiration, resident, make_user):
    root = post(resident, aspiration, body="Akan dihapus")
    post(make_user(), aspiration, body="Balasan tetap ada", parent_id=root.id)
    login(resident)
    response = client.post(f"/aspirasi/komentar/{root.id}/hapus")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/aspirasi/{aspiration.id}#comment-{root.id}")
    text = page_text(client, f"/aspirasi/{aspiration.id}")
    assert "Deleted by the author." in text and "Akan dihapus" not in text and "Balasan tetap ada" in text
    assert db.session.get(Comment, root.id).status == ContentStatus.DELETED
    db.session.refresh(aspiration)
    assert aspiration.comment_count == 1


def test_someone_elses_comment_is_refused_not_broken(client, login, aspiration, resident, make_user):
    comment = post(resident, aspiration, body="Komentar orang lain")
    other = make_user()
    login(other)
    text = page_text(client, f"/aspirasi/{aspiration.id}")
    assert f"/aspirasi/komentar/{comment.id}/ubah" not in text and f"/aspirasi/komentar/{comment.id}/hapus" not in text
    response = client.post(f"/aspirasi/komentar/{comment.id}/ubah", data={"body": "Bukan milik saya"})
    assert response.status_code == 302
    assert "Comments can be edited for 15 minutes" in page_text(client, response.headers["Location"])
    assert client.get(f"/aspirasi/komentar/{comment.id}/ubah").status_code == 302
    assert client.post(f"/aspirasi/komentar/{comment.id}/hapus").status_code == 403
    comment = db.session.get(Comment, comment.id)
    assert comment.body_source == "Komentar orang lain" and comment.status == ContentStatus.PUBLISHED


def test_flag_link_for_signed_in_people_other_than_the_author(client, login, aspiration, resident, make_user):
    comment = post(resident, aspiration)
    flag_link = f"/moderasi/laporkan/{comment.id}"
    assert flag_link not in page_text(client, f"/aspirasi/{aspiration.id}")  # a visitor
    login(resident)
    assert flag_link not in page_text(client, f"/aspirasi/{aspiration.id}")  # the author
    login(make_user())
    assert flag_link in page_text(client, f"/aspirasi/{aspiration.id}")
    flag_page = client.get(flag_link)
    assert flag_page.status_code == 200 and f"/aspirasi/{aspiration.id}#comment-{comment.id}" in flag_page.get_data(
        as_text=True)


def test_comments_on_a_confidential_aspiration_are_as_hidden_as_it(client, login, aspiration_in, official,
                                                                    resident, make_user, other_official):
    secret = aspiration_in("forwarded", visibility="confidential")
    response = comment_service.add_official_response(official, secret, "Kami periksa minggu ini.")
    db.session.commit()
    for viewer in (make_user(), other_official):
        login(viewer)
        assert client.get(f"/aspirasi/komentar/{response.id}/ubah").status_code == 404
        assert client.post(f"/aspirasi/komentar/{response.id}/ubah", data={"body": "x"}).status_code == 404
        assert client.post(f"/aspirasi/komentar/{response.id}/hapus").status_code == 404
        assert client.post(f"/aspirasi/komentar/{response.id}/nilai", data={"value": "up"}).status_code == 404
    login(resident)  # the author sees it, and may rate the answer
    assert client.post(f"/aspirasi/komentar/{response.id}/nilai", data={"value": "up"}).status_code == 302
    login(official)
    assert client.post(f"/aspirasi/komentar/{response.id}/ubah",
                       data={"body": "Kami periksa minggu depan."}).status_code == 302
    response = db.session.get(Comment, response.id)
    assert response.body_source == "Kami periksa minggu depan." and response.up_count == 1


def test_a_consultation_comment_is_not_reached_through_the_aspiration_routes(client, login, agency, resident):
    comment = make_comment(make_policy(agency), resident)
    login(resident)
    assert client.get(f"/aspirasi/komentar/{comment.id}/ubah").status_code == 404
    assert client.post(f"/aspirasi/komentar/{comment.id}/hapus").status_code == 404
    assert db.session.get(Comment, comment.id).status == ContentStatus.PUBLISHED


def test_the_timeline_shows_the_answer_once(client, login, aspiration_in, bearer_for, make_user):
    answer = "Sudah kami tindak lanjuti minggu ini."
    answered = aspiration_in("answered")
    text = page_text(client, f"/aspirasi/{answered.id}")
    assert text.count(answer) == 1
    timeline = text[text.index('id="timeline"'):text.index('id="comments"')]
    assert answer not in timeline and 'href="#comments"' in timeline
    assert "The answer is published below as the agency's official response." in timeline
    data = client.get(f"/api/v1/aspirations/{answered.id}", headers=bearer_for(make_user())).get_json()
    assert answer in [event["note"] for event in data["timeline"]]  # the API's timeline keeps the note


def test_visitors_kept_page_holds_nobody_s_controls_or_token(make_app, aspiration_in, resident, make_user, login):
    protected = make_app(WTF_CSRF_ENABLED=True)
    aspiration = aspiration_in("verified")
    comment = post(make_user(), aspiration)
    vote_service.vote_on_content(resident, comment, "up")
    visitor = protected.test_client()
    before = visitor.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)  # now kept
    signed_in = login(resident, on=protected.test_client())
    own = signed_in.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', own))
    assert len(tokens) == 1
    assert f"/aspirasi/komentar/{comment.id}/nilai" in own and 'aria-pressed="true">Bermanfaat' in own
    after = visitor.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    for text in (before, after):
        assert "/komentar/" not in text and "balas=" not in text and "/moderasi/laporkan/" not in text
        assert "aria-pressed" not in text and not tokens & set(re.findall(r'value="([^"]+)"', text))
    stored = " ".join(str(value) for value in protected.extensions["page_cache"]._entries.values())
    assert not any(token in stored for token in tokens)
