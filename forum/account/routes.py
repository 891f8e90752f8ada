"""The signed-in person's own account pages under /profil.

Views stay thin: a form, one call into forum.services.profile (or tokens),
then flash and redirect, or a re-render with the service's field errors.
"""
from flask import current_app, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_remembered, login_required, login_user, logout_user

from forum.account import bp
from forum.account.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
    TokenForm,
)
from forum.errors import ValidationFailed
from forum.exports.response import send_export
from forum.extensions import limiter
from forum.models import Role
from forum.services import profile as profile_service
from forum.services import tokens as token_service
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors



def _account_key():
    """Rate-limit re-authentication per account, whichever address it comes from."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return get_remote_address()


def _reauth_limit():
    return current_app.config["RATELIMIT_LOGIN"]


reauth_limited = limiter.limit(_reauth_limit, key_func=_account_key, methods=["POST"])


def _render_form(template, form):
    """The form page: 422 when it comes back with errors, so clients can tell."""
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template(template, form=form), status


def _stay_signed_in(user):
    """After the session token rotated, sign this browser in again.

    Rotation ends every other session and remember-me cookie; this one keeps
    going, and keeps its remember-me cookie (renewed) if it had one.
    """
    login_user(user, remember=login_remembered())


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


# -- profile -----------------------------------------------------------------
@bp.get("/")
@login_required
def profile():
    user = current_user._get_current_object()
    return render_template("account/profile.html", user=user, api_tokens=token_service.active_tokens(user))


@bp.route("/ubah", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(
        languages=current_app.config["LANGUAGES"],
        allow_no_district=user.role != Role.RESIDENT,
    )
    if not form.is_submitted():
        form.display_name.data = user.display_name
        form.district.data = user.district.code if user.district else ""
        form.locale.data = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit():
        try:
            profile_service.update_profile(user, user, form.display_name.data, form.district.data, form.locale.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("account.profile"))
    return _render_form("account/edit_profile.html", form)


# -- password ----------------------------------------------------------------
@bp.route("/sandi", methods=["GET", "POST"])
@login_required
@form_checks_csrf
@reauth_limited
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            profile_service.change_password(user, user, form.current_password.data, form.new_password.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            _stay_signed_in(user)
            flash(_("Your password has been changed. You were signed out everywhere else."), "success")
            return redirect(url_for("account.profile"))
    return _render_form("account/change_password.html", form)


# -- e-mail address ----------------------------------------------------------
@bp.route("/email", methods=["GET", "POST"])
@login_required
@form_checks_csrf
@reauth_limited
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            new_email = profile_service.request_email_change(user, user, form.email.data, form.password.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(
                _("We sent a confirmation link to %(email)s. Your address changes once you open it.", email=new_email),
                "success",
            )
            return redirect(url_for("account.profile"))
    return _render_form("account/change_email.html", form)


@bp.get("/email/konfirmasi/<token>")
def confirm_email_change(token):
    """Apply an e-mail change from its link; the signed link is the proof."""
    viewer_id = current_user.id if current_user.is_authenticated else None
    user = profile_service.confirm_email_change(token)
    flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    if viewer_id == user.id:
        _stay_signed_in(user)
        return redirect(url_for("account.profile"))
    return redirect(url_for("main.home") if viewer_id else url_for("auth.login"))


# -- API tokens --------------------------------------------------------------
@bp.route("/token", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def tokens():
    form = TokenForm()
    user = current_user._get_current_object()
    new_token = None
    if form.validate_on_submit():
        try:
            _row, new_token = token_service.create_token(user, user, form.name.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            form = TokenForm(formdata=None)  # an empty form for the next token
    status = FORM_INVALID if form.is_submitted() and new_token is None else 200
    # The raw token is in this very page (never in a flash or a redirect), so
    # no cache may keep it.
    page = render_template(
        "account/tokens.html", form=form, new_token=new_token, api_tokens=token_service.active_tokens(user)
    )
    return _no_store(make_response(page, status))


@bp.post("/token/<int:token_id>/cabut")
@login_required
def revoke_token(token_id):
    user = current_user._get_current_object()
    row = token_service.revoke_token(user, user, token_id)
    flash(_('The token "%(name)s" was revoked and no longer works.', name=row.name), "success")
    return redirect(url_for("account.tokens"))


# -- data export -------------------------------------------------------------
@bp.post("/unduh-data")
@login_required
def download_data():
    user = current_user._get_current_object()
    return _no_store(send_export(profile_service.data_file(user, user)))


# -- deletion ----------------------------------------------------------------
@bp.route("/hapus", methods=["GET", "POST"])
@login_required
@form_checks_csrf
@reauth_limited
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            profile_service.delete_account(user, user, form.password.data, form.confirm.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            # Nothing of the old session survives; logout_user() then also
            # marks the remember-me cookie for deletion.
            session.clear()
            logout_user()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("main.home"))
    return _render_form("account/delete_account.html", form)


@bp.app_template_global()
def author_name(user):
    """The author's name as shown on content; "Deleted account" when gone."""
    return profile_service.display_author(user)

