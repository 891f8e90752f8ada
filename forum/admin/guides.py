"""Admin pages for the guides (`/admin/panduan`): list, create, edit, history, restore, publish.

Views are thin: the form checks lengths and the CSRF token, forum/services/guides.py
decides; a refused save re-renders the form with the typed text and each
problem named (422, or 409 when someone else saved first: the form then
carries the current revision, so saving again, after a look at the history,
replaces it).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.admin import bp
from forum.admin.guide_forms import GuideForm
from forum.errors import Conflict, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.permissions import require
from forum.services import guides as guide_service
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors


def _guide(guide_id):
    return guide_service.guide_for_editing(current_user, guide_id if guide_id <= MAX_ID else 0)


@bp.get("/panduan")
@login_required
def guides():
    return render_template("admin/guides.html", guides=guide_service.all_guides(current_user))


def _edit_page(form, guide, status):
    return render_template("admin/guide_edit.html", form=form, guide=guide), status


def _save(form, guide):
    """Save the form through the service: (saved guide, None) or (None, HTTP status of the re-render)."""
    if not form.validate_on_submit():
        return None, (FORM_INVALID if form.is_submitted() else 200)
    try:
        if guide is None:
            return guide_service.create_guide(current_user, form.values()), None
        return guide_service.update_guide(current_user, guide, form.values()), None
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        show_service_errors(form, error)
        if isinstance(error, Conflict):  # the next save, after comparing, goes over the current revision
            form.base_revision.data = str(guide.revision_count)
        return None, error.status


@bp.route("/panduan/baru", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def new_guide():
    require(current_user, "guide.edit")
    form = GuideForm()
    saved, status = _save(form, None)
    if saved is not None:
        flash(_("The guide was created. It is not public until you publish it."), "success")
        return redirect(url_for("admin.edit_guide", guide_id=saved.id))
    return _edit_page(form, None, status)


@bp.route("/panduan/<int:guide_id>", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def edit_guide(guide_id):
    guide = _guide(guide_id)
    form = GuideForm(obj=None if request.method == "POST" else guide)
    if request.method != "POST":
        form.base_revision.data = str(guide.revision_count)
        form.illustration.data = guide.illustration or ""
    saved, status = _save(form, guide)
    if saved is not None:
        flash(_("The guide was saved as revision %(number)d.", number=saved.revision_count), "success")
        return redirect(url_for("admin.edit_guide", guide_id=saved.id))
    return _edit_page(form, guide, status)


@bp.get("/panduan/<int:guide_id>/riwayat")
@login_required
def guide_history(guide_id):
    guide = _guide(guide_id)
    return render_template("admin/guide_history.html", guide=guide, revisions=list(reversed(guide.revisions)))


@bp.get("/panduan/<int:guide_id>/riwayat/<int:number>")
@login_required
def guide_revision(guide_id, number):
    guide = _guide(guide_id)
    shown = guide_service.revision(guide, number)
    return render_template("admin/guide_revision.html", guide=guide, shown=shown)


@bp.post("/panduan/<int:guide_id>/riwayat/<int:number>/pulihkan")
@login_required
def restore_guide_revision(guide_id, number):
    guide = _guide(guide_id)
    guide_service.restore_revision(current_user, guide, number)
    flash(_("Revision %(number)d was restored as revision %(new)d.", number=number, new=guide.revision_count),
          "success")
    return redirect(url_for("admin.guide_history", guide_id=guide.id))


@bp.post("/panduan/<int:guide_id>/terbitkan")
@login_required
def publish_guide(guide_id):
    guide = _guide(guide_id)
    publish = request.form.get("publish") == "1"
    guide_service.set_published(current_user, guide, publish)
    flash(_("The guide is now public.") if publish else _("The guide is no longer public."), "success")
    return redirect(url_for("admin.guides"))
