"""Admins' page in the desk for the screen: watched words (add, change, delete) and pre-moderation switches.

The services (moderation/services.py) refuse what must not be saved (an
invalid, pathological or too slow regular expression, a duplicate, ...)
with a field error; the form comes back with the text kept and the error
named, and nothing is saved.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.errors import ValidationFailed
from forum.extensions import db
from forum.permissions import require
from forum.web import FORM_INVALID, MAX_ID, form_checks_csrf, show_service_errors
from moderation import services
from moderation.desk import bp
from moderation.filters import WATCHED_ACTIONS
from moderation.desk.forms import PremoderationForm, WatchedWordForm
from moderation.models import ModerationSetting, WatchedWord

PAGE_SIZE = 100


def _words_page():
    action = request.args.get("aksi", "")
    search = request.args.get("q", "").strip()[:100]
    query = select(WatchedWord).order_by(WatchedWord.pattern)
    if action in WATCHED_ACTIONS:
        query = query.where(WatchedWord.action == action)
    if search:
        query = query.where(WatchedWord.pattern.contains(search.lower(), autoescape=True))
    page = request.args.get("page", "")
    number = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1
    return db.paginate(query, page=number, per_page=PAGE_SIZE, error_out=False), action, search


def _switches_form():
    values = ModerationSetting.read_all()
    form = PremoderationForm()
    if not form.is_submitted():
        form.hold_new_accounts.data = bool(values.get(ModerationSetting.HOLD_NEW_ACCOUNTS, False))
        form.hold_all.data = bool(values.get(ModerationSetting.HOLD_ALL, False))
        form.hold_policy_ids.data = ", ".join(str(i) for i in values.get(ModerationSetting.HOLD_POLICY_IDS, []))
    return form


def _render(form=None, switches=None, status=200):
    page, action, search = _words_page()
    return render_template("moderation/words.html", page=page, action=action, search=search,
                           form=form or WatchedWordForm(formdata=None), switches=switches or _switches_form(),
                           actions=WATCHED_ACTIONS), status


@bp.get("/kata")
@login_required
def words():
    require(current_user, services.PERMISSION)
    return _render()


@bp.post("/kata")
@login_required
@form_checks_csrf
def add_word():
    require(current_user, services.PERMISSION)
    form = WatchedWordForm()
    if form.validate_on_submit():
        try:
            services.add_watched_word(current_user, form.pattern.data, form.action.data,
                                      is_regex=form.is_regex.data, note=form.note.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("The word was added. Every new post is screened with it from now on."), "success")
            return redirect(url_for("moderation.words"))
    return _render(form=form, status=FORM_INVALID)


@bp.post("/kata/<int:word_id>/hapus")
@login_required
def delete_word(word_id):
    services.delete_watched_word(current_user, word_id if word_id <= MAX_ID else 0)
    flash(_("The word was removed from the list."), "success")
    return redirect(url_for("moderation.words"))


@bp.post("/pra-moderasi")
@login_required
@form_checks_csrf
def premoderation():
    require(current_user, services.PERMISSION)
    switches = _switches_form()
    if switches.validate_on_submit():
        ids = [part for part in (switches.hold_policy_ids.data or "").replace(",", " ").split() if part]
        try:
            services.set_premoderation(current_user, hold_new_accounts=switches.hold_new_accounts.data,
                                       hold_all=switches.hold_all.data, hold_policy_ids=ids)
        except ValidationFailed as error:
            show_service_errors(switches, error)
        else:
            flash(_("The pre-moderation switches were saved."), "success")
            return redirect(url_for("moderation.words"))
    return _render(switches=switches, status=FORM_INVALID)
