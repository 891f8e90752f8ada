"""The form's live "similar aspirations" list: `GET /aspirasi/serupa` answers an HTML fragment."""
import pytest

from forum import search

TITLE = "Lampu penerangan jalan mati di Jalan Siliwangi Pamulang"


@pytest.fixture
def indexed(app):
    """A real search index, so the list comes from search as in production."""
    search.rebuild()
    yield
    search.sync()


def test_lists_similar_public_aspirations_with_a_support_button(client, login, make_user, aspiration_in):
    existing = aspiration_in("verified", title=TITLE)
    unverified = aspiration_in("submitted", title="Lampu jalan mati di Jalan Siliwangi dekat pasar")
    login(make_user())
    response = client.get("/aspirasi/serupa", query_string={"title": "lampu jalan mati Siliwangi", "body": "gelap"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert f'href="/aspirasi/{existing.id}"' in fragment
    assert f"/aspirasi/{unverified.id}" not in fragment  # not yet verified: not public
    # The button belongs to the page's own support form, not to the aspiration form around the list.
    assert f'form="similar-support" formaction="/aspirasi/{existing.id}/dukung"' in fragment


def test_found_through_the_search_index(client, indexed, aspiration_in):
    existing = aspiration_in("forwarded", title=TITLE, body="Sudah dua minggu gelap total pada malam hari.")
    search.sync()
    # No word of this title is in the other's title: the title match alone would find nothing.
    fragment = client.get("/aspirasi/serupa", query_string={"title": "Gelap total setiap malam",
                                                            "body": "dua minggu gelap"}).get_data(as_text=True)
    assert f'href="/aspirasi/{existing.id}"' in fragment


def test_visitors_get_the_links_without_buttons(client, aspiration_in):
    existing = aspiration_in("verified", title=TITLE)
    fragment = client.get("/aspirasi/serupa", query_string={"title": "Lampu penerangan jalan"}).get_data(as_text=True)
    assert f'href="/aspirasi/{existing.id}"' in fragment
    assert "<button" not in fragment and "csrf_token" not in fragment


@pytest.mark.parametrize("query", [{}, {"title": "lam"}, {"title": "   lam   "}, {"body": "lampu jalan mati"},
                                   {"title": "zzzz qqqq"}])
def test_short_or_unmatched_text_gives_an_empty_fragment(client, aspiration_in, query):
    aspiration_in("verified", title=TITLE)
    response = client.get("/aspirasi/serupa", query_string=query)
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == ""


@pytest.mark.parametrize("title", ["%%%% ____", "x" * 20_000, "<script>alert(1)</script> lampu", "lampu \\ jalan ' \""])
def test_any_typed_text_is_answered_without_error(client, aspiration_in, title):
    aspiration_in("verified", title=TITLE)
    response = client.get("/aspirasi/serupa", query_string={"title": title, "body": title})
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_the_form_carries_the_live_list_outside_its_own_buttons(client, login, resident):
    login(resident)
    page = client.get("/aspirasi/baru").get_data(as_text=True)
    assert 'data-similar-url="/aspirasi/serupa"' in page
    assert 'id="similar-live"' in page and 'src="/static/js/aspiration_similar.js"' in page
    assert '<form id="similar-support" method="post"' in page
