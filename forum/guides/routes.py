"""The guides' pages, the context help links, and closing the "how to take part" box.

`/panduan` lists the published guides, `/panduan/<slug>` shows one with its
sections, illustration and a print stylesheet (static/css/guide-print.css)
that turns it into a one-page A4 leaflet. Forms link to a guide's section
with the `guide_help` macro (templates/macros/guides.html), which calls
`guide_help_url`. The box is shown by `shows_participation_intro()` to a
resident's account that has written nothing and has not closed it; closing
is a POST form (CSRF) that records the time on the account, so it works
without JavaScript and stays closed on every device.
"""
from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from forum.guides import bp
from forum.services import guides as guide_service
from forum.web import safe_next_url, signed_in_user


@bp.get("/panduan")
def index():
    return render_template("guides/index.html", guides=guide_service.published_guides(),
                           locale=str(get_locale()))


@bp.get("/panduan/<slug>")
def show(slug):
    guide = guide_service.guide_by_slug(slug, signed_in_user())
    locale = str(get_locale())
    title, summary, body_html = guide.text(locale)
    return render_template("guides/show.html", guide=guide, title=title, summary=summary, body_html=body_html,
                           illustration_alt=guide_service.ILLUSTRATIONS.get(guide.illustration))


@bp.post("/panduan/tutup-bantuan")
@login_required
def dismiss_intro():
    guide_service.dismiss_participation_intro(current_user)
    return redirect(safe_next_url(request.form.get("next"), url_for("main.home")))


@bp.app_template_global()
def guide_help_url(slug, section=None):
    """The link to a guide, or to one of its sections (`section` is the anchor without `bagian-`)."""
    return url_for("guides.show", slug=slug, _anchor=f"bagian-{section}" if section else None)


@bp.app_template_global()
def shows_participation_intro():
    return guide_service.shows_participation_intro(signed_in_user())
