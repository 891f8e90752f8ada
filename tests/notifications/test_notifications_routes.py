"""The /notifikasi pages: list, mark read, follow buttons, e-mail opt-in, header count."""
from sqlalchemy import event

from forum.extensions import db
from forum.models import Follow, Notification, PolicyPhase, Role
from forum.services import notifications as service
from tests.factories import make_comment, make_policy


def _reply_to(resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    root = make_comment(policy, resident)
    db.session.commit()
    reply = make_comment(policy, make_user(Role.RESIDENT, display_name="Budi Santoso"), parent=root)
    service.comment_posted(reply)
    db.session.commit()
    return policy, reply


def test_list_shows_each_event_with_a_link_and_the_header_counts_unread(client, login, resident, make_user,
                                                                       official):
    policy, reply = _reply_to(resident, make_user, official)
    login(resident)
    client.set_cookie("lang", "en")
    page = client.get("/notifikasi/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Budi Santoso replied to your comment on" in html
    assert policy.title in html
    assert f'href="/konsultasi/{policy.id}#comment-{reply.id}"' in html
    assert "Notifications (1)" in html


def test_header_has_no_count_for_visitors_and_plain_link_when_all_read(client, login, resident):
    assert "/notifikasi/" not in client.get("/").get_data(as_text=True)
    login(resident)
    client.set_cookie("lang", "en")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/notifikasi/"' in html and "Notifications (" not in html


def test_mark_all_and_mark_one(client, login, resident, make_user, official):
    policy, _reply = _reply_to(resident, make_user, official)
    service.follow(resident, policy)
    service.policy_closed(policy)
    db.session.commit()
    login(resident)
    first = Notification.query.filter_by(user_id=resident.id).order_by("id").first()
    response = client.post("/notifikasi/tandai-dibaca", data={"id": str(first.id)})
    assert response.status_code == 302
    assert service.unread_count(resident) == 1
    client.post("/notifikasi/tandai-dibaca", data={"id": "1\x00"})  # refused quietly, nothing changes
    assert service.unread_count(resident) == 1
    client.post("/notifikasi/tandai-dibaca")
    assert service.unread_count(resident) == 0


def test_a_notification_on_content_no_longer_visible_has_no_link(client, login, resident, make_user, official):
    _policy, reply = _reply_to(resident, make_user, official)
    reply.status = "hidden"
    db.session.commit()
    login(resident)
    client.set_cookie("lang", "en")
    html = client.get("/notifikasi/").get_data(as_text=True)
    assert f"#comment-{reply.id}" not in html and "no longer available" in html


def test_follow_and_unfollow_visible_content_only(client, login, resident, official):
    policy = make_policy(official.agency, author=official)
    draft = make_policy(official.agency, author=official, phase=PolicyPhase.DRAFT)
    login(resident)
    response = client.post(f"/notifikasi/ikuti/{policy.id}", data={"next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/konsultasi/{policy.id}")
    assert service.is_following(resident, policy)
    assert client.post(f"/notifikasi/berhenti/{policy.id}").status_code == 302
    assert not service.is_following(resident, policy)
    assert client.post(f"/notifikasi/ikuti/{draft.id}").status_code == 404
    assert client.post("/notifikasi/ikuti/999999999999").status_code == 404
    assert Follow.query.count() == 0


def test_follow_needs_login_and_post(client, official):
    policy = make_policy(official.agency, author=official)
    response = client.post(f"/notifikasi/ikuti/{policy.id}")
    assert response.status_code == 302 and "/akun/masuk" in response.headers["Location"]
    assert client.get(f"/notifikasi/ikuti/{policy.id}").status_code == 405
    assert Follow.query.count() == 0


def test_email_opt_in_toggle(client, login, resident, reload):
    login(resident)
    client.post("/notifikasi/email", data={"notify_by_email": "1"})
    assert reload(resident).notify_by_email is True
    html = client.get("/notifikasi/").get_data(as_text=True)
    assert 'name="notify_by_email" value="1" checked' in html
    client.post("/notifikasi/email", data={})
    assert reload(resident).notify_by_email is False


def test_posts_need_a_csrf_token_when_enabled(app, make_app, resident, official):
    policy = make_policy(official.agency, author=official)
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = resident.get_id()
    assert client.post(f"/notifikasi/ikuti/{policy.id}").status_code == 400
    assert client.post("/notifikasi/email", data={"notify_by_email": "1"}).status_code == 400
    assert Follow.query.count() == 0


def test_page_argument_garbage_is_harmless(client, login, resident):
    login(resident)
    for page in ("abc", "-5", "99999999999999999999999"):
        assert client.get(f"/notifikasi/?page={page}").status_code == 200


def test_list_queries_do_not_grow_with_notifications(client, login, resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    service.follow(resident, policy)

    def queries():
        statements = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/notifikasi/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    login(resident)

    def add(number):
        for _index in range(number):
            other = make_policy(official.agency, author=official)
            mine = make_comment(other, resident)
            service.comment_posted(make_comment(other, make_user(Role.RESIDENT), parent=mine))
            service.policy_new_version(policy)
        db.session.commit()

    add(2)
    few = queries()
    add(8)
    assert queries() == few <= 8
