"""Links: counted in every form, blocked domains rejected, many links from new accounts held."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Content, Role, User
from forum.timeutil import utcnow
from moderation.filters import HOLD, PUBLISH, REJECT
from moderation.filters.links import find_links, host_of
from moderation.screen import screen

THREE_LINKS = "Lihat https://contoh.id/a, www.contoh.com dan lapor.tangerangselatankota.go.id/aduan"


@pytest.mark.parametrize("text, links", [
    ("buka https://example.com/x?y=1.", ["https://example.com/x?y=1"]),
    ("di www.contoh.org atau http://a.b.co.id", ["www.contoh.org", "http://a.b.co.id"]),
    ("situs lapor.go.id dan Kominfo.ID", ["lapor.go.id", "Kominfo.ID"]),
    ("[aduan](https://aduan.example.net/1)", ["https://aduan.example.net/1"]),
    ("tulis ke budi@example.com saja", []),
    ("harga Rp1.500.000 dan jam 10.30, dll.", []),
])
def test_links_are_found_in_every_form(text, links):
    assert find_links(text) == links


def test_host_of_a_link():
    assert host_of("https://Sub.Judi.Example:8080/x") == "sub.judi.example"
    assert host_of("www.contoh.com/path") == "www.contoh.com"


def test_blocked_domains_and_their_subdomains_are_rejected(worker, veteran, comment):
    author_id = veteran.id
    with worker(MODERATION_BLOCKED_DOMAINS=["judi.example", "*.spam.xyz"]):
        author = db.session.get(User, author_id)
        verdict = screen("Main di https://www.judi.example/daftar dan promo.spam.xyz", author, comment)
        assert verdict.rejected
        assert sorted(r.rule for r in verdict.reasons if r.action == REJECT) == ["judi.example", "spam.xyz"]
        assert screen("Berita di notjudi.example dan https://example.com", author, comment).action == PUBLISH


def test_more_than_two_links_from_a_new_account_are_held(app, make_user, comment):
    newcomer = make_user(Role.RESIDENT, created_at=utcnow() - timedelta(days=1))
    verdict = screen(THREE_LINKS, newcomer, comment)
    assert verdict.action == HOLD
    assert [r.code for r in verdict.reasons] == ["links.too_many"]
    assert screen("Lihat https://contoh.id/a dan www.contoh.com", newcomer, comment).action == PUBLISH


def test_more_than_two_links_need_three_published_posts(app, veteran, comment):
    assert screen(THREE_LINKS, veteran, comment).action == HOLD
    db.session.add_all(
        Content(author=veteran, body_source=f"komentar {n}", status="published",
                created_at=utcnow() - timedelta(days=n + 1))
        for n in range(3)
    )
    db.session.commit()
    assert screen(THREE_LINKS, veteran, comment).action == PUBLISH


def test_officials_may_post_many_links(app, official, comment):
    assert screen(THREE_LINKS, official, comment).action == PUBLISH
