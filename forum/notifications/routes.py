"""Notification list, mark read, follow / unfollow any content, e-mail opt-in.

Every change is a plain POST form (CSRF-checked globally) answered with a
redirect; the list itself only reads. The header's unread count comes from a
context helper that costs one COUNT query, and only when a page asks for it.
"""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.notifications import bp
from forum.services import notifications as service
from forum.services.content import content_url, visible_content
from forum.web import MAX_ID, safe_next_url

PER_PAGE = 30
MAX_PAGE = 100_000  # keeps OFFSET inside the database's integer range


def _unread_notification_count():
    """The signed-in user's unread count, counted at most once per request."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = service.unread_count(current_user)
    return g.unread_notifications


@bp.app_context_processor
def _header_helpers():
    return {"unread_notification_count": _unread_notification_count}


def _page_number():
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


@bp.get("/")
@login_required
def index():
    page = service.notification_page(current_user, _page_number(), PER_PAGE)
    items = [
        {
            "notification": row,
            "text": service.describe(row),
            "url": service.link_for(current_user, row),
        }
        for row in page.items
    ]
    return render_template("notifications/index.html", page=page, items=items)


@bp.post("/tandai-dibaca")
@login_required
def mark_read():
    """Mark one notification (`id` in the form) or, without `id`, all of them read."""
    raw = request.form.get("id")
    if raw is None:
        service.mark_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    elif raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
        service.mark_read(current_user, [int(raw)])
    else:
        flash(_("That notification was not found."), "error")
    return redirect(safe_next_url(request.form.get("next"), url_for("notifications.index")))


def _back_to(content):
    fallback = content_url(content) or url_for("notifications.index")
    return redirect(safe_next_url(request.form.get("next"), fallback))


@bp.post("/ikuti/<int:content_id>")
@login_required
def follow(content_id):
    content = visible_content(current_user, content_id)
    service.follow(current_user, content)
    flash(_("You are following this now. You will be notified of what happens to it."), "success")
    return _back_to(content)


@bp.post("/berhenti/<int:content_id>")
@login_required
def unfollow(content_id):
    content = visible_content(current_user, content_id)
    service.unfollow(current_user, content)
    flash(_("You no longer follow this."), "success")
    return _back_to(content)


@bp.post("/email")
@login_required
def email_opt_in():
    """The checkbox `notify_by_email`: present means yes, absent means no."""
    enabled = request.form.get("notify_by_email") in ("1", "on", "y", "yes", "true")
    service.set_email_opt_in(current_user, enabled)
    if enabled:
        flash(_("We will also send your notifications by e-mail."), "success")
    else:
        flash(_("We will no longer send notifications by e-mail."), "success")
    return redirect(safe_next_url(request.form.get("next"), url_for("notifications.index")))
