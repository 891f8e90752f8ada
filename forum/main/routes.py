"""Home, about and the language switch (a POST form, remembered in a cookie).

The home page shows open consultations and recent aspirations. Visitors'
copies are kept (forum/page_cache.py) under what it is built from: the
consultations' and the aspirations' list revisions, which every written
policy or aspiration row replaces in its own transaction, the every-page
revision (agency and district names), and the minute, as on the
consultation list (days left and openings may show a minute late; closing
shows at once, since reading the key closes due consultations). Signed-in
users get a page rendered for them: it is cheap, and its header is theirs.
"""
from flask import current_app, redirect, render_template, request
from flask_login import current_user

from forum.extensions import csrf
from forum.i18n import LANGUAGE_COOKIE
from forum.listing_keys import list_state, listing_key
from forum.main import bp
from forum.models.activity import ASPIRATION_LISTS, CONSULTATION_LISTS
from forum.page_cache import kept
from forum.services import policies, transaction
from forum.services.aspiration_lists import recent_public
from forum.timeutil import utcnow
from forum.web import safe_next_url

_HOME_STATE = list_state(CONSULTATION_LISTS, ASPIRATION_LISTS)


@bp.get("/")
def home():
    return kept(listing_key(_HOME_STATE, utcnow()), _home_page)


def _home_page():
    return "main/home.html", dict(open_consultations=policies.open_policies(), now=utcnow(),
                                  recent_aspirations=recent_public())


@bp.get("/tentang")
def about():
    return render_template("main/about.html")


@bp.post("/bahasa")
@csrf.exempt
def set_language():
    """Switch the page language; works without JavaScript and is remembered.

    A visitor's switch only sets a cookie in their own browser, so it takes
    no CSRF token: a token would need a session, and every visitor's page a
    Set-Cookie (and no page could be served from a cache). A signed-in
    user's choice is saved on the account, so theirs must carry the token.
    """
    if current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    language = request.form.get("lang", "")
    target = safe_next_url(request.form.get("next"))
    response = redirect(target)
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated:
            with transaction():
                current_user.locale = language
    return response
