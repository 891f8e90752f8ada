"""Public pages around a receipt: follow it (/lacak), claim it into an account, and blank paper forms.

`/lacak?kode=...` needs no account and is rate limited per address (shared
with `GET /api/v1/track/{code}`), so codes cannot be guessed; a mistyped
code fails its check character ("kode tidak valid"), both 404. Claiming
needs a resident's account: the code and the phone number give a signed
confirmation form; a wrong number is refused, audited and rate limited.
The paper forms print a blank aspiration form and, per consultation, its
clauses with stance boxes, for residents to fill in at home.
"""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from forum.aspirations.routes import reference_lists
from forum.desk import tracking_bp as bp
from forum.desk.forms import ClaimConfirmForm, ClaimForm, STANCE_CHOICES
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import limiter
from forum.receipt_codes import display
from forum.services import aspiration_labels, desk, desk_tracking, policies
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors, signed_in_user


def track_limit():
    return current_app.config["RATELIMIT_TRACK"]


def _claim_limit():
    return current_app.config["RATELIMIT_CLAIM"]


def _claimer():
    return f"account-{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _no_code():
    return not request.args.get("kode", "").strip()


@bp.get("/lacak")
@limiter.shared_limit(track_limit, scope="track", exempt_when=_no_code)
def track():
    typed = request.args.get("kode", "").strip()[:40]
    if not typed:
        return render_template("desk/track.html", typed="", tracked=None, problem=None)
    try:
        tracked = desk_tracking.track(typed)
    except NotFound as error:
        return render_template("desk/track.html", typed=typed, tracked=None, problem=error.message), 404
    return render_template("desk/track.html", typed=typed, tracked=tracked, problem=None, display=display,
                           labels=aspiration_labels)


@bp.route("/lacak/klaim", methods=["GET", "POST"])
@login_required
@form_checks_csrf
@limiter.limit(_claim_limit, key_func=_claimer, methods=["POST"])
def claim():
    form = ClaimForm()
    if not form.is_submitted():
        form.code.data = request.args.get("kode", "")[:40]
        return render_template("desk/claim.html", form=form)
    if not form.validate_on_submit():
        return render_template("desk/claim.html", form=form), FORM_INVALID
    try:
        submission, token = desk_tracking.start_claim(signed_in_user(), form.code.data, form.phone.data)
    except (ValidationFailed, NotFound, Conflict) as error:
        show_service_errors(form, error)
        return render_template("desk/claim.html", form=form), error.status
    confirm = ClaimConfirmForm(formdata=None, data={"token": token})
    return render_template("desk/claim_confirm.html", form=confirm, submission=submission, display=display)


@bp.post("/lacak/klaim/konfirmasi")
@login_required
@form_checks_csrf
def confirm_claim():
    form = ClaimConfirmForm()
    if not form.validate_on_submit():
        flash(_("Your form expired or was sent from elsewhere. Please send it again."), "warning")
        return redirect(url_for("tracking.claim"))
    try:
        submission = desk_tracking.confirm_claim(signed_in_user(), form.token.data or "")
    except (ValidationFailed, Conflict) as error:
        flash(error.message or _("This confirmation link is not valid any more. Start again."), "warning")
        return redirect(url_for("tracking.claim"))
    flash(_("The submission %(code)s is now in your account.", code=display(submission.receipt_code)), "success")
    if submission.content is not None and submission.kind == "aspiration":
        return redirect(url_for("aspirations.show", aspiration_id=submission.content_id))
    return redirect(url_for("tracking.track", kode=submission.receipt_code))


@bp.get("/formulir/aspirasi")
def paper_aspiration():
    categories, kecamatan, _agencies = reference_lists()
    return render_template("desk/paper_aspiration.html", categories=categories, labels=aspiration_labels,
                           consent_text=desk.CONSENT_TEXT)


@bp.get("/formulir/konsultasi/<int:policy_id>")
def paper_consultation(policy_id):
    policy = policies.visible_policy(signed_in_user(), policy_id)
    return render_template("desk/paper_consultation.html", policy=policy, stances=STANCE_CHOICES,
                           consent_text=desk.CONSENT_TEXT)
