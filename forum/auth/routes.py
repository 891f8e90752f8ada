"""Auth views. Each validates its form, calls one accounts service, flashes
and redirects; a ValidationFailed re-renders the form (422) with the errors
on their fields and the user's text kept (never the password).
"""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth import bp
from forum.auth.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from forum.errors import ValidationFailed
from forum.extensions import limiter
from forum.services import accounts
from forum.services.signed_tokens import TokenExpired, TokenInvalid
from forum.web import form_checks_csrf, safe_next_url, show_service_errors

LINK_PROBLEMS = (TokenExpired, TokenInvalid)


def _configured_limit(name):
    return lambda: current_app.config[name]


def _account_key():
    """Count per account where there is one, so a shared IP does not matter."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _render_form(template, form, **context):
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


def _start_session(user, remember=False):
    """Log `user` in on a brand-new session, so nothing from before carries over."""
    session.clear()
    login_user(user, remember=remember)


def _link_problem(error, purpose):
    return (
        render_template("auth/link_problem.html", expired=isinstance(error, TokenExpired), purpose=purpose),
        400,
    )


@bp.route("/daftar", methods=["GET", "POST"])
@limiter.limit(_configured_limit("RATELIMIT_REGISTER"), methods=["POST"])
@form_checks_csrf
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(
                email=form.email.data,
                display_name=form.display_name.data,
                district_code=form.district.data,
                password=form.password.data,
                consent=form.consent.data,
            )
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            _start_session(user)
            flash(_("Welcome to Musyawarah! Your account is ready."), "success")
            return redirect(url_for("auth.check_email"))
    return _render_form("auth/register.html", form)


@bp.get("/periksa-email")
def check_email():
    """After registering or asking for a new link: where to look next."""
    if current_user.is_authenticated and current_user.is_verified:
        return redirect(url_for("main.home"))
    return render_template("auth/check_email.html")


@bp.get("/verifikasi/<token>")
def verify_email(token):
    try:
        user, newly_verified = accounts.verify_email(token)
    except LINK_PROBLEMS as error:
        return _link_problem(error, "verify")
    if newly_verified:
        flash(_("Thank you, your e-mail address is confirmed. You can now take part."), "success")
    else:
        flash(_("Your e-mail address was already confirmed."), "info")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.post("/verifikasi/kirim-ulang")
@login_required
@limiter.limit(_configured_limit("RATELIMIT_PASSWORD_RESET"), key_func=_account_key)
def resend_verification():
    if current_user.is_verified:
        flash(_("Your e-mail address was already confirmed."), "info")
        return redirect(url_for("main.home"))
    if accounts.resend_verification(current_user._get_current_object()):
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    else:
        flash(_("We could not send the e-mail just now. Please try again in a few minutes."), "error")
    return redirect(url_for("auth.check_email"))


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_configured_limit("RATELIMIT_LOGIN"), methods=["POST"])
@form_checks_csrf
def login():
    form = LoginForm()
    if not form.is_submitted():
        form.next.data = safe_next_url(request.args.get("next"), "")
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for("main.home"))
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            _start_session(user, remember=form.remember.data)
            flash(_("You are logged in. Welcome back, %(name)s!", name=user.display_name), "success")
            return redirect(safe_next_url(form.next.data, url_for("main.home")))
    return _render_form("auth/login.html", form)


@bp.post("/keluar")
def logout():
    if current_user.is_authenticated:
        accounts.logout_everywhere(current_user._get_current_object())
    # Clear first: logout_user() then marks the remember cookie for deletion.
    session.clear()
    logout_user()
    flash(_("You are logged out on all your devices."), "info")
    return redirect(url_for("main.home"))


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@limiter.limit(_configured_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
@form_checks_csrf
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(
            _(
                "If an account uses %(email)s, we have sent a link there to choose a new password. "
                "Check your inbox and spam folder.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return _render_form("auth/forgot_password.html", form)


@bp.route("/atur-ulang-sandi/<token>", methods=["GET", "POST"])
@form_checks_csrf
def reset_password(token):
    try:
        accounts.user_for_reset_token(token)
    except LINK_PROBLEMS as error:
        return _link_problem(error, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except LINK_PROBLEMS as error:
            return _link_problem(error, "reset")
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            session.clear()
            logout_user()
            flash(_("Your new password is saved and you are logged out everywhere. Please log in."), "success")
            return redirect(url_for("auth.login"))
    return _render_form("auth/reset_password.html", form, token=token)
