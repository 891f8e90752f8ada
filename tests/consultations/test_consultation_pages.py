"""The consultation pages through the client: list, policy page, comment and vote forms, versions, diff."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from forum.extensions import db
from forum.models import (
    Agency,
    Category,
    Comment,
    ContentStatus,
    PolicyPhase,
    PolicyVersion,
    Vote,
)
from forum.text import render_markdown
from forum.timeutil import utcnow
from tests.factories import (
    counted_rows,
    counters,
    make_comment,
    make_policy,
    no_post_rate,  # noqa: F401  (a fixture used by pytestmark)
)

pytestmark = pytest.mark.usefixtures("no_post_rate", "english")


@pytest.fixture
def english(client):
    """Pages in English, so tests can assert the msgids."""
    client.set_cookie("lang", "en")


@pytest.fixture
def policy(agency):
    return make_policy(agency, title="Rancangan Perwali Layanan Publik Digital")


def page_text(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def comment_count():
    return db.session.scalar(db.select(db.func.count()).select_from(Comment))


# -- list --------------------------------------------------------------------------------
def test_list_filters_and_hides_drafts(client, agency):
    now = utcnow()
    open_one = make_policy(agency, title="Parkir Tepi Jalan")
    closed = make_policy(agency, title="Pengelolaan Sampah", phase=PolicyPhase.CLOSED)
    make_policy(agency, title="Rahasia Dinas", phase=PolicyPhase.DRAFT)
    other_agency = Agency.query.filter(Agency.id != agency.id).first()
    other_category = Category.query.order_by(Category.id.desc()).first()
    make_policy(other_agency, title="Taman Kota", category=other_category,
                opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=20))
    status, text = page_text(client, "/konsultasi/")
    assert status == 200
    assert "Parkir Tepi Jalan" in text and "Pengelolaan Sampah" in text and "Taman Kota" in text
    assert "Rahasia Dinas" not in text
    assert "12 days left" in text or "13 days left" in text
    _, text = page_text(client, "/konsultasi/?status=closed")
    assert "Pengelolaan Sampah" in text and "Parkir Tepi Jalan" not in text
    _, text = page_text(client, "/konsultasi/?status=upcoming")
    assert "Taman Kota" in text and "Parkir Tepi Jalan" not in text
    _, text = page_text(client, f"/konsultasi/?agency={other_agency.code}")
    assert "Taman Kota" in text and "Pengelolaan Sampah" not in text
    _, text = page_text(client, f"/konsultasi/?category={other_category.code}&sort=discussed&page=x")
    assert "Taman Kota" in text and "Parkir Tepi Jalan" not in text
    assert open_one.id and closed.id


def test_list_sorts_most_discussed_first(client, agency, resident):
    quiet = make_policy(agency, title="Sepi")
    busy = make_policy(agency, title="Ramai")
    make_comment(busy, resident)
    _, text = page_text(client, "/konsultasi/?sort=discussed")
    assert text.index("Ramai") < text.index("Sepi")
    assert quiet.id


# -- policy page -----------------------------------------------------------------------
def test_policy_page_shows_clauses_counts_and_stance_bars(client, policy, resident):
    section = policy.current_version.sections[0]
    make_comment(policy, resident, stance="oppose", section=section, body="Pasal ini memberatkan.")
    status, text = page_text(client, f"/konsultasi/{policy.id}")
    assert status == 200
    assert policy.title in text and "Pasal 1" in text and "Pasal ini memberatkan." in text
    assert "1 comment" in text and 'class="stance-bar"' in text
    assert "Log in to vote and comment." in text
    assert 'style="' not in text


@pytest.mark.parametrize("url", ["/konsultasi/999999", "/konsultasi/99999999999", "/konsultasi/abc"])
def test_unknown_policy_is_404(client, url):
    assert client.get(url).status_code == 404


def test_draft_is_404_outside_its_agency(client, login, agency, resident, official):
    draft = make_policy(agency, phase=PolicyPhase.DRAFT)
    assert client.get(f"/konsultasi/{draft.id}").status_code == 404
    login(resident)
    assert client.get(f"/konsultasi/{draft.id}").status_code == 404
    assert client.post(f"/konsultasi/{draft.id}/komentar", data={"body": "x", "stance": "support"}).status_code == 404
    login(official)
    assert client.get(f"/konsultasi/{draft.id}").status_code == 200
    assert client.post(f"/konsultasi/{draft.id}/komentar", data={"body": "Tanggapan"}).status_code == 409
    assert comment_count() == 0


# -- commenting -------------------------------------------------------------------------
def test_resident_comments_on_a_clause(client, login, policy, resident):
    login(resident)
    section = policy.current_version.sections[2]
    response = client.post(f"/konsultasi/{policy.id}/komentar",
                           data={"body": "Setuju dengan pasal 3.", "stance": "support", "section_id": section.id})
    assert response.status_code == 302
    comment = db.session.scalars(db.select(Comment)).one()
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    assert (comment.section_id, comment.stance, comment.author_id) == (section.id, "support", resident.id)
    assert counters(policy) == counted_rows(policy)


@pytest.mark.parametrize("data, field_name", [
    ({"body": "", "stance": "support"}, "body"),
    ({"body": "x" * 20000, "stance": "support"}, "body"),
    ({"body": "Komentar saya", "stance": "sangat setuju"}, "stance"),
    ({"body": "Komentar saya"}, "stance"),
])
def test_bad_comment_re_renders_with_the_text_kept(client, login, policy, resident, data, field_name):
    login(resident)
    response = client.post(f"/konsultasi/{policy.id}/komentar", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Please correct the marked fields." in text
    if data["body"]:
        assert data["body"][:100] in text
    assert comment_count() == 0


def test_clause_of_another_policy_or_reply_to_another_policy_is_422(client, login, agency, policy, resident):
    other = make_policy(agency)
    foreign = make_comment(other, resident)
    login(resident)
    response = client.post(f"/konsultasi/{policy.id}/komentar", data={
        "body": "Komentar", "stance": "support", "section_id": other.current_version.sections[0].id})
    assert response.status_code == 422
    response = client.post(f"/konsultasi/{policy.id}/komentar", data={
        "body": "Balasan", "parent_id": foreign.id})
    assert response.status_code == 422
    assert "This comment is not part of this consultation." in response.get_data(as_text=True)
    assert comment_count() == 1


def test_closed_consultation_is_read_only(client, login, agency, resident, make_user):
    closed = make_policy(agency, phase=PolicyPhase.CLOSED)
    make_comment(closed, make_user(), body="Komentar lama")
    login(resident)
    status, text = page_text(client, f"/konsultasi/{closed.id}")
    assert status == 200 and "This consultation is closed." in text
    assert 'name="body"' not in text and "/suara" not in text and "/nilai" not in text
    response = client.post(f"/konsultasi/{closed.id}/komentar", data={"body": "Terlambat", "stance": "oppose"})
    assert response.status_code == 409
    assert client.post(f"/konsultasi/{closed.id}/suara", data={"value": "support"}).status_code == 409
    assert comment_count() == 1


def test_reply_link_renders_the_form_under_the_comment(client, login, policy, resident, make_user):
    root = make_comment(policy, make_user(), body="Komentar akar")
    login(resident)
    status, text = page_text(client, f"/konsultasi/{policy.id}?balas={root.id}")
    assert status == 200
    thread_start = text.index(f'id="comment-{root.id}"')
    form_at = text.index('id="form"')
    assert form_at > thread_start
    assert f'name="parent_id" value="{root.id}"' in text[form_at:]
    response = client.post(f"/konsultasi/{policy.id}/komentar", data={"body": "Balasan saya", "parent_id": root.id})
    assert response.status_code == 302
    reply = db.session.scalars(db.select(Comment).where(Comment.parent_id == root.id)).one()
    assert reply.depth == 1 and reply.stance is None


def test_fourth_level_reply_through_the_form_stays_at_the_third(client, login, policy, resident, make_user):
    other = make_user()
    root = make_comment(policy, other)
    first = make_comment(policy, other, parent=root)
    second = make_comment(policy, other, parent=first)
    login(resident)
    assert client.post(f"/konsultasi/{policy.id}/komentar",
                       data={"body": "Level empat", "parent_id": second.id}).status_code == 302
    reply = db.session.scalars(db.select(Comment).where(Comment.body_source == "Level empat")).one()
    assert (reply.depth, reply.parent_id, reply.root_id) == (2, first.id, root.id)


def test_pending_comment_shows_only_to_its_author(client, login, policy, resident, make_user):
    make_comment(policy, resident, status=ContentStatus.PENDING, body="Menunggu tinjauan")
    login(resident)
    _, text = page_text(client, f"/konsultasi/{policy.id}")
    assert "Menunggu tinjauan" in text and "Awaiting review" in text
    login(make_user())
    _, text = page_text(client, f"/konsultasi/{policy.id}")
    assert "Menunggu tinjauan" not in text


def test_edit_own_comment_within_fifteen_minutes(client, login, policy, resident, make_user):
    comment = make_comment(policy, resident, body="Sebelum")
    login(resident)
    response = client.get(f"/konsultasi/komentar/{comment.id}/ubah")
    assert response.status_code == 200 and "Sebelum" in response.get_data(as_text=True)
    response = client.post(f"/konsultasi/komentar/{comment.id}/ubah", data={"body": ""})
    assert response.status_code == 422
    assert client.post(f"/konsultasi/komentar/{comment.id}/ubah", data={"body": "Sesudah"}).status_code == 302
    comment = db.session.get(Comment, comment.id)
    assert comment.body_source == "Sesudah" and [r.body_source for r in comment.revisions] == ["Sebelum"]
    old = make_comment(policy, resident, body="Lama", created_at=utcnow() - timedelta(minutes=20))
    assert client.post(f"/konsultasi/komentar/{old.id}/ubah", data={"body": "Baru"}).status_code == 302
    assert db.session.get(Comment, old.id).body_source == "Lama"
    login(make_user())
    client.post(f"/konsultasi/komentar/{comment.id}/ubah", data={"body": "Bukan saya"})
    assert db.session.get(Comment, comment.id).body_source == "Sesudah"


def test_deleted_comment_leaves_a_tombstone(client, login, policy, resident, make_user):
    root = make_comment(policy, resident, body="Akan dihapus")
    make_comment(policy, make_user(), parent=root, body="Balasan tetap")
    login(resident)
    assert client.post(f"/konsultasi/komentar/{root.id}/hapus").status_code == 302
    _, text = page_text(client, f"/konsultasi/{policy.id}")
    assert "Deleted by the author." in text and "Akan dihapus" not in text and "Balasan tetap" in text
    assert counters(policy) == counted_rows(policy) and counters(policy)["comment_count"] == 1
    login(make_user())
    assert client.post(f"/konsultasi/komentar/{root.id}/hapus").status_code == 403


def test_official_response_is_pinned_with_badge_even_when_closed(client, login, agency, official, resident, make_user):
    closed = make_policy(agency, phase=PolicyPhase.CLOSED)
    root = make_comment(closed, resident, body="Pertanyaan warga")
    make_comment(closed, make_user(), parent=root, body="Balasan warga", stance=None)
    login(official)
    response = client.post(f"/konsultasi/{closed.id}/komentar", data={"body": "Jawaban dinas", "parent_id": root.id})
    assert response.status_code == 302
    _, text = page_text(client, f"/konsultasi/{closed.id}")
    assert "Official response" in text and agency.name in text
    assert text.index("Jawaban dinas") < text.index("Balasan warga")


# -- votes --------------------------------------------------------------------------------
def test_policy_vote_is_changeable_not_duplicated(client, login, policy, resident, official):
    login(resident)
    assert client.post(f"/konsultasi/{policy.id}/suara", data={"value": "support"}).status_code == 302
    assert client.post(f"/konsultasi/{policy.id}/suara", data={"value": "oppose"}).status_code == 302
    assert db.session.execute(db.select(Vote.value).where(Vote.content_id == policy.id)).scalars().all() == ["oppose"]
    assert counters(policy) == counted_rows(policy)
    _, text = page_text(client, f"/konsultasi/{policy.id}")
    assert "0 support, 1 oppose" in text
    assert client.post(f"/konsultasi/{policy.id}/suara", data={"value": "maybe"}).status_code == 422
    login(official)
    assert client.post(f"/konsultasi/{policy.id}/suara", data={"value": "support"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 1


def test_comment_rating(client, login, policy, resident, make_user):
    comment = make_comment(policy, make_user())
    own = make_comment(policy, resident)
    login(resident)
    assert client.post(f"/konsultasi/komentar/{comment.id}/nilai", data={"value": "up"}).status_code == 302
    assert client.post(f"/konsultasi/komentar/{comment.id}/nilai", data={"value": "down"}).status_code == 302
    assert client.post(f"/konsultasi/komentar/{own.id}/nilai", data={"value": "up"}).status_code == 403
    comment = db.session.get(Comment, comment.id)
    assert (comment.up_count, comment.down_count) == (0, 1)


# -- versions -----------------------------------------------------------------------------
@pytest.mark.no_search_verify  # edits a published version in place, which no service does
def test_older_version_and_diff(client, agency):
    policy = make_policy(agency, versions=2)
    changed = policy.versions[1].sections[0]
    changed.body_source = "Isi pasal 1 yang sudah diubah."
    changed.body_html = render_markdown(changed.body_source)
    db.session.commit()
    status, text = page_text(client, f"/konsultasi/{policy.id}/versi/1")
    assert status == 200 and "Isi pasal 1 versi 1." in text and "earlier version" in text
    status, text = page_text(client, f"/konsultasi/{policy.id}/beda?dari=1&ke=2")
    assert status == 200 and "<ins>" in text and "<del>" in text
    assert client.get(f"/konsultasi/{policy.id}/versi/9").status_code == 404
    assert client.get(f"/konsultasi/{policy.id}/beda?dari=2&ke=2").status_code == 404


# -- the page cost does not grow with the comments ----------------------------------------
def _add_threads(policy, authors, roots, replies_each):
    version = db.session.get(PolicyVersion, policy.current_version.id)
    now = utcnow()
    for number in range(roots):
        root = Comment(author=authors[number % len(authors)], target_id=policy.id, version_id=version.id,
                       body_source=f"Akar {number}", body_html=f"<p>Akar {number}</p>", stance="support",
                       created_at=now - timedelta(minutes=number))
        db.session.add(root)
        db.session.flush()
        for index in range(replies_each):
            db.session.add(Comment(
                author=authors[(number + index + 1) % len(authors)], target_id=policy.id,
                version_id=version.id, parent_id=root.id, root_id=root.id, depth=1,
                body_source=f"Balasan {index}", body_html=f"<p>Balasan {index}</p>",
            ))
    db.session.commit()


def _queries_for(client, url):
    """The queries of rendering `url` afresh (the page cache emptied first: the worst case)."""
    client.application.extensions["page_cache"].clear()
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_page_queries_do_not_grow_with_comments(client, login, agency, make_user):
    authors = [make_user() for _ in range(4)]
    small, large = make_policy(agency), make_policy(agency)
    _add_threads(small, authors, 20, 3)
    _add_threads(large, authors, 100, 3)
    anonymous = (_queries_for(client, f"/konsultasi/{small.id}"), _queries_for(client, f"/konsultasi/{large.id}"))
    assert anonymous[0] == anonymous[1] <= 8
    login(make_user())
    signed_in = (_queries_for(client, f"/konsultasi/{small.id}"), _queries_for(client, f"/konsultasi/{large.id}"))
    # Beyond a visitor's: the organizations they may write as, for a resident who has written nothing yet
    # whether to show the "how to take part" box, and the consultation's events.
    assert signed_in[0] == signed_in[1] <= 11
    assert _queries_for(client, f"/konsultasi/{large.id}?page=3&urut=official") == signed_in[1]


def test_comment_form_checks_csrf_and_keeps_the_text(app, make_app, agency, resident):
    policy_id, user_id = make_policy(agency).id, resident.get_id()
    guarded = make_app(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        browser = guarded.test_client()
        browser.set_cookie("lang", "en")
        with browser.session_transaction() as session:
            session["_user_id"] = user_id
        response = browser.post(f"/konsultasi/{policy_id}/komentar",
                                data={"body": "Teks yang tidak boleh hilang", "stance": "support"})
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert "Teks yang tidak boleh hilang" in text and "Your form expired" in text
        assert browser.post(f"/konsultasi/{policy_id}/suara", data={"value": "support"}).status_code == 400
        assert comment_count() == 0


@pytest.mark.parametrize("body", ["\x00\x00", "Halo\x00 dunia", "\ufffd rusak"])
def test_control_characters_and_unreadable_text_never_500(client, login, policy, resident, body):
    login(resident)
    response = client.post(f"/konsultasi/{policy.id}/komentar", data={"body": body, "stance": "neutral"})
    assert response.status_code in (302, 422)
    for comment in db.session.scalars(db.select(Comment)):
        assert "\x00" not in comment.body_source and "\ufffd" not in comment.body_source


# -- the home page -------------------------------------------------------------------------
def test_home_page_lists_open_consultations_closing_soonest_first(client, agency):
    later = make_policy(agency, title="Rancangan Perwali Parkir", closes_at=utcnow() + timedelta(days=20))
    sooner = make_policy(agency, title="Rancangan Perwali Sampah", closes_at=utcnow() + timedelta(days=3))
    make_policy(agency, title="Rancangan Perwali Rahasia", phase=PolicyPhase.DRAFT)
    make_policy(agency, title="Rancangan Perwali Lama", phase=PolicyPhase.CLOSED)
    make_policy(agency, title="Rancangan Perwali Nanti", opens_at=utcnow() + timedelta(days=2))
    status, text = page_text(client, "/")
    assert status == 200
    assert text.index(sooner.title) < text.index(later.title)
    for hidden in ("Rahasia", "Lama", "Nanti"):
        assert f"Rancangan Perwali {hidden}" not in text


def test_reply_link_keeps_the_page_order_and_filter_of_the_thread(client, login, policy, resident, make_user):
    author = make_user()
    comments = [make_comment(policy, author, body=f"Komentar nomor {number}") for number in range(25)]
    oldest = comments[0]  # on page 2 when the newest come first (20 a page)
    login(resident)
    status, text = page_text(client, f"/konsultasi/{policy.id}?page=2&urut=newest&_external=1")
    assert status == 200
    link = f'/konsultasi/{policy.id}?page=2&amp;urut=newest&amp;balas={oldest.id}#form'
    assert link in text  # and `_external` from the address never reaches url_for
    status, text = page_text(client, link.replace("&amp;", "&").split("#")[0])
    form_at = text.index('id="form"')
    assert form_at > text.index(f'id="comment-{oldest.id}"')
    assert f'name="parent_id" value="{oldest.id}"' in text[form_at:]
