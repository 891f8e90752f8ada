"""The moderation pages through the test client: flag form, desk, decisions, appeals, warnings, audit, transparency."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ContentStatus, Role
from moderation import decisions, flags, sanctions
from moderation.models import AuditEntry, Flag, ReviewItem
from tests.factories import make_comment, make_policy


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def posted(policy, resident):
    return make_comment(policy, resident, body="Lampu jalan di RT 03 mati sejak seminggu.")


def _open_item():
    return db.session.scalars(select(ReviewItem).where(ReviewItem.decided_at.is_(None))).one()


def test_flag_form_without_javascript(client, login, make_user, posted):
    flagger = make_user(Role.RESIDENT)
    login(flagger)
    page = client.get(f"/moderasi/laporkan/{posted.id}")
    assert page.status_code == 200 and b'name="reason"' in page.data
    missing_note = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "other", "note": ""})
    assert missing_note.status_code == 422
    unknown = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "boring", "note": "teks saya"})
    assert unknown.status_code == 422 and "teks saya" in unknown.get_data(as_text=True)
    sent = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "spam"})
    assert sent.status_code == 302
    again = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "spam"}, follow_redirects=True)
    assert again.status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 1


def test_own_post_flag_is_refused_with_a_message(client, login, resident, posted):
    login(resident)
    response = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "spam"}, follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 0


def test_desk_decision_and_the_second_moderator(client, login, make_user, moderator, posted, policy):
    flags.flag_content(make_user(Role.RESIDENT), posted, "abusive")
    item = _open_item()
    login(moderator)
    desk = client.get("/moderasi/?tab=flagged")
    assert desk.status_code == 200 and f"/moderasi/konten/{posted.id}".encode() in desk.data
    detail = client.get(f"/moderasi/konten/{posted.id}")
    assert detail.status_code == 200 and b"Lampu jalan" in detail.data
    form = {"action": "remove", "reason": "Kata-kata kasar", "version": str(item.version)}
    assert client.post(f"/moderasi/item/{item.id}/keputusan", data=form).status_code == 302
    again = client.post(f"/moderasi/item/{item.id}/keputusan", data={**form, "action": "restore"},
                        follow_redirects=True)
    assert moderator.display_name in again.get_data(as_text=True)
    db.session.expire_all()
    assert posted.status == ContentStatus.REMOVED
    public = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert "Kata-kata kasar" in public and "Lampu jalan" not in public


def test_bulk_approve(client, login, moderator, policy, resident):
    held = [make_comment(policy, resident, body=f"Ditahan {n}", status=ContentStatus.PENDING) for n in range(3)]
    from moderation.models import Queue
    from moderation.queue import ensure_open_item
    for comment in held:
        ensure_open_item(comment, Queue.PENDING)
    db.session.commit()
    ids = [str(item.id) for item in db.session.scalars(select(ReviewItem))]
    login(moderator)
    response = client.post("/moderasi/massal", data={"action": "approve", "item": ids, "tab": "pending"})
    assert response.status_code == 302
    db.session.expire_all()
    assert all(comment.status == ContentStatus.PUBLISHED for comment in held)
    assert policy.comment_count == 3


def test_non_moderators_cannot_decide(client, login, resident, make_user, posted):
    flags.flag_content(make_user(Role.RESIDENT), posted, "spam")
    item = _open_item()
    login(make_user(Role.RESIDENT))
    response = client.post(f"/moderasi/item/{item.id}/keputusan", data={"action": "approve"})
    assert response.status_code == 403
    assert client.post("/moderasi/massal", data={"action": "approve", "item": [str(item.id)]}).status_code == 403


def test_appeal_page_for_the_author_only(client, login, resident, make_user, moderator, posted):
    flags.flag_content(moderator, posted, "spam")
    decisions.decide(moderator, _open_item().id, "remove", reason="Iklan")
    login(make_user(Role.RESIDENT))
    assert client.get(f"/moderasi/banding/{posted.id}").status_code == 404
    login(resident)
    assert client.get(f"/moderasi/banding/{posted.id}").status_code == 200
    empty = client.post(f"/moderasi/banding/{posted.id}", data={"note": ""})
    assert empty.status_code == 422
    sent = client.post(f"/moderasi/banding/{posted.id}", data={"note": "Ini bukan iklan."})
    assert sent.status_code == 302
    mine = client.get("/moderasi/saya").get_data(as_text=True)
    assert "Iklan" in mine
    login(moderator)
    assert b"Ini bukan iklan." in client.get("/moderasi/?tab=appeals").data or \
        b"Ini bukan iklan." in client.get(f"/moderasi/konten/{posted.id}").data


def test_warning_must_be_acknowledged(client, login, resident, moderator):
    warning = sanctions.impose(moderator, resident, "warn", "Mohon jaga bahasa Anda.")
    login(resident)
    home = client.get("/")
    assert home.status_code == 302 and "/moderasi/peringatan" in home.headers["Location"]
    assert "Mohon jaga bahasa Anda." in client.get("/moderasi/peringatan").get_data(as_text=True)
    assert client.post(f"/moderasi/peringatan/{warning.id}").status_code == 302
    assert client.get("/").status_code == 200


def test_sanction_form_refuses_bad_input_and_keeps_text(client, login, moderator, resident):
    login(moderator)
    assert client.get(f"/moderasi/pengguna/{resident.id}/sanksi").status_code == 200
    bad = client.post(f"/moderasi/pengguna/{resident.id}/sanksi", data={"kind": "silence", "days": "5",
                                                                       "reason": "Kasar berulang"})
    assert bad.status_code == 422 and "Kasar berulang" in bad.get_data(as_text=True)
    good = client.post(f"/moderasi/pengguna/{resident.id}/sanksi", data={"kind": "silence", "days": "7",
                                                                        "reason": "Kasar berulang"})
    assert good.status_code == 302
    db.session.expire_all()
    assert resident.state == "silenced"


def test_audit_log_filters_and_formula_safe_csv(client, login, admin, moderator, make_user, posted):
    flags.flag_content(moderator, posted, "spam")
    decisions.decide(moderator, _open_item().id, "remove", reason="=HYPERLINK(\"http://x\")")
    login(moderator)
    page = client.get(f"/moderasi/audit?action=decision&moderator={moderator.id}")
    assert page.status_code == 200 and b"decision.remove" in page.data
    assert client.get("/moderasi/audit.csv").status_code == 403
    assert client.get("/moderasi/audit?from=not-a-date&content=abc").status_code == 200
    login(make_user(Role.RESIDENT))
    assert client.get("/moderasi/audit.csv").status_code == 403
    assert client.get("/moderasi/audit").status_code == 403
    login(admin)
    exported = client.get("/moderasi/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in exported and "\n=HYPERLINK" not in exported


def test_transparency_page_counts_without_names(client, moderator, posted, resident):
    flags.flag_content(moderator, posted, "hoax")
    decisions.decide(moderator, _open_item().id, "remove", reason="Hoaks")
    page = client.get("/moderasi/transparansi")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in text
    assert resident.display_name not in text and moderator.display_name not in text
    assert db.session.scalar(select(AuditEntry.reason_code).where(AuditEntry.action == "decision.remove")) == "hoax"


def test_watched_words_page_refuses_bad_regular_expressions(client, login, admin, moderator):
    from moderation.models import ModerationSetting, WatchedWord

    login(moderator)
    assert client.get("/moderasi/kata").status_code == 403
    assert client.post("/moderasi/kata", data={"pattern": "bodoh", "action": "reject"}).status_code == 403
    login(admin)
    assert client.get("/moderasi/kata").status_code == 200
    for pattern in ("([a-z]+", "(a+)+$"):
        refused = client.post("/moderasi/kata", data={"pattern": pattern, "action": "hold", "is_regex": "y"})
        assert refused.status_code == 422 and pattern in refused.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(WatchedWord)) == 0
    added = client.post("/moderasi/kata", data={"pattern": "Bodoh", "action": "mask"})
    assert added.status_code == 302
    word = db.session.scalars(select(WatchedWord)).one()
    assert word.pattern == "bodoh" and word.action == "mask"
    assert client.post(f"/moderasi/kata/{word.id}/hapus").status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(WatchedWord)) == 0
    bad_ids = client.post("/moderasi/pra-moderasi", data={"hold_all": "y", "hold_policy_ids": "7, abc"})
    assert bad_ids.status_code == 422
    assert client.post("/moderasi/pra-moderasi", data={"hold_all": "y", "hold_policy_ids": "7, 9"}).status_code == 302
    settings = ModerationSetting.read_all()
    assert settings["hold_all"] is True and settings["hold_policy_ids"] == [7, 9]


def test_notifications_tell_the_author_why_and_lead_moderators_to_the_item(client, login, resident, moderator,
                                                                            posted):
    flags.flag_content(moderator, posted, "abusive")
    decisions.decide(moderator, _open_item().id, "remove", reason="Bahasa kasar")
    login(resident)
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert "Bahasa kasar" in page and "/moderasi/saya" in page
    login(moderator)
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert f"/moderasi/konten/{posted.id}" in page


def test_flag_on_a_removed_post_says_so(client, login, make_user, moderator, posted, policy):
    flags.flag_content(moderator, posted, "spam")
    decisions.decide(moderator, _open_item().id, "remove", reason="Iklan")
    login(make_user(Role.RESIDENT))
    response = client.post(f"/moderasi/laporkan/{posted.id}", data={"reason": "spam"})
    assert response.status_code == 302 and f"/konsultasi/{policy.id}" in response.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 1
